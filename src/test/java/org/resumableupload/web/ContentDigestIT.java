package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9530 {@code Content-Digest} on {@code POST upload}: a matching chunk is stored, a mismatching one
 * is refused with 400 and leaves the stored offset and bytes as they were, a malformed header is 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentDigestIT {
    private static final String WRONG = "sha-256=:" + Base64.getEncoder().encodeToString(new byte[32]) + ":";

    private Path storage;
    private TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        storage = dir;
        server = TestServer.start(storage);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size * 7L).nextBytes(bytes);
        return bytes;
    }

    private static HttpResponse<String> chunk(HttpTestClient client, String id, byte[] file, int from, int to,
                                              String digest) throws Exception {
        return client.post(id, from, Arrays.copyOfRange(file, from, to), "X-File-Size", Integer.toString(file.length),
                "X-File-Name", id, "Content-Digest", digest);
    }

    /** Bytes on disk for the unfinished upload named {@code name} (parts/ID.data), found by its record. */
    private long partBytesOnDisk(String name) throws IOException {
        try (Stream<Path> records = Files.list(storage.resolve("parts"))) {
            for (Path record : records.filter(p -> p.toString().endsWith(".record")).toList()) {
                Properties props = new Properties();
                try (Reader in = Files.newBufferedReader(record)) {
                    props.load(in);
                }
                if (name.equals(props.getProperty("name"))) {
                    String file = record.getFileName().toString();
                    return Files.size(record.resolveSibling(file.substring(0, file.length() - ".record".length()) + ".data"));
                }
            }
        }
        throw new AssertionError("no part named " + name);
    }

    @Test
    void chunksWithMatchingDigestsAreStoredAndComplete() throws Exception {
        HttpTestClient client = new HttpTestClient(server);
        byte[] file = bytes(3000);

        HttpResponse<String> first = chunk(client, "match.bin", file, 0, 1000, HttpTestClient.contentDigest(
                Arrays.copyOfRange(file, 0, 1000)));
        assertEquals(204, first.statusCode());
        assertEquals("1000", first.headers().firstValue("Upload-Offset").orElse(null));
        assertEquals(1000, client.status("match.bin"));

        HttpResponse<String> last = chunk(client, "match.bin", file, 1000, 3000, HttpTestClient.contentDigest(
                Arrays.copyOfRange(file, 1000, 3000)));
        assertEquals(200, last.statusCode(), last.body());
        assertEquals("sha-256=:" + Base64.getEncoder().encodeToString(HttpTestClient.sha256(file)) + ":",
                last.headers().firstValue("Repr-Digest").orElse(null));
    }

    @Test
    void mismatchingDigestIs400AndKeepsNothingOfTheChunk() throws Exception {
        HttpTestClient client = new HttpTestClient(server);
        byte[] file = bytes(3000);
        assertEquals(204, chunk(client, "mismatch.bin", file, 0, 1000,
                HttpTestClient.contentDigest(Arrays.copyOfRange(file, 0, 1000))).statusCode());

        HttpResponse<String> refused = chunk(client, "mismatch.bin", file, 1000, 2000, WRONG);

        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().startsWith("Content-Digest does not match the body"), refused.body());
        assertEquals("1000", refused.headers().firstValue("Upload-Offset").orElse(null));
        assertEquals("nosniff", refused.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals(1000, client.status("mismatch.bin"), "offset unchanged");
        assertEquals(1000, partBytesOnDisk("mismatch.bin"), "the refused chunk's bytes are not kept");

        // Sent again with its right digest, it is accepted from the same offset and the file is whole.
        assertEquals(200, chunk(client, "mismatch.bin", file, 1000, 3000,
                HttpTestClient.contentDigest(Arrays.copyOfRange(file, 1000, 3000))).statusCode());
        assertArrayEquals(file, client.get("/files/" + idOf(client, "mismatch.bin")).body());
    }

    @Test
    void mismatchingDigestOnTheFirstChunkLeavesTheUploadEmpty() throws Exception {
        HttpTestClient client = new HttpTestClient(server);
        byte[] file = bytes(2000);

        HttpResponse<String> refused = chunk(client, "first.bin", file, 0, 2000, WRONG);

        assertEquals(400, refused.statusCode());
        assertEquals(0, client.status("first.bin"));
        assertTrue(client.getText("/files").equals("[]"), "not completed");
    }

    @Test
    void malformedDigestHeadersAre400AndChangeNothing() throws Exception {
        HttpTestClient client = new HttpTestClient(server);
        byte[] file = bytes(2000);
        byte[] head = Arrays.copyOfRange(file, 0, 500);
        assertEquals(204, chunk(client, "malformed.bin", file, 0, 500, HttpTestClient.contentDigest(head)).statusCode());
        String rightBase64 = Base64.getEncoder().encodeToString(HttpTestClient.sha256(Arrays.copyOfRange(file, 500, 1000)));
        for (String malformed : List.of("sha-256=" + rightBase64, "sha-256=:" + rightBase64.substring(4) + ":",
                "sha-256=:not base64!:", "md5=:" + Base64.getEncoder().encodeToString(new byte[16]) + ":", "", "sha-256")) {
            HttpResponse<String> response = chunk(client, "malformed.bin", file, 500, 1000, malformed);
            assertEquals(400, response.statusCode(), malformed);
            assertTrue(response.body().startsWith("Content-Digest must carry sha-256"), malformed + ": " + response.body());
            assertEquals(500, client.status("malformed.bin"), malformed);
        }
        assertEquals(500, partBytesOnDisk("malformed.bin"));
        // A dictionary with other algorithms besides sha-256 is fine.
        HttpResponse<String> several = chunk(client, "malformed.bin", file, 500, 2000, "sha-512=:"
                + Base64.getEncoder().encodeToString(new byte[64]) + ":, sha-256=:" + Base64.getEncoder().encodeToString(
                HttpTestClient.sha256(Arrays.copyOfRange(file, 500, 2000))) + ":");
        assertEquals(200, several.statusCode(), several.body());
    }

    private static String idOf(HttpTestClient client, String name) throws Exception {
        var id = java.util.regex.Pattern.compile("\"id\":\"([0-9a-f]{64})\",\"name\":\"" + name + "\"")
                .matcher(client.getText("/files"));
        assertTrue(id.find());
        return id.group(1);
    }
}
