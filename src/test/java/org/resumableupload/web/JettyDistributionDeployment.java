package org.resumableupload.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The built WAR in a real standalone Jetty 12 (the {@code jetty-home} distribution the build unpacked
 * into {@code jetty.home}), set up exactly as {@code webapp-docs/deployment.md} tells a user: a base
 * directory with the modules {@code http} and {@code ee11-deploy}, the WAR as {@code webapps/ROOT.war},
 * {@code UPLOAD_DIR} in the environment, {@code java -jar $JETTY_HOME/start.jar jetty.http.host=127.0.0.1
 * jetty.http.port=N} (plus {@code jetty.http.idleTimeout} and {@code jetty.http.acceptQueueSize}); stopped with SIGTERM (Jetty's shutdown hook).
 */
final class JettyDistributionDeployment extends ProcessDeployment {
    private final Path log;
    private final Duration idleTimeout;

    private JettyDistributionDeployment(Path home, Path base, Path storageDir, int port, Duration idleTimeout) {
        // SIGTERM runs Jetty's shutdown hook (a graceful stop); what has not stopped after 15 s is killed.
        super("Jetty", home, base, storageDir, port, Duration.ofSeconds(15));
        this.log = base.resolveSibling(base.getFileName() + ".log");
        this.idleTimeout = idleTimeout;
    }

    /**
     * Installs {@code war} in a new Jetty base directory under {@code root} (not started yet), to run with
     * the connector idle timeout {@code idleTimeout}.
     */
    static JettyDistributionDeployment install(Path war, Path root, Duration idleTimeout) throws Exception {
        Path home = Processes.requiredPath("jetty.home");
        JettyDistributionDeployment jetty = new JettyDistributionDeployment(home, root.resolve("jetty-base"),
                root.resolve("uploads"), Processes.freePort(), idleTimeout);
        jetty.setUp(war);
        return jetty;
    }

    private void setUp(Path war) throws Exception {
        Files.createDirectories(base);
        Processes.run(startJar("--add-modules=http,ee11-deploy"), log, Duration.ofSeconds(60));
        Files.createDirectories(base.resolve("work")); // Jetty unpacks the WAR here instead of /tmp
        Files.copy(war, base.resolve("webapps/ROOT.war"));
    }

    private ProcessBuilder startJar(String... args) {
        List<String> command = new ArrayList<>(List.of(Processes.java().toString(), "-jar",
                home.resolve("start.jar").toString()));
        command.addAll(List.of(args));
        return Processes.builder(base, log, command);
    }

    @Override
    public boolean sendsInterimResponses() {
        return true;
    }

    @Override
    protected ProcessHandle launch() throws Exception {
        // An accept queue as deployment.md advises for bursts (the JDK's 50 by default): with it, the
        // contract's burst of 1,300 connections is not slowed by connects retried after a full queue.
        ProcessBuilder builder = startJar("jetty.http.host=127.0.0.1", "jetty.http.port=" + port(),
                "jetty.http.idleTimeout=" + idleTimeout.toMillis(), "jetty.http.acceptQueueSize=1024");
        builder.environment().put("UPLOAD_DIR", storageDir().toString());
        return Processes.start(builder).toHandle();
    }

    @Override
    public String logTail() {
        return Processes.tail(log);
    }
}
