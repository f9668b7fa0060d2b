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
 * ports (HTTP and shutdown) on 127.0.0.1 and the {@code connectionTimeout} and {@code continueResponseTiming="onRead"} (no {@code 100 Continue}
 * before the application has looked at the request) in {@code conf/server.xml},
 * {@code upload.dir} and
 * {@code CATALINA_PID} in {@code bin/setenv.sh}; {@code catalina.sh start}, {@code catalina.sh stop 10 -force}.
 */
final class TomcatDeployment extends ProcessDeployment {
    private final Path scriptLog;

    private TomcatDeployment(Path home, Path base, Path storageDir, int port) {
        // catalina.sh stop already waited 10 s and killed what was left (-force); the grace is a safety net.
        super("Tomcat", home, base, storageDir, port, Duration.ofSeconds(5));
        this.scriptLog = base.resolveSibling(base.getFileName() + "-scripts.log");
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
                .replaceFirst(connector.pattern(), "<Connector port=\"" + port() + "\" address=\"127.0.0.1\""
                        + " protocol=\"HTTP/1.1\"$1continueResponseTiming=\"onRead\""
                        + "$1connectionTimeout=\"" + idleTimeout.toMillis() + "\"");
        Files.writeString(serverXml, xml, StandardCharsets.UTF_8);

        Files.writeString(base.resolve("bin/setenv.sh"), String.join("\n",
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dupload.dir=" + storageDir() + "\"",
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
    public boolean sendsInterimResponses() {
        return false;
    }

    @Override
    protected ProcessHandle launch() throws Exception {
        Processes.run(script("bin/catalina.sh", "start"), scriptLog, Duration.ofSeconds(30));
        long pid = Long.parseLong(Files.readString(base.resolve("temp/catalina.pid")).strip());
        Optional<ProcessHandle> started = ProcessHandle.of(pid);
        started.ifPresent(Processes::track);
        return started.orElse(null);
    }

    @Override
    protected void requestStop() throws Exception {
        long began = System.nanoTime();
        Processes.run(script("bin/catalina.sh", "stop", "10", "-force"), scriptLog, Duration.ofSeconds(40));
        Processes.report(name() + " catalina.sh stop returned", began);
    }

    @Override
    public String logTail() {
        return Processes.tail(scriptLog) + "\n" + Processes.tail(base.resolve("logs/catalina.out"));
    }
}
