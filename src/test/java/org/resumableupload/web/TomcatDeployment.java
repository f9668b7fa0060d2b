package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built WAR in a real Tomcat 11 (the distribution the build unpacked into {@code tomcat.home}),
 * set up exactly as {@code webapp-docs/deployment.md} tells a user: an instance directory
 * ({@code CATALINA_BASE}) made by {@code bin/makebase.sh}, the WAR as {@code webapps/ROOT.war}, the
 * ports (HTTP and shutdown) on 127.0.0.1 and the {@code connectionTimeout} in {@code conf/server.xml},
 * {@code upload.dir} and
 * {@code CATALINA_PID} in {@code bin/setenv.sh}; {@code catalina.sh start}, {@code catalina.sh stop 10 -force}.
 */
final class TomcatDeployment implements Deployment {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Path home;
    private final Path base;
    private final Path storageDir;
    private final Path scriptLog;
    private final int port;
    private ProcessHandle process;

    private TomcatDeployment(Path home, Path base, Path storageDir, int port) {
        this.home = home;
        this.base = base;
        this.storageDir = storageDir;
        this.scriptLog = base.resolveSibling(base.getFileName() + "-scripts.log");
        this.port = port;
    }

    /**
     * Installs {@code war} in a new instance directory under {@code root} (not started yet), with the
     * connector's {@code connectionTimeout} (its idle timeout) {@code idleTimeout}.
     */
    static TomcatDeployment install(Path war, Path root, Duration idleTimeout) throws Exception {
        Path home = Processes.requiredPath("tomcat.home");
        int port = Processes.freePort();
        int shutdownPort = Processes.freePort(port);
        TomcatDeployment tomcat = new TomcatDeployment(home, root.resolve("tomcat-base"), root.resolve("uploads"), port);
        tomcat.setUp(war, shutdownPort, idleTimeout);
        return tomcat;
    }

    private void setUp(Path war, int shutdownPort, Duration idleTimeout) throws Exception {
        Processes.run(script("bin/makebase.sh", base.toString()), scriptLog, Duration.ofSeconds(30));
        Files.delete(base.resolve("webapps/ROOT")); // makebase's empty ROOT directory would be served instead
        Files.copy(war, base.resolve("webapps/ROOT.war"));

        Path serverXml = base.resolve("conf/server.xml");
        String shipped = Files.readString(serverXml, StandardCharsets.UTF_8);
        String shutdown = "<Server port=\"8005\"";
        Pattern connector = Pattern.compile(
                "<Connector port=\"8080\" protocol=\"HTTP/1.1\"(\\s+)connectionTimeout=\"20000\"");
        assertTrue(shipped.contains(shutdown) && connector.matcher(shipped).find(),
                () -> "Tomcat's shipped conf/server.xml changed:\n" + shipped);
        String xml = shipped.replace(shutdown, "<Server port=\"" + shutdownPort + "\"")
                .replaceFirst(connector.pattern(), "<Connector port=\"" + port + "\" address=\"127.0.0.1\""
                        + " protocol=\"HTTP/1.1\"$1connectionTimeout=\"" + idleTimeout.toMillis() + "\"");
        Files.writeString(serverXml, xml, StandardCharsets.UTF_8);

        Files.writeString(base.resolve("bin/setenv.sh"), String.join("\n",
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dupload.dir=" + storageDir + "\"",
                "CATALINA_PID=\"$CATALINA_BASE/temp/catalina.pid\"",
                ""), StandardCharsets.UTF_8);
    }

    private ProcessBuilder script(String script, String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = Processes.builder(base.getParent(), scriptLog, command);
        builder.environment().put("CATALINA_HOME", home.toString());
        builder.environment().put("CATALINA_BASE", base.toString());
        return builder;
    }

    @Override
    public String name() {
        return "Tomcat " + home.getFileName();
    }

    @Override
    public Path storageDir() {
        return storageDir;
    }

    @Override
    public void start() throws Exception {
        long began = System.nanoTime();
        Processes.run(script("bin/catalina.sh", "start"), scriptLog, Duration.ofSeconds(30));
        long pid = Long.parseLong(Files.readString(base.resolve("temp/catalina.pid")).strip());
        Optional<ProcessHandle> started = ProcessHandle.of(pid);
        process = started.orElse(null);
        started.ifPresent(Processes::track);
        Processes.awaitStatus(this, name(), () -> process != null && process.isAlive(), this::logTail, STARTUP);
        Processes.report(name() + " started", began);
    }

    @Override
    public void stop() throws Exception {
        ProcessHandle running = process;
        process = null;
        if (running == null) {
            return;
        }
        long began = System.nanoTime();
        try {
            Processes.run(script("bin/catalina.sh", "stop", "10", "-force"), scriptLog, Duration.ofSeconds(40));
            Processes.report(name() + " catalina.sh stop returned", began);
        } finally {
            Processes.stop(running, Duration.ofSeconds(5)); // gone already unless the script failed
            Processes.report(name() + " stopped", began);
        }
    }

    @Override
    public boolean isRunning() {
        return process != null;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String logTail() {
        return Processes.tail(scriptLog) + "\n" + Processes.tail(base.resolve("logs/catalina.out"));
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    @Override
    public String toString() {
        return name() + " at " + uri("/") + " (" + base + ")";
    }
}
