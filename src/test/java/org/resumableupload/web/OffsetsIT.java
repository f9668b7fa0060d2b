package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertRefusedAt;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.snapshot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** X-Start-Byte that is wrong (409 with the stored offset) or malformed (400); neither changes anything. */
@Timeout(60)
class OffsetsIT {
    static Path storage;
    static TestServer server;
    static UploadClient client;
    static final byte[] FILE = randomBytes(200_000, 20);
    static final String SIZE = Integer.toString(FILE.length);
    static final String FILE_ID = "offsets.bin";
    static final int STORED = 80_000;

    @BeforeAll
    static void startServerWithAHalfDoneUpload(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        storage = dir;
        server = TestServer.start(storage);
        client = new UploadClient(server);
        assertStored(client.postRange(FILE_ID, FILE, 0, STORED, "X-File-Size", SIZE), STORED);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "X-Start-Byte {0}")
    @ValueSource(longs = {1, 79_999, 80_001, 150_000, 200_000, 10_000_000})
    void startByteOtherThanTheStoredOffsetGets409WithTheOffsetAndChangesNothing(long startByte) throws Exception {
        Map<String, String> before = snapshot(storage);
        byte[] body = Arrays.copyOfRange(FILE, (int) Math.min(startByte, FILE.length - 10), FILE.length);

        UploadClient.Reply response = client.postRaw(FILE_ID, startByte, body, "X-File-Size", SIZE);

        assertRefusedAt(response, 409, STORED);
        assertEquals(before, snapshot(storage), "nothing changed on disk");
        assertEquals(STORED, client.offset(FILE_ID));
    }

    @Test
    void aRefusedSmallBodyIsReadSoAnOrdinaryClientReceivesTheRefusal() {
        byte[] body = Arrays.copyOfRange(FILE, 100_000, 200_000);
        for (int attempt = 0; attempt < 40; attempt++) {
            // java.net.http writes the whole body before reading; an unread body would reset it.
            var response = client.post(FILE_ID, 100_000, body, "X-File-Size", SIZE);
            assertEquals(409, response.statusCode(), "attempt " + attempt);
            assertEquals(Long.toString(STORED), response.headers().firstValue("Upload-Offset").orElseThrow());
        }
        assertEquals(STORED, client.offset(FILE_ID));
    }

    @ParameterizedTest(name = "X-Start-Byte \"{0}\"")
    @ValueSource(strings = {"-1", "abc", "1e3", " 12 3", "+80000", "0x10", "80000.0", "80 000",
            "99999999999999999999", "9999999999999999999", "-0"})
    void malformedStartByteGets400AndChangesNothing(String startByte) throws Exception {
        Map<String, String> before = snapshot(storage);

        UploadClient.Reply response = client.postRaw(FILE_ID, -1, Arrays.copyOfRange(FILE, STORED, FILE.length),
                "X-Start-Byte", startByte, "X-File-Size", SIZE);

        assertEquals(400, response.status(), response::toString);
        assertTrue(response.body().contains("X-Start-Byte"), response.body());
        assertEquals(before, snapshot(storage), "nothing changed on disk");
        assertEquals(STORED, client.offset(FILE_ID));
    }

    @ParameterizedTest(name = "X-File-Size \"{0}\"")
    @ValueSource(strings = {"-1", "abc", "99999999999999999999", "2e5"})
    void malformedFileSizeGets400AndChangesNothing(String size) throws Exception {
        Map<String, String> before = snapshot(storage);

        UploadClient.Reply response = client.postRaw(FILE_ID, STORED, new byte[10], "X-File-Size", size);

        assertEquals(400, response.status(), response::toString);
        assertEquals(before, snapshot(storage), "nothing changed on disk");
    }

    @Test
    void startByteSentTwiceWithDifferentValuesGets400() throws Exception {
        Map<String, String> before = snapshot(storage);

        UploadClient.Reply response = client.postRaw(FILE_ID, STORED, new byte[100], "X-Start-Byte", "0",
                "X-File-Size", SIZE);

        assertEquals(400, response.status(), response::toString);
        assertTrue(response.body().contains("more than once"), response.body());
        assertEquals(before, snapshot(storage), "nothing changed on disk");
        assertEquals(STORED, client.offset(FILE_ID));
    }

    @Test
    void aDifferentDeclaredSizeGets409WithTheOffset() throws Exception {
        Map<String, String> before = snapshot(storage);

        UploadClient.Reply response = client.postRangeRaw(FILE_ID, FILE, STORED, STORED + 10,
                "X-File-Size", Integer.toString(FILE.length + 1));

        assertRefusedAt(response, 409, STORED);
        assertEquals(before, snapshot(storage), "nothing changed on disk");
    }

    @Test
    void startByteOnAnUnknownUploadGets409WithOffsetZero() throws Exception {
        Map<String, String> before = snapshot(storage);

        assertRefusedAt(client.postRaw("never-started.bin", 5, new byte[5]), 409, 0);

        assertEquals(before, snapshot(storage), "nothing created on disk");
        assertEquals(0, client.offset("never-started.bin"));
    }

    @Test
    void afterEveryRefusalTheUploadStillCompletesFromTheStoredOffset() throws Exception {
        // Runs in any order with the others: whatever they did, the stored offset is still STORED...
        String fileId = "offsets-then-complete.bin";
        UploadClient other = new UploadClient(server);
        assertStored(other.postRange(fileId, FILE, 0, STORED, "X-File-Size", SIZE), STORED);
        assertRefusedAt(other.postRangeRaw(fileId, FILE, STORED + 1, FILE.length, "X-File-Size", SIZE),
                409, STORED);
        assertEquals(400, other.postRaw(fileId, -1, new byte[3], "X-Start-Byte", "-1").status());
        // ...and the resumed upload is byte-identical.
        assertCompleted(other.postRange(fileId, FILE, STORED, FILE.length, "X-File-Size", SIZE), FILE, storage);
    }
}
