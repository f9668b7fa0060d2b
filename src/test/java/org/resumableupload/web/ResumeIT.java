package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.randomBytes;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections dropped mid-body keep what arrived; the client resumes from the status offset. One cut and
 * resume is in {@link DeployedProtocolContract}, which runs in every container.
 */
@Timeout(60)
class ResumeIT extends ServerTestSupport {
    @Test
    void severalCutsInARowStillGiveAnIdenticalFile() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(600_000, 11);
        String fileId = "cuts.bin-600000-1";

        client.postAndCut(fileId, file, 0, 65_537);
        await("first cut stored", () -> client.offset(fileId) == 65_537);
        client.postAndCut(fileId, file, 65_537, 1);
        await("second cut stored", () -> client.offset(fileId) == 65_538);
        client.postAndCut(fileId, file, 65_538, 400_000);
        await("third cut stored", () -> client.offset(fileId) == 465_538);

        assertCompleted(client.postRange(fileId, file, 465_538, file.length), file, storage);
    }

    @Test
    void cutChunkOfADeclaredSizeUploadResumesThenCompletes() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(400_000, 12);
        String fileId = "declared.bin";
        String size = Integer.toString(file.length);
        assertStored(client.postRange(fileId, file, 0, 100_000, "X-File-Size", size), 100_000);

        try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "100000",
                "X-File-Size", size, "Content-Length", "300000")) {
            raw.send(file, 100_000, 123_456);
        }
        await("cut chunk stored", () -> client.offset(fileId) == 223_456);

        assertCompleted(client.postRange(fileId, file, 223_456, file.length, "X-File-Size", size), file, storage);
    }

    @Test
    void chunkedBodyCutBeforeItsLastChunkKeepsWhatArrivedAndDoesNotComplete() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(300_000, 13);
        String fileId = "chunked-cut.bin-300000-1";

        try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Transfer-Encoding", "chunked")) {
            raw.sendChunk(file, 0, 100_000).sendChunk(file, 100_000, 50_000);
            // closed without the terminating zero-length chunk: the body is cut, not complete
        }
        await("the chunks that arrived are stored", () -> client.offset(fileId) == 150_000);
        assertFalse(Files.exists(storage.resolve("completed").resolve(client.uploadId(fileId))),
                "a body cut short never completes the upload");

        assertCompleted(client.postRange(fileId, file, 150_000, file.length), file, storage);
    }
}
