package org.resumableupload.web;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The one way tests start the application: the real webapp ({@code src/main/webapp}, its
 * {@code web.xml} and listener) in an embedded Jetty 12 on a free loopback port.
 */
public final class TestServer implements HttpTarget, AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final WebAppContext webapp;

    private TestServer(Server server, ServerConnector connector, WebAppContext webapp) {
        this.server = server;
        this.connector = connector;
        this.webapp = webapp;
    }

    /** Starts the app storing under {@code storageDir}, with default settings. */
    public static TestServer start(Path storageDir) throws Exception {
        return start(storageDir, Map.of());
    }

    /** Starts the app storing under {@code storageDir}; {@code settings} are context init-params. */
    public static TestServer start(Path storageDir, Map<String, String> settings) throws Exception {
        return start(storageDir, settings, 0);
    }

    /** As {@link #start(Path, Map)}, on {@code port} (0: any free port). */
    public static TestServer start(Path storageDir, Map<String, String> settings, int port) throws Exception {
        return start(storageDir, settings, port, 30_000);
    }

    /** As {@link #start(Path, Map, int)}, with the connector's idle timeout in milliseconds. */
    public static TestServer start(Path storageDir, Map<String, String> settings, int port, long idleTimeoutMillis)
            throws Exception {
        return start(storageDir, settings, port, idleTimeoutMillis, server -> { });
    }

    /**
     * As {@link #start(Path, Map, int, long)}, with {@code customizer} applied to the server just before
     * it starts (to add a connector, such as HTTPS, or to bound its thread pool).
     */
    public static TestServer start(Path storageDir, Map<String, String> settings, int port, long idleTimeoutMillis,
                                   Consumer<Server> customizer) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setIdleTimeout(idleTimeoutMillis);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setBaseResourceAsPath(Path.of("src/main/webapp").toAbsolutePath());
        webapp.setParentLoaderPriority(true);
        webapp.setThrowUnavailableOnStartupException(true);
        webapp.setInitParameter("upload.dir", storageDir.toString());
        webapp.setInitParameter("upload.diskReserve", "0");
        settings.forEach(webapp::setInitParameter);
        server.setHandler(webapp);
        customizer.accept(server);
        server.start();
        return new TestServer(server, connector, webapp);
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    /** A context attribute of the webapp, such as the core it built (for assertions on server state). */
    public Object contextAttribute(String name) {
        return webapp.getServletContext().getAttribute(name);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
