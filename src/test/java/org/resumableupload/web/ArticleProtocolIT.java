package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.randomBytes;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The protocol as the article's client uses it, and chunked uploads that declare their size. The whole
 * upload and the owner cookie are in {@link DeployedProtocolContract}, which runs in every container.
 */
@Timeout(60)
class ArticleProtocolIT extends ServerTestSupport {
    @Test
    void statusWithoutFileIdIs400() {
        UploadClient client = new UploadClient(server);
        HttpResponse<String> response = client.send(client.request("/status").GET().build());
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("X-File-Id"), response.body());
        HttpResponse<String> post = client.send(client.request("/upload")
                .header("X-Start-Byte", "0").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(400, post.statusCode());
    }

    @Test
    void chunksWithDeclaredSizeAnswer204WithEachOffsetThen200() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(300_000, 2);
        String fileId = "chunks.bin";
        String size = Integer.toString(file.length);
        int[] cuts = {0, 100_000, 100_001, 250_000, file.length};

        for (int i = 0; i + 1 < cuts.length; i++) {
            HttpResponse<String> response = client.postRange(fileId, file, cuts[i], cuts[i + 1],
                    "X-File-Size", size, "X-File-Name", "report%20%C3%A9t%C3%A9.bin");
            if (cuts[i + 1] < file.length) {
                assertStored(response, cuts[i + 1]);
                assertEquals(cuts[i + 1], client.offset(fileId));
                assertFalse(Files.exists(storage.resolve("completed").resolve(client.uploadId(fileId))),
                        "not complete before the declared size");
            } else {
                Path completed = assertCompleted(response, file, storage);
                assertEquals("report été.bin", completed.getFileName().toString(), "X-File-Name decoded");
            }
        }
        assertEquals(file.length, client.offset(fileId));
    }

    @Test
    void startByteZeroStartsTheUploadOver() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] first = randomBytes(50_000, 3);
        byte[] second = randomBytes(80_000, 4);
        String fileId = "redo.bin-80000-1";
        assertStored(client.post(fileId, 0, Arrays.copyOf(first, 20_000), "X-File-Size", "50000"), 20_000);

        // The article's client starts over with X-Start-Byte 0 (or none): the old part is gone.
        assertCompleted(client.post(fileId, -1, second), second, storage);
        assertEquals(second.length, client.offset(fileId));
    }

    @Test
    void bytesPastTheEndOfACompletedUploadGet413AndLeaveItUntouched() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(5_000, 5);
        String fileId = "finished.txt-5000-1";
        Path completed = assertCompleted(client.post(fileId, 0, file), file, storage);

        UploadClient.Reply more = client.postRaw(fileId, file.length, new byte[10]);

        assertEquals(413, more.status(), more::toString);
        assertEquals("5000", more.header("Upload-Offset"));
        assertTrue(Arrays.equals(file, Files.readAllBytes(completed)), "completed file untouched");
        assertEquals(file.length, client.offset(fileId));
    }

    @Test
    void chunkWithContentDigestIsKeptOnlyIfTheDigestMatches() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(90_000, 6);
        String fileId = "digest.bin";
        byte[] first = Arrays.copyOf(file, 30_000);
        byte[] second = Arrays.copyOfRange(file, 30_000, 60_000);
        byte[] last = Arrays.copyOfRange(file, 60_000, 90_000);

        assertStored(client.post(fileId, 0, first, "X-File-Size", "90000",
                "Content-Digest", "sha-256=:" + UploadClient.sha256Base64(first) + ":"), 30_000);
        Path part = client.partData(storage, fileId);
        Map<String, String> before = UploadClient.snapshot(storage);

        UploadClient.Reply wrong = client.postRaw(fileId, 30_000, second, "X-File-Size", "90000",
                "Content-Digest", "sha-256=:" + UploadClient.sha256Base64(last) + ":");
        assertRefusedAtOrWithoutOffset(wrong, 400, 30_000);
        assertEquals(before, UploadClient.snapshot(storage), "the chunk was discarded");
        assertEquals(30_000, client.offset(fileId));
        assertEquals(30_000, Files.size(part));

        UploadClient.Reply malformed = client.postRaw(fileId, 30_000, second, "X-File-Size", "90000",
                "Content-Digest", "md5=:AAAA:");
        assertEquals(400, malformed.status(), malformed::toString);

        assertStored(client.post(fileId, 30_000, second, "X-File-Size", "90000",
                "Content-Digest", "sha-256=:" + UploadClient.sha256Base64(second) + ":"), 60_000);
        assertCompleted(client.post(fileId, 60_000, last, "X-File-Size", "90000"), file, storage);
    }

    private static void assertRefusedAtOrWithoutOffset(UploadClient.Reply reply, int status, long offset) {
        assertEquals(status, reply.status(), reply::toString);
        String header = reply.header("Upload-Offset");
        assertTrue(header == null || header.equals(Long.toString(offset)), () -> "Upload-Offset " + header);
    }
}
