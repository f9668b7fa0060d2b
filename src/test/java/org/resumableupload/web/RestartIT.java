package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.randomBytes;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopped and a new one started on the same directory keeps every upload: the offset, and the
 * SHA-256 rebuilt from the stored prefix so the completion digest is right. Restarts of each container
 * (also during a request) are in {@link DeployedProtocolContract}.
 */
@Timeout(60)
class RestartIT {
    @TempDir
    Path storage;

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
}
