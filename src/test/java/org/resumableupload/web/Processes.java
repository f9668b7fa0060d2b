package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Starting, awaiting and stopping the external processes of the deployment tests (Tomcat, Jetty,
 * nginx). Every process started here is also killed, with its children, when the test JVM exits.
 */
final class Processes {
    private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Processes::killTree),
                "kill-deployment-processes"));
    }

    private Processes() {
    }

    /** A file or directory named by the system property {@code name} (set by the pom for Failsafe). */
    static Path requiredPath(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            fail("system property " + name + " is not set: run the deployment tests with mvn verify");
        }
        Path path = Path.of(value);
        if (!Files.exists(path)) {
            fail(name + " " + path + " does not exist: run the deployment tests with mvn verify");
        }
        return path;
    }

    /** The running JVM's {@code java} (the containers run on the JDK that runs the tests). */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** A loopback port that was free a moment ago, other than {@code except}. */
    static int freePort(int... except) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (Arrays.stream(except).noneMatch(p -> p == port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port");
    }

    /**
     * A process builder for {@code command} in {@code dir}, its output appended to {@code log}, with an
     * environment cleared of settings that would change what the tests deploy.
     */
    static ProcessBuilder builder(Path dir, Path log, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("UPLOAD_") || key.startsWith("CATALINA_")
                || key.startsWith("JETTY_") || key.equals("JAVA_OPTS") || key.equals("JAVA_OPTIONS")
                || key.equals("JAVA_TOOL_OPTIONS") || key.equals("JRE_HOME"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    /** Starts {@code builder}'s process; it is killed when the test JVM exits if nobody stopped it. */
    static Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        RUNNING.add(process.toHandle());
        return process;
    }

    /** Keeps {@code process} (started elsewhere, e.g. by a script) on the list killed at JVM exit. */
    static void track(ProcessHandle process) {
        RUNNING.add(process);
    }

    /**
     * Runs {@code builder}'s command (a setup step or a control script) to its end; fails with its log if
     * it fails or takes longer than {@code timeout}. Processes it leaves running in the background (such
     * as the server {@code catalina.sh start} launches) are not touched.
     */
    static void run(ProcessBuilder builder, Path log, Duration timeout) throws IOException, InterruptedException {
        Process process = start(builder);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stop(process.toHandle(), Duration.ZERO);
            fail(builder.command() + " did not finish within " + timeout + "\n" + tail(log));
        }
        RUNNING.remove(process.toHandle());
        if (process.exitValue() != 0) {
            fail(builder.command() + " exited with " + process.exitValue() + "\n" + tail(log));
        }
    }

    /**
     * Asks {@code process} to stop (SIGTERM), waits {@code grace} for it and its children, then kills
     * (SIGKILL) whatever is left of them.
     */
    static void stop(ProcessHandle process, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process);
        if (process.isAlive()) {
            process.destroy();
            try {
                process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        tree.forEach(Processes::killTree);
        RUNNING.remove(process);
    }

    private static void killTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // SIGKILL was sent; nothing more to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Polls {@code GET /status} on {@code target} until it answers 200; fails early, with {@code log},
     * if {@code alive} turns false.
     */
    static void awaitStatus(HttpTarget target, String what, BooleanSupplier alive, Supplier<String> log,
                            Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(target.uri("/status")).header("X-File-Id", "readiness-probe")
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                fail(what + " exited before answering GET /status\n" + log.get());
            }
            try {
                HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(100);
        }
        fail(what + " did not answer GET /status with 200 within " + timeout + " (last: " + last + ")\n" + log.get());
    }

    /** Prints how long {@code what} took since {@code began} (System.nanoTime), for the test log. */
    static void report(String what, long began) {
        System.out.printf("%s in %d ms%n", what, (System.nanoTime() - began) / 1_000_000);
    }

    /** The last lines of {@code file} (at most 4,000 characters), or a note that it does not exist. */
    static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return "--- " + file + " (end)\n" + text.substring(Math.max(0, text.length() - 4_000));
        } catch (IOException e) {
            return "--- " + file + ": " + e;
        }
    }
}
