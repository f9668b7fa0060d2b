package org.resumableupload.web.ietf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.web.RawHttp.Response;
import org.resumableupload.web.TestServer;
import org.resumableupload.web.tus.Json;

/**
 * What the IETF front end's integration tests share: the real webapp in an embedded Jetty
 * ({@link TestServer}, which sends the 104) on a new storage directory, with a 1 GiB upload limit and
 * incomplete uploads expiring after an hour (so {@code Upload-Limit} is a known
 * {@code max-size=1073741824, max-age=3600}). Each test makes its own {@link IetfWire} owners.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IetfServerSupport {
    static final long MAX_SIZE = 1L << 30;
    static final Duration EXPIRE_AFTER = Duration.ofHours(1);
    static final String NEW_UPLOAD_LIMIT = "max-size=1073741824, max-age=3600";
    static final int MIB = 1024 * 1024;

    TestServer server;
    Path storage;

    @BeforeAll
    void startServer(@TempDir Path storageDir) throws Exception {
        storage = storageDir;
        server = TestServer.start(storageDir, Map.of("upload.maxSize", "1G", "upload.expireAfter", "1h"));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    IetfWire newOwner() {
        return IetfWire.newOwner(server.port());
    }

    IetfWire withoutCookie() {
        return IetfWire.withoutCookie(server.port());
    }

    IetfWire ownerWithCookie() {
        return IetfWire.ownerWithCookie(server.port());
    }

    /**
     * Waits (10 s at most) until the store has written at least {@code bytes} of the upload at
     * {@code path} to its data file: they reached the server, though HEAD shows them only once they
     * are committed (when the request writing them ends).
     */
    void awaitBytesWritten(String path, long bytes) throws IOException, InterruptedException {
        String id = path.substring(IetfWire.BASE.length());
        long deadline = System.nanoTime() + 10_000_000_000L;
        long written = dataWritten(id);
        while (written < bytes && System.nanoTime() < deadline) {
            Thread.sleep(10);
            written = dataWritten(id);
        }
        if (written < bytes) {
            throw new AssertionError("the server wrote " + written + " of the " + bytes + " bytes sent to " + path);
        }
    }

    /** The most bytes in a data file of the upload {@code id} (the disk store's parts/ID[.generation].data). */
    private long dataWritten(String id) throws IOException {
        Path parts = storage.resolve("parts");
        if (!Files.isDirectory(parts)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(parts)) {
            return files.filter(f -> f.getFileName().toString().startsWith(id) && f.toString().endsWith(".data"))
                    .mapToLong(IetfServerSupport::size).max().orElse(0);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException gone) {
            return 0;
        }
    }

    /** Every file under {@code storageDir}, relative to it, sorted. */
    static List<Path> stored(Path storageDir) throws IOException {
        try (Stream<Path> files = Files.walk(storageDir)) {
            return files.filter(Files::isRegularFile).map(storageDir::relativize).sorted().toList();
        }
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    /** The answer's JSON object body (a completion's description, a problem). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Response response) {
        return (Map<String, Object>) Json.parse(response.text());
    }

    /** The members of an {@code Upload-Limit} Dictionary of Integers ({@code max-size=1, max-age=2}), in order. */
    static Map<String, Long> limits(Response response) {
        String field = response.header("Upload-Limit")
                .orElseThrow(() -> new AssertionError("no Upload-Limit: " + response));
        Map<String, Long> members = new LinkedHashMap<>();
        for (String member : field.split(",")) {
            String[] keyAndValue = member.strip().split("=", 2);
            members.put(keyAndValue[0], Long.parseLong(keyAndValue[1]));
        }
        return members;
    }

    /** The RFC 9530 {@code Repr-Digest} of {@code bytes}: {@code sha-256=:<base64>:}. */
    static String reprDigest(byte[] bytes) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(sha256(bytes)) + ":";
    }
}
