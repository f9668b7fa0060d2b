package org.resumableupload.store.s3;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.resumableupload.support.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Test support: one S3Proxy per test class, and S3 stores over it, each test under a prefix of its own
 * (a fresh, empty store) that a "restart" reopens with a new store object and client.
 */
final class S3StoreFixture implements AutoCloseable {
    private final S3ProxyServer server;
    private final ExecutorService senders = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-s3-parts");
        thread.setDaemon(true);
        return thread;
    });
    private final S3Client client;
    private String prefix;

    S3StoreFixture(Path dir) throws Exception {
        server = S3ProxyServer.start(dir);
        client = server.client();
    }

    S3UploadStore newStore() {
        prefix = "test-" + UUID.randomUUID() + "/";
        return reopen();
    }

    S3UploadStore reopen() {
        return new S3UploadStore(client, client, settings(), senders);
    }

    S3Settings settings() {
        return server.settings(prefix, Map.of(S3Settings.PART_SIZE, "5M", S3Settings.PARTS_IN_FLIGHT, "2"));
    }

    S3Client client() {
        return client;
    }

    String prefix() {
        return prefix;
    }

    S3ProxyServer server() {
        return server;
    }

    @Override
    public void close() throws Exception {
        client.close();
        senders.shutdownNow();
        server.close();
    }
}
