package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.randomBytes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.UploadId;

/**
 * The background sweep: it stops writers that stay idle (408, keeping what they stored) and deletes
 * incomplete uploads untouched for longer than the expiry age, never completed ones.
 */
@Timeout(60)
class SweepIT {

    @Test
    void idleWriterIsStoppedBySweepWith408KeepingWhatItStored(@TempDir Path sweepStorage) throws Exception {
        try (TestServer sweeping = TestServer.start(sweepStorage,
                Map.of("upload.idleTimeout", "2s", "upload.sweepInterval", "PT0.5S"))) {
            UploadClient client = new UploadClient(sweeping);
            byte[] file = randomBytes(500_000, 42);
            String fileId = "idle.bin-500000-1";

            try (UploadClient.RawConnection stalled = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                    "Content-Length", "500000")) {
                long sending = System.nanoTime(); // the server's last byte arrives after this
                stalled.send(file, 0, 200_000);
                await("the sweep commits the idle request's bytes", () -> client.offset(fileId) == 200_000);
                Duration waited = Duration.ofNanos(System.nanoTime() - sending);
                assertTrue(waited.compareTo(Duration.ofSeconds(2)) >= 0,
                        "not stopped before the idle timeout: " + waited);
                assertTrue(waited.compareTo(Duration.ofSeconds(8)) < 0, "stopped within a few seconds: " + waited);

                UploadClient.Reply answer = stalled.response(Duration.ofSeconds(10));
                assertTrue(answer.status() == 408 || answer == UploadClient.Reply.CLOSED,
                        "the idle request is answered 408 or closed, got " + answer);
                if (answer.status() == 408) {
                    assertEquals("200000", answer.header("Upload-Offset"));
                }
            }
            assertCompleted(client.postRange(fileId, file, 200_000, file.length), file, sweepStorage);
        }
    }

    @Test
    void incompleteUploadsExpireAndCompletedOnesStay(@TempDir Path sweepStorage) throws Exception {
        try (TestServer sweeping = TestServer.start(sweepStorage,
                Map.of("upload.expireAfter", "1s", "upload.sweepInterval", "PT0.2S"))) {
            UploadClient client = new UploadClient(sweeping);
            byte[] done = randomBytes(1000, 43);
            Path completed = assertCompleted(client.post("kept.bin-1000-1", 0, done), done, sweepStorage);

            long storing = System.nanoTime();
            assertStored(client.post("left.bin", 0, new byte[500], "X-File-Size", "1000"), 500);
            Path part = client.partData(sweepStorage, "left.bin");
            assertTrue(Files.exists(part));

            await("the untouched part expires", () -> client.offset("left.bin") == 0);
            Duration waited = Duration.ofNanos(System.nanoTime() - storing);
            assertTrue(waited.compareTo(Duration.ofSeconds(1)) >= 0, "not deleted before its age: " + waited);
            assertFalse(Files.exists(part), "its bytes are deleted");
            assertFalse(Files.exists(StoredFiles.partRecord(sweepStorage, UploadId.of(client.uploadId("left.bin")))),
                    "its record is deleted");

            assertTrue(Files.exists(completed), "completed uploads never expire");
            assertEquals(done.length, client.offset("kept.bin-1000-1"));
            // An expired upload starts afresh; a resume from the old offset is told 0.
            UploadClient.assertRefusedAt(client.postRaw("left.bin", 500, new byte[500], "X-File-Size", "1000"),
                    409, 0);
        }
    }
}
