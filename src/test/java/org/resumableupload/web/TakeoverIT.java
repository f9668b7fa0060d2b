package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Hex;
import static org.resumableupload.web.UploadClient.sizeOf;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per upload: a newer request takes over from a stalled one at once; the stalled one keeps
 * what it wrote and is told 409 (or its connection is closed).
 */
@Timeout(60)
class TakeoverIT {
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
    void newerRequestTakesOverAStalledOneKeepingItsBytes() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(1_000_000, 40);
        String fileId = "stalled.bin";
        String size = Integer.toString(file.length);
        assertStored(client.postRange(fileId, file, 0, 100_000, "X-File-Size", size), 100_000);

        try (UploadClient.RawConnection stalled = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "100000",
                "X-File-Size", size, "Content-Length", "900000")) {
            stalled.send(file, 100_000, 300_000); // then nothing more: a stalled client
            Path part = client.partData(storage, fileId);
            await("the server wrote the stalled request's bytes", () -> sizeOf(part) == 400_000);

            // A second request, as a client would: status, then the rest from there.
            long offset = client.offset(fileId);
            assertTrue(offset >= 100_000 && offset <= 400_000, "status counts only stored bytes: " + offset);
            UploadClient.Reply response = client.postRangeRaw(fileId, file, (int) offset, file.length,
                    "X-File-Size", size);
            if (response.status() == 409) {
                // The takeover stopped the stalled request; it committed what it wrote.
                UploadClient.assertRefusedAt(response, 409, 400_000);
                offset = 400_000;
                response = client.postRangeRaw(fileId, file, (int) offset, file.length, "X-File-Size", size);
            }
            Path completed = assertCompleted(response, file, storage);

            UploadClient.Reply old = stalled.response(Duration.ofSeconds(10));
            assertTrue(old.status() == 409 || old == UploadClient.Reply.CLOSED,
                    "the stalled request is answered 409 or closed, got " + old);
            if (old.status() == 409) {
                assertTrue(old.body().contains("newer request"), old.body());
            }
            sendQuietly(stalled, file, 400_000, 100_000); // late bytes of the old request go nowhere
            assertEquals(sha256Hex(file), sha256Hex(completed));
            assertEquals(file.length, client.offset(fileId));
        }
    }

    @Test
    void articleClientStartingOverBeatsItsOwnStalledRequest() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(800_000, 41);
        String fileId = "again.bin-800000-1700000000000";

        try (UploadClient.RawConnection stalled = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Content-Length", "800000")) {
            stalled.send(file, 0, 400_000);
            Path part = client.partData(storage, fileId);
            await("the server wrote the stalled request's bytes", () -> sizeOf(part) == 400_000);

            long offset = client.offset(fileId);
            UploadClient.Reply response = client.postRangeRaw(fileId, file, (int) offset, file.length);
            if (response.status() == 409) {
                offset = Long.parseLong(response.header("Upload-Offset"));
                response = client.postRangeRaw(fileId, file, (int) offset, file.length);
            }
            Path completed = assertCompleted(response, file, storage);

            UploadClient.Reply old = stalled.response(Duration.ofSeconds(10));
            assertTrue(old.status() == 409 || old == UploadClient.Reply.CLOSED,
                    "the stalled request is answered 409 or closed, got " + old);
            sendQuietly(stalled, file, 400_000, 400_000);
            assertTrue(Arrays.equals(file, java.nio.file.Files.readAllBytes(completed)),
                    "no interleaved or duplicated bytes");
        }
    }

    private static void sendQuietly(UploadClient.RawConnection connection, byte[] bytes, int offset, int length) {
        try {
            connection.send(bytes, offset, length);
        } catch (IOException closedByServer) {
            // the server has closed the old connection: also fine
        }
    }
}
