package org.resumableupload.web;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The webapp in an embedded Jetty ({@link TestServer}), restarted on the same port and directory. */
final class EmbeddedDeployment implements Deployment {
    private final Path storageDir;
    private final Duration idleTimeout;
    private TestServer server;
    private int port;

    EmbeddedDeployment(Path storageDir, Duration idleTimeout) {
        this.storageDir = storageDir;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public String name() {
        return "embedded Jetty";
    }

    @Override
    public boolean sendsInterimResponses() {
        return true;
    }

    @Override
    public Path storageDir() {
        return storageDir;
    }

    @Override
    public void start() throws Exception {
        server = TestServer.start(storageDir, Map.of(), port, idleTimeout.toMillis());
        port = server.port();
    }

    @Override
    public void stop() throws Exception {
        TestServer running = server;
        server = null;
        if (running != null) {
            running.close();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
