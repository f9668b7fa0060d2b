package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertRefusedAt;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Hex;
import static org.resumableupload.web.UploadClient.sizeOf;
import static org.resumableupload.web.UploadClient.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies past the declared size (413, not one byte past it stored), the maximum upload size (413) and
 * the free-disk reserve (507): each refused without changing what is stored.
 */
@Timeout(60)
class LimitsIT extends ServerTestSupport {
    // ---- past the declared size ----

    @Test
    void contentLengthPastTheDeclaredSizeGets413BeforeAnythingChanges() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(200_000, 60);
        String fileId = "declared-413.bin";
        assertStored(client.postRange(fileId, file, 0, 100_000, "X-File-Size", "200000"), 100_000);
        Map<String, String> before = snapshot(storage);

        UploadClient.Reply response = client.postRaw(fileId, 100_000,
                Arrays.copyOfRange(randomBytes(300_000, 60), 100_000, 200_001), "X-File-Size", "200000");

        assertRefusedAt(response, 413, 100_000);
        assertEquals(before, snapshot(storage), "nothing changed on disk");
        assertCompleted(client.postRange(fileId, file, 100_000, file.length, "X-File-Size", "200000"),
                file, storage);
    }

    @Test
    void newUploadWhoseBodyIsLargerThanItsDeclaredSizeGets413AndCreatesNothing() throws Exception {
        UploadClient client = new UploadClient(server);
        Map<String, String> before = snapshot(storage);

        UploadClient.Reply response = client.postRaw("small.bin", 0, new byte[1001], "X-File-Size", "1000");

        assertEquals(413, response.status(), response::toString);
        assertEquals(before, snapshot(storage), "nothing created on disk");
        assertEquals(0, client.offset("small.bin"));
    }

    @Test
    void chunkedBodyPassingTheDeclaredSizeGets413AndStoresNotOneBytePastIt() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(200_000, 61);
        byte[] tooLong = Arrays.copyOf(file, 205_000);
        String fileId = "chunked-413.bin";
        assertStored(client.postRange(fileId, file, 0, 100_000, "X-File-Size", "200000"), 100_000);
        Path part = client.partData(storage, fileId);
        String partSha = sha256Hex(part);

        UploadClient.Reply response;
        try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "100000",
                "X-File-Size", "200000", "Transfer-Encoding", "chunked")) {
            for (int at = 100_000; at < tooLong.length; at += 35_000) {
                raw.sendChunk(tooLong, at, Math.min(35_000, tooLong.length - at));
            }
            raw.endChunks();
            response = raw.response(UploadClient.TIMEOUT);
        }

        assertEquals(413, response.status(), response::toString);
        assertEquals("100000", response.header("Upload-Offset"));
        assertEquals(100_000, client.offset(fileId), "offset unchanged");
        assertEquals(100_000, sizeOf(part), "not one byte past the stored offset kept");
        assertEquals(partSha, sha256Hex(part));
        assertCompleted(client.postRange(fileId, file, 100_000, file.length, "X-File-Size", "200000"),
                file, storage);
    }

    @Test
    void chunkedBodyThatArrivesWholeCompletesTheUpload() throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(150_000, 62);
        String fileId = "chunked.bin-150000-1";
        UploadClient.Reply response;
        try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Transfer-Encoding", "chunked")) {
            for (int at = 0; at < file.length; at += 40_000) {
                raw.sendChunk(file, at, Math.min(40_000, file.length - at));
            }
            raw.endChunks();
            response = raw.response(UploadClient.TIMEOUT);
        }
        assertEquals(200, response.status(), response::toString);
        assertEquals(sha256Hex(file), UploadClient.jsonString(response.body(), "sha256"));
        Path completed = UploadClient.completedFile(storage, UploadClient.jsonString(response.body(), "id"));
        assertTrue(Arrays.equals(file, Files.readAllBytes(completed)));
    }

    // ---- maximum upload size ----

    @Test
    void maximumUploadSizeRefusesLargerUploadsWith413(@TempDir Path dir) throws Exception {
        try (TestServer limited = TestServer.start(dir, Map.of("upload.maxSize", "1M"))) {
            UploadClient client = new UploadClient(limited);
            int max = 1 << 20;

            UploadClient.Reply declared = client.postRaw("big.bin", 0, new byte[1000],
                    "X-File-Size", Integer.toString(2 * max));
            assertEquals(413, declared.status(), declared::toString);
            assertEquals(0, client.offset("big.bin"));

            UploadClient.Reply body = client.postRaw("big.bin-1048577-1", 0, new byte[max + 1]);
            assertEquals(413, body.status(), body::toString);
            assertEquals(0, client.offset("big.bin-1048577-1"));

            byte[] tooBig = randomBytes(max + 70_000, 63);
            UploadClient.Reply chunked;
            try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", "chunked-big.bin",
                    "X-Start-Byte", "0", "Transfer-Encoding", "chunked")) {
                for (int at = 0; at < tooBig.length; at += 64 * 1024) {
                    raw.sendChunk(tooBig, at, Math.min(64 * 1024, tooBig.length - at));
                }
                raw.endChunks();
                chunked = raw.response(UploadClient.TIMEOUT);
            }
            assertEquals(413, chunked.status(), chunked::toString);
            assertEquals(0, client.offset("chunked-big.bin"));
            assertEquals(0, sizeOf(client.partData(dir, "chunked-big.bin")), "nothing of the body kept");
            assertNoCompletedFiles(dir);

            byte[] exactlyMax = randomBytes(max, 64);
            assertCompleted(client.post("max.bin-1048576-1", 0, exactlyMax), exactlyMax, dir);
        }
    }

    // ---- free-disk reserve ----

    @Test
    void freeDiskReserveAboveTheFreeSpaceRefusesWith507BeforeWriting(@TempDir Path dir) throws Exception {
        byte[] file = randomBytes(100_000, 65);
        UploadClient client;
        try (TestServer normal = TestServer.start(dir)) {
            client = new UploadClient(normal);
            assertStored(client.postRange("reserve.bin", file, 0, 40_000, "X-File-Size", "100000"), 40_000);
        }
        try (TestServer full = TestServer.start(dir, Map.of("upload.diskReserve", "1000T"))) {
            client.use(full);
            Map<String, String> before = snapshot(dir);

            UploadClient.Reply fresh = client.postRaw("new.bin-1000-1", 0, new byte[1000]);
            assertEquals(507, fresh.status(), fresh::toString);

            UploadClient.Reply resume = client.postRangeRaw("reserve.bin", file, 40_000, file.length,
                    "X-File-Size", "100000");
            assertRefusedAt(resume, 507, 40_000);

            assertEquals(before, snapshot(dir), "nothing written");
            assertEquals(0, client.offset("new.bin-1000-1"));
            assertEquals(40_000, client.offset("reserve.bin"), "status still answers");
        }
    }

    private static void assertNoCompletedFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("completed"))) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "no completed upload");
        }
    }
}
