package org.resumableupload.web;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the deployments in a real container process ({@link TomcatDeployment},
 * {@link JettyDistributionDeployment}) share: a distribution ({@code home}) run from an instance
 * directory ({@code base}) on a loopback port, started by {@link #launch()} and awaited until
 * {@code GET /status} answers 200, stopped by {@link #requestStop()} and then signalled, whatever is left
 * killed. A subclass says only how to set the instance up, launch and stop it, and where its logs are.
 */
abstract class ProcessDeployment implements Deployment {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** The unpacked distribution. */
    final Path home;
    /** The instance directory made from {@link #home}. */
    final Path base;
    private final String name;
    private final Path storageDir;
    private final int port;
    private final Duration stopGrace;
    private ProcessHandle process;

    /**
     * A deployment named {@code product} and the distribution's directory name, storing under
     * {@code storageDir}, listening on {@code port}; on {@link #stop()} its process gets {@code stopGrace}
     * after {@link #requestStop()} and SIGTERM before it is killed.
     */
    ProcessDeployment(String product, Path home, Path base, Path storageDir, int port, Duration stopGrace) {
        this.name = product + " " + home.getFileName();
        this.home = home;
        this.base = base;
        this.storageDir = storageDir;
        this.port = port;
        this.stopGrace = stopGrace;
    }

    /**
     * Starts the container without waiting for it; answers its server process, or {@code null} if there
     * is none to watch (then {@link #start()} fails with the log at once).
     */
    protected abstract ProcessHandle launch() throws Exception;

    /**
     * Asks the running container to stop as its operator would, before its process is signalled. Nothing
     * by default: the SIGTERM that follows is the operator's way.
     */
    protected void requestStop() throws Exception {
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Path storageDir() {
        return storageDir;
    }

    @Override
    public final int port() {
        return port;
    }

    @Override
    public final void start() throws Exception {
        long began = System.nanoTime();
        ProcessHandle started = launch();
        process = started;
        Processes.awaitStatus(this, name, () -> started != null && started.isAlive(), this::logTail, STARTUP);
        Processes.report(name + " started", began);
    }

    @Override
    public final void stop() throws Exception {
        ProcessHandle running = process;
        process = null;
        if (running == null) {
            return;
        }
        long began = System.nanoTime();
        try {
            requestStop();
        } finally {
            Processes.stop(running, stopGrace);
            Processes.report(name + " stopped", began);
        }
    }

    @Override
    public final boolean isRunning() {
        return process != null;
    }

    @Override
    public final long pid() {
        ProcessHandle running = process;
        if (running == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return running.pid();
    }

    @Override
    public final void close() throws Exception {
        stop();
    }

    @Override
    public String toString() {
        return name + " at " + uri("/") + " (" + base + ")";
    }
}
