package org.resumableupload.web;

import java.nio.file.Path;

/**
 * The application deployed somewhere it can be stopped and started again on the same storage
 * directory: an embedded Jetty ({@link EmbeddedDeployment}), or the built WAR in a real container
 * process ({@link TomcatDeployment}, {@link JettyDistributionDeployment}) on a loopback port.
 */
interface Deployment extends HttpTarget, AutoCloseable {
    /** The WAR {@code mvn package} built (system property {@code deployment.war}, set by the pom). */
    static Path builtWar() {
        return Processes.requiredPath("deployment.war");
    }

    /** For messages: which container this is. */
    String name();

    /**
     * Whether this container sends interim (1xx) responses the application writes, such as the IETF
     * front end's 104: Jetty does (embedded, the distribution with the WAR's {@code jetty-web.xml});
     * Tomcat 11 does not.
     */
    boolean sendsInterimResponses();

    /** The application's {@code upload.dir}; kept across {@link #restart()}. */
    Path storageDir();

    /** Starts the container and waits until {@code GET /status} answers 200. */
    void start() throws Exception;

    /** Stops the container as its operator would; whatever does not stop in time is killed. */
    void stop() throws Exception;

    boolean isRunning();

    /** The process the application runs in (for its open files under {@code /proc}). */
    long pid();

    /** Stops and starts again on the same port and storage directory. */
    default void restart() throws Exception {
        stop();
        start();
    }

    /** The end of the container's log, for failure messages; empty if it has none. */
    default String logTail() {
        return "";
    }

    /** Stops the container if it runs, also after a failure; never leaves a process behind. */
    @Override
    void close() throws Exception;
}
