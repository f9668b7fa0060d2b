package org.resumableupload.web;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test support: Debian's haproxy 2.6 in front of app nodes, round robin with no stickiness, every
 * request balanced on its own ({@code option http-server-close}), bodies streamed (no
 * {@code http-buffer-request}), a node that stops answering taken out within a second and the request
 * sent to another ({@code option redispatch}).
 */
final class Haproxy implements HttpTarget, AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final int port;

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts haproxy on a free port balancing over {@code nodePorts}; its config and log go to {@code dir}. */
    static Haproxy start(Path dir, List<Integer> nodePorts) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: apt-get install -y haproxy (.ci/run installs it)");
        }
        int port = freePort();
        StringBuilder config = new StringBuilder("""
                global
                  maxconn 2000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 120s
                  timeout server 120s
                  option http-server-close
                  option redispatch
                  retries 3
                frontend uploads
                  bind 127.0.0.1:%d
                  default_backend nodes
                backend nodes
                  balance roundrobin
                """.formatted(port));
        for (int i = 0; i < nodePorts.size(); i++) {
            config.append("  server node").append(i).append(" 127.0.0.1:").append(nodePorts.get(i))
                    .append(" check inter 300ms fall 1 rise 1\n");
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Path log = dir.resolve("haproxy.log");
        Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(new File(dir.toString())).start();
        Haproxy haproxy = new Haproxy(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!haproxy.listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("haproxy did not start:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return haproxy;
    }

    private boolean listening() {
        try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
