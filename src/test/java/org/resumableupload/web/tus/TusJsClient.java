package org.resumableupload.web.tus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real tus-js-client (the version pinned in {@code src/test/resources/tus-js/package-lock.json}),
 * run by Node: the first job installs it with {@code npm ci} into a build directory (never into
 * {@code src}), and each job is one {@code node tus-run.mjs} process with a deadline. Every job's
 * input, output and Node's stderr stay in {@code <work dir>/jobs/} for a look after a failure.
 */
public final class TusJsClient {
    /** The classpath folder that holds the runner and its lock file. */
    private static final String RESOURCES = "tus-js/";
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "tus-run.mjs",
            "tus-reference-server.mjs");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
    /** Node's start and the client's last words after the job's own deadline. */
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final Path workDir;
    private final AtomicInteger jobs = new AtomicInteger();
    private boolean installed;

    /** A client installed into (and run from) {@code workDir}, such as {@code target/tus-js}. */
    TusJsClient(Path workDir) {
        this.workDir = workDir.toAbsolutePath();
    }

    /** The client in {@code target/tus-js} of the project the tests run in. */
    public static TusJsClient inBuildDirectory() {
        return new TusJsClient(Path.of("target", "tus-js"));
    }

    /** Where the runner and tus-js-client are installed (the reference server's script is here too). */
    Path workDir() {
        return workDir;
    }

    /**
     * Runs {@code job} to its end and answers what the client reported. Throws {@link AssertionError}
     * when Node is missing, the install fails, the process outlives the job's deadline, or it prints
     * no result; its message names the files with the job's output.
     */
    public TusJsResult run(TusJob job) {
        install();
        int number = jobs.incrementAndGet();
        Path dir = workDir.resolve("jobs");
        Path input = dir.resolve("job-" + number + ".json");
        Path output = dir.resolve("job-" + number + ".out");
        Path errors = dir.resolve("job-" + number + ".err");
        try {
            Files.createDirectories(dir);
            Files.writeString(input, job.toJson());
            Files.deleteIfExists(output); // left by an earlier JVM's job of the same number
            Files.deleteIfExists(errors);
            Process node = start(List.of("node", "tus-run.mjs", "-"), input, output, errors);
            finish(node, job.timeout().plus(GRACE), "node tus-run.mjs (" + input + ")");
            String result = Files.readString(output).strip();
            if (result.isEmpty()) {
                throw new AssertionError("tus-run.mjs printed no result (exit " + node.exitValue() + "); stderr: "
                        + Files.readString(errors));
            }
            return new TusJsResult(result);
        } catch (IOException e) {
            throw new UncheckedIOException("running tus job " + input, e);
        }
    }

    /** Copies the runner into the work directory and runs {@code npm ci} once its lock file changed. */
    public synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Files.createDirectories(workDir);
            try (FileChannel lockFile = FileChannel.open(workDir.resolve(".install.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                for (String name : FILES) {
                    copyResource(name);
                }
                Path marker = workDir.resolve("node_modules/.installed-from-package-lock.json");
                byte[] lockBytes = Files.readAllBytes(workDir.resolve("package-lock.json"));
                boolean current = Files.exists(workDir.resolve("node_modules/tus-js-client/package.json"))
                        && Files.exists(marker) && Arrays.equals(Files.readAllBytes(marker), lockBytes);
                if (!current) {
                    npmCi();
                    Files.write(marker, lockBytes);
                }
            }
            installed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("installing tus-js-client into " + workDir, e);
        }
    }

    private void npmCi() throws IOException {
        Path log = workDir.resolve("npm-ci.log");
        // Offline first: a warm npm cache needs no network; a cold one falls back to the registry.
        Process offline = start(List.of("npm", "ci", "--offline", "--no-audit", "--no-fund"), null, log, log);
        finish(offline, INSTALL_TIMEOUT, "npm ci --offline");
        if (offline.exitValue() == 0) {
            return;
        }
        Process online = start(List.of("npm", "ci", "--no-audit", "--no-fund"), null, log, log);
        finish(online, INSTALL_TIMEOUT, "npm ci");
        if (online.exitValue() != 0) {
            throw new AssertionError("npm ci failed in " + workDir + " (exit " + online.exitValue() + "): "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private void copyResource(String name) throws IOException {
        try (InputStream in = TusJsClient.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new AssertionError("test resource " + RESOURCES + name + " is not on the classpath");
            }
            Files.copy(in, workDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Process start(List<String> command, Path input, Path output, Path errors) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile())); // npm ci's two tries: one log
        if (input != null) {
            builder.redirectInput(input.toFile());
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not on the PATH (" + e.getMessage() + "): the tus client"
                    + " tests need Node.js 18 or newer with npm, as on the build machines", e);
        }
    }

    /** Waits for {@code process}; past {@code deadline} kills it and everything it started. */
    static void finish(Process process, Duration deadline, String what) {
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(what + " still running after " + deadline.toSeconds() + " s: killed");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }
}
