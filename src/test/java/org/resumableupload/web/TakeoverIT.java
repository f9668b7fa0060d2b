package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sizeOf;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One writer per upload: a newer request takes over from a stalled one at once; the stalled one keeps
 * what it wrote and is told 409 (or its connection is closed). The takeover of a stalled chunk is in
 * {@link DeployedProtocolContract}, which runs in every container.
 */
@Timeout(60)
class TakeoverIT extends ServerTestSupport {
    @Test
    void articleClientStartingOverBeatsItsOwnStalledRequest() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(800_000, 41);
        String fileId = "again.bin-800000-1700000000000";

        try (UploadClient.RawConnection stalled = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Content-Length", "800000")) {
            stalled.send(file, 0, 400_000);
            // The data file is re-resolved on each look: a start-over names its file only at its first commit.
            await("the server wrote the stalled request's bytes",
                    () -> sizeOf(client.partData(storage, fileId)) == 400_000);

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
