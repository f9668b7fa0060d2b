package org.resumableupload.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.resumableupload.core.FreeSpace;
import org.resumableupload.core.MemoryLocker;
import org.resumableupload.core.OwnerTokens;
import org.resumableupload.core.UploadSettings;
import org.resumableupload.core.Uploads;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.disk.DiskUploadStore;
import org.resumableupload.web.article.FilesServlet;
import org.resumableupload.web.article.StatusServlet;
import org.resumableupload.web.article.UploadServlet;

/**
 * The application's servlets over a store the test chooses (for instance one that injects faults),
 * wired the way {@link UploadContextListener} wires them, in an embedded Jetty 12 on a free loopback
 * port. Tests of the real webapp use {@link TestServer}; this is for what only a different store can
 * show.
 */
public final class StoreTestServer implements HttpTarget, AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final Uploads uploads;

    private StoreTestServer(Server server, ServerConnector connector, Uploads uploads) {
        this.server = server;
        this.connector = connector;
        this.uploads = uploads;
    }

    /**
     * Serves {@code store} with the settings {@code settings} (keys as in {@link UploadSettings}; the
     * disk reserve defaults to 0 here, as in {@link TestServer}); the free space is the disk's for a
     * {@link DiskUploadStore}, else unlimited. Owner cookies are signed with a new random key, so they
     * name no owner on another server.
     */
    public static StoreTestServer start(UploadStore store, Map<String, String> settings) throws Exception {
        return start(store, freeSpaceOf(store), settings);
    }

    /** As {@link #start(UploadStore, Map)}, with the free space {@code freeSpace} reports (a test's own). */
    public static StoreTestServer start(UploadStore store, FreeSpace freeSpace, Map<String, String> settings)
            throws Exception {
        // A key of its own: the store the test chooses may have no directory to keep one in.
        byte[] ownerKey = new byte[OwnerTokens.KEY_BYTES];
        new SecureRandom().nextBytes(ownerKey);
        return start(store, freeSpace, settings, ownerKey);
    }

    /**
     * As {@link #start(UploadStore, Map)}, signing owner cookies with {@code ownerKey} (the key of the
     * storage directory another server used, so that its cookies name the same owners here).
     */
    public static StoreTestServer start(UploadStore store, Map<String, String> settings, byte[] ownerKey)
            throws Exception {
        return start(store, freeSpaceOf(store), settings, ownerKey);
    }

    private static StoreTestServer start(UploadStore store, FreeSpace freeSpace, Map<String, String> settings,
                                         byte[] ownerKey) throws Exception {
        Map<String, String> effective = new HashMap<>();
        effective.put(UploadSettings.DISK_RESERVE, "0");
        effective.putAll(settings);
        Uploads uploads = new Uploads(store, new MemoryLocker(), UploadSettings.from(effective::get),
                Clock.systemUTC(), freeSpace);
        Owners owners = new Owners(new OwnerTokens(ownerKey));

        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder status = new ServletHolder("status", new StatusServlet(uploads, owners));
        status.setAsyncSupported(true); // as the listener registers them: refusals drain bodies asynchronously
        context.addServlet(status, "/status");
        ServletHolder upload = new ServletHolder("upload", new UploadServlet(uploads, owners));
        upload.setAsyncSupported(true);
        context.addServlet(upload, "/upload");
        ServletHolder files = new ServletHolder("files", new FilesServlet(uploads, owners));
        files.setAsyncSupported(true);
        context.addServlet(files, "/files");
        context.addServlet(files, "/files/*");

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(context);
        server.start();
        return new StoreTestServer(server, connector, uploads);
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    /** The core the servlets run on (for assertions on server state). */
    public Uploads uploads() {
        return uploads;
    }

    @Override
    public void close() throws Exception {
        uploads.close();
        server.stop();
    }

    private static FreeSpace freeSpaceOf(UploadStore store) {
        return store instanceof DiskUploadStore disk ? disk::usableSpace : FreeSpace.UNLIMITED;
    }
}
