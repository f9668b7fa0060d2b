package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Base64;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9530 {@code Content-Digest} on {@code POST upload}: a matching chunk is stored, a mismatching one
 * is refused with 400 and leaves the stored offset and bytes as they were, a malformed header is 400.
 */
class ContentDigestIT extends ServerTestSupport {
    private static final String WRONG = "sha-256=:" + Base64.getEncoder().encodeToString(new byte[32]) + ":";

    private static String digestOf(byte[] file, int from, int to) {
        return "sha-256=:" + sha256Base64(Arrays.copyOfRange(file, from, to)) + ":";
    }

    private static HttpResponse<String> chunk(UploadClient client, String id, byte[] file, int from, int to,
                                              String digest) {
        return client.postRange(id, file, from, to, "X-File-Size", Integer.toString(file.length),
                "X-File-Name", id, "Content-Digest", digest);
    }

    @Test
    void chunksWithMatchingDigestsAreStoredAndComplete() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(3000, 1);

        UploadClient.assertStored(chunk(client, "match.bin", file, 0, 1000, digestOf(file, 0, 1000)), 1000);
        assertEquals(1000, client.offset("match.bin"));

        UploadClient.assertCompleted(chunk(client, "match.bin", file, 1000, 3000, digestOf(file, 1000, 3000)),
                file, storage);
    }

    @Test
    void mismatchingDigestIs400AndKeepsNothingOfTheChunk() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(3000, 2);
        UploadClient.assertStored(chunk(client, "mismatch.bin", file, 0, 1000, digestOf(file, 0, 1000)), 1000);

        HttpResponse<String> refused = chunk(client, "mismatch.bin", file, 1000, 2000, WRONG);

        UploadClient.assertRefusedAt(refused, 400, 1000);
        assertTrue(refused.body().startsWith("Content-Digest does not match the body"), refused.body());
        assertEquals("nosniff", refused.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals(1000, client.offset("mismatch.bin"), "offset unchanged");
        assertEquals(1000, Files.size(client.partData(storage, "mismatch.bin")), "the refused chunk's bytes are not kept");

        // Sent again with its right digest, it is accepted from the same offset and the file is whole.
        UploadClient.assertCompleted(chunk(client, "mismatch.bin", file, 1000, 3000, digestOf(file, 1000, 3000)),
                file, storage);
    }

    @Test
    void mismatchingDigestOnTheFirstChunkLeavesTheUploadEmpty() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(2000, 3);

        HttpResponse<String> refused = chunk(client, "first.bin", file, 0, 2000, WRONG);

        assertEquals(400, refused.statusCode());
        assertEquals(0, client.offset("first.bin"));
        Path part = client.partData(storage, "first.bin");
        assertTrue(!Files.exists(part) || Files.size(part) == 0, "no bytes kept");
        assertEquals("[]", client.send(client.request("/files").GET().build()).body(), "not completed");
    }

    @Test
    void malformedDigestHeadersAre400AndChangeNothing() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(2000, 4);
        UploadClient.assertStored(chunk(client, "malformed.bin", file, 0, 500, digestOf(file, 0, 500)), 500);
        String right = sha256Base64(Arrays.copyOfRange(file, 500, 1000));
        for (String malformed : List.of("sha-256=" + right, "sha-256=:" + right.substring(4) + ":",
                "sha-256=:not base64!:", "md5=:" + Base64.getEncoder().encodeToString(new byte[16]) + ":", "sha-256")) {
            HttpResponse<String> response = chunk(client, "malformed.bin", file, 500, 1000, malformed);
            assertEquals(400, response.statusCode(), malformed);
            assertTrue(response.body().startsWith("Content-Digest must carry sha-256"), malformed + ": " + response.body());
            assertEquals(500, client.offset("malformed.bin"), malformed);
        }
        assertEquals(500, Files.size(client.partData(storage, "malformed.bin")));
        assertFalse(Files.exists(storage.resolve("completed").resolve(client.uploadId("malformed.bin"))));

        // A dictionary with another algorithm beside sha-256 is fine: sha-256 is checked.
        String several = "sha-512=:" + Base64.getEncoder().encodeToString(new byte[64]) + ":, " + digestOf(file, 500, 2000);
        UploadClient.assertCompleted(chunk(client, "malformed.bin", file, 500, 2000, several), file, storage);
    }

    @Test
    void aRefusedStartOverOnACompletedUploadLeavesItCompleteForStatusAndTheFinalEmptyPost() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(2000, 5);
        Path completed = UploadClient.assertCompleted(chunk(client, "done.bin", file, 0, 2000,
                digestOf(file, 0, 2000)), file, storage);

        HttpResponse<String> refused = chunk(client, "done.bin", randomBytes(2000, 6), 0, 2000, WRONG);

        UploadClient.assertRefusedAt(refused, 400, 2000);
        assertEquals(2000, client.offset("done.bin"), "status still says the whole file is stored");
        assertFalse(Files.exists(client.partData(storage, "done.bin")), "no part replaces the completed upload");
        assertTrue(Arrays.equals(file, Files.readAllBytes(completed)), "the completed file is untouched");
        // The article's client ends with an empty POST at the offset status gave: it completes again.
        UploadClient.assertCompleted(client.post("done.bin", 2000, new byte[0]), file, storage);
    }
}
