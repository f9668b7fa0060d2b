package org.resumableupload.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.resumableupload.store.s3.S3Clients;
import org.resumableupload.store.s3.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Test support: a real S3 server (S3Proxy 4.1.0, which honours {@code If-Match} / {@code If-None-Match})
 * in this JVM on a free loopback port, storing in a directory, with one bucket. Stop and start it again
 * on the same port to play an S3 outage.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "access";
    public static final String SECRET_KEY = "secret-key";
    public static final String BUCKET = "uploads";

    private final Path dir;
    private int port;
    private S3Proxy proxy;

    private S3ProxyServer(Path dir) {
        this.dir = dir;
    }

    /** Starts a server storing under {@code dir} (created if missing) with the bucket {@link #BUCKET}. */
    public static S3ProxyServer start(Path dir) throws Exception {
        S3ProxyServer server = new S3ProxyServer(dir);
        Files.createDirectories(dir.resolve(BUCKET));
        server.startOn(0);
        return server;
    }

    private void startOn(int wantedPort) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + wantedPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        port = proxy.getPort();
    }

    /** Stops the server (S3 unreachable: connections are refused) until {@link #restart()}. */
    public void stop() throws Exception {
        proxy.stop();
    }

    /** Starts the server again on the same port, with everything it stored. */
    public void restart() throws Exception {
        startOn(port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path dir() {
        return dir;
    }

    /** The settings a node uses for this server, as {@code upload.*} keys, with {@code prefix}. */
    public Map<String, String> nodeSettings(String prefix) {
        Map<String, String> settings = new HashMap<>();
        settings.put("upload.store", "s3");
        settings.put(S3Settings.ENDPOINT, endpoint().toString());
        settings.put(S3Settings.BUCKET, BUCKET);
        settings.put(S3Settings.PREFIX, prefix);
        settings.put(S3Settings.PATH_STYLE, "true");
        settings.put(S3Settings.ACCESS_KEY, ACCESS_KEY);
        settings.put(S3Settings.SECRET_KEY, SECRET_KEY);
        return settings;
    }

    /** {@link S3Settings} for this server under {@code prefix}, the rest default but {@code overrides}. */
    public S3Settings settings(String prefix, Map<String, String> overrides) {
        Map<String, String> all = nodeSettings(prefix);
        all.putAll(overrides);
        return S3Settings.from(all::get);
    }

    /** A client of this server with short timeouts. */
    public S3Client client() {
        return S3Clients.client(settings("", Map.of(S3Settings.REQUEST_TIMEOUT, "10s")), 16);
    }

    public Optional<Integer> port() {
        return Optional.of(port);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
