package org.resumableupload.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test support: the real webapp in a JVM of its own ({@link CrashSoakServer}) on a fixed port with
 * the given {@code upload.*} settings, so a test can kill it with SIGKILL mid-request and start it
 * again. Its output goes to a log file beside its storage.
 */
final class AppNode implements HttpTarget, AutoCloseable {
    private final Path dir;
    private final int port;
    private final Map<String, String> settings;
    private Process process;
    private int starts;

    AppNode(Path dir, int port, Map<String, String> settings) {
        this.dir = dir;
        this.port = port;
        this.settings = Map.copyOf(settings);
    }

    /** Starts the node and waits until it serves. */
    AppNode start() throws Exception {
        Files.createDirectories(dir);
        Path log = dir.resolve("node-" + ++starts + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CrashSoakServer.class.getName(), dir.resolve("disk").toString(), Integer.toString(port)));
        settings.forEach((key, value) -> command.add(key + "=" + value));
        process = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("READY " + port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("node on " + port + " did not start:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return this;
    }

    /** SIGKILL: no shutdown hook runs, nothing is released or flushed. */
    void kill() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the killed node did not exit");
        }
        if (process.exitValue() != 137) {
            throw new AssertionError("the node exited with " + process.exitValue() + ", not by SIGKILL (137)");
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
