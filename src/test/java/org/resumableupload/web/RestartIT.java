package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sizeOf;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopped and a new one started on the same directory keeps every upload: the offset, and the
 * SHA-256 rebuilt from the stored prefix so the completion digest is right.
 */
@Timeout(60)
class RestartIT {
    @TempDir
    Path storage;

    @Test
    void uploadResumesAfterARestartAndCompletesWithTheRightSha256() throws Exception {
        byte[] file = randomBytes(900_000, 50);
        String fileId = "restart.bin";
        String size = Integer.toString(file.length);
        UploadClient client;
        try (TestServer first = TestServer.start(storage)) {
            client = new UploadClient(first);
            assertStored(client.postRange(fileId, file, 0, 250_000, "X-File-Size", size), 250_000);
            assertStored(client.postRange(fileId, file, 250_000, 400_001, "X-File-Size", size), 400_001);
        }

        try (TestServer second = TestServer.start(storage)) {
            client.use(second); // same owner cookie, new server
            assertEquals(400_001, client.offset(fileId), "the offset survived the restart");
            assertCompleted(client.postRange(fileId, file, 400_001, file.length, "X-File-Size", size),
                    file, storage);
            assertEquals(file.length, client.offset(fileId));
        }

        try (TestServer third = TestServer.start(storage)) {
            client.use(third);
            assertEquals(file.length, client.offset(fileId), "a completed upload survives a restart too");
        }
    }

    @Test
    void articleUploadCutThenRestartedTwiceResumesToAnIdenticalFile() throws Exception {
        byte[] file = randomBytes(700_000, 51);
        String fileId = "movie.mkv-700000-1700000000000";
        UploadClient client;
        try (TestServer first = TestServer.start(storage)) {
            client = new UploadClient(first);
            client.postAndCut(fileId, file, 0, 123_457);
            await("the cut body is stored", () -> client.offset(fileId) == 123_457);
        }
        try (TestServer second = TestServer.start(storage)) {
            client.use(second);
            assertEquals(123_457, client.offset(fileId));
            client.postAndCut(fileId, file, 123_457, 200_000);
            await("the second cut body is stored", () -> client.offset(fileId) == 323_457);
        }
        try (TestServer third = TestServer.start(storage)) {
            client.use(third);
            assertEquals(323_457, client.offset(fileId));
            assertCompleted(client.postRange(fileId, file, 323_457, file.length), file, storage);
        }
    }

    @Test
    void serverStoppedDuringARequestKeepsTheBytesThatArrived() throws Exception {
        byte[] file = randomBytes(600_000, 52);
        String fileId = "stopped.bin-600000-1";
        UploadClient client;
        try (TestServer first = TestServer.start(storage)) {
            client = new UploadClient(first);
            try (UploadClient.RawConnection open = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                    "Content-Length", "600000")) {
                open.send(file, 0, 250_000);
                Path part = client.partData(storage, fileId);
                await("the server wrote the bytes", () -> sizeOf(part) == 250_000);
                first.close(); // stops while the request is still open
                UploadClient.Reply answer = open.response(UploadClient.TIMEOUT);
                assertTrue(answer == UploadClient.Reply.CLOSED || answer.status() >= 400,
                        "an interrupted body is never answered as a success: " + answer);
            }
        }
        try (TestServer second = TestServer.start(storage)) {
            client.use(second);
            assertEquals(250_000, client.offset(fileId), "bytes written before the stop are kept");
            assertCompleted(client.postRange(fileId, file, 250_000, file.length), file, storage);
        }
    }
}
