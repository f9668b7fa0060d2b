package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.randomBytes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Connections dropped mid-body keep what arrived; the client resumes from the status offset. */
@Timeout(60)
class ResumeIT {
    @TempDir
    static Path storage;
    static TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start(storage);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void bodyCutMidwayKeepsExactlyWhatArrivedAndResumesToAnIdenticalFile() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(1_000_003, 10);
        String fileId = "video.mp4-1000003-1700000000001";
        int cut = 300_001;

        client.postAndCut(fileId, file, 0, cut);
        await("status reports the " + cut + " bytes that arrived", () -> client.offset(fileId) == cut);
        assertFalse(Files.exists(storage.resolve("completed").resolve(client.uploadId(fileId))),
                "a body cut short never completes the upload");
        Path part = client.partData(storage, fileId);
        assertEquals(cut, Files.size(part), "no more than what arrived is stored");
        assertEquals(UploadClient.sha256Hex(Arrays.copyOf(file, cut)), UploadClient.sha256Hex(part),
                "the stored prefix is exactly the first bytes sent");

        // Resume as the article's client does: status, then the rest from there, no X-File-Size.
        long from = client.offset(fileId);
        assertCompleted(client.postRange(fileId, file, (int) from, file.length), file, storage);
        assertEquals(file.length, client.offset(fileId));
        assertFalse(Files.exists(part), "the part moved to the completed area");
    }

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
