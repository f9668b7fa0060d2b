package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertRefusedAt;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.jsonString;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Hex;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two owners (two cookie jars) using one X-File-Id have two independent uploads. */
@Timeout(60)
class OwnershipIT {
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
    void twoOwnersWithOneFileIdNeitherSeeNorWriteEachOthersUpload() throws Exception {
        UploadClient alice = new UploadClient(server);
        UploadClient bob = new UploadClient(server);
        String fileId = "report.pdf-300000-1700000000000";
        byte[] aliceFile = randomBytes(300_000, 30);
        byte[] bobFile = randomBytes(300_000, 31);
        String size = "300000";
        assertNotEquals(alice.ownerToken(), bob.ownerToken());

        assertStored(alice.postRange(fileId, aliceFile, 0, 120_000, "X-File-Size", size), 120_000);

        assertEquals(0, bob.offset(fileId), "bob does not see alice's offset");
        // Bob resuming at alice's offset is told his own (empty) upload's offset, and nothing is written.
        assertRefusedAt(bob.postRangeRaw(fileId, bobFile, 120_000, 300_000, "X-File-Size", size), 409, 0);
        assertEquals(120_000, alice.offset(fileId));

        assertStored(bob.postRange(fileId, bobFile, 0, 50_000, "X-File-Size", size), 50_000);
        assertEquals(120_000, alice.offset(fileId), "bob's chunk did not touch alice's upload");
        assertEquals(50_000, bob.offset(fileId));
        assertRefusedAt(alice.postRangeRaw(fileId, aliceFile, 50_000, 300_000, "X-File-Size", size),
                409, 120_000);

        HttpResponse<String> aliceDone = alice.postRange(fileId, aliceFile, 120_000, 300_000, "X-File-Size", size);
        Path aliceCompleted = assertCompleted(aliceDone, aliceFile, storage);
        assertEquals(50_000, bob.offset(fileId), "alice completing leaves bob's upload as it was");

        HttpResponse<String> bobDone = bob.postRange(fileId, bobFile, 50_000, 300_000, "X-File-Size", size);
        Path bobCompleted = assertCompleted(bobDone, bobFile, storage);

        assertNotEquals(jsonString(aliceDone.body(), "id"), jsonString(bobDone.body(), "id"));
        assertEquals(sha256Hex(aliceFile), sha256Hex(aliceCompleted), "alice's file is still hers");
        assertEquals(300_000, alice.offset(fileId));
        assertEquals(300_000, bob.offset(fileId));
        // Posting at the end of a completed upload answers that owner's own completion.
        assertEquals(sha256Hex(bobFile), jsonString(bob.post(fileId, 300_000, new byte[0]).body(), "sha256"));
        assertEquals(sha256Hex(aliceFile), jsonString(alice.post(fileId, 300_000, new byte[0]).body(), "sha256"));
        assertEquals(true, Arrays.equals(bobFile, Files.readAllBytes(bobCompleted)));
    }

    @Test
    void aForgedOrMissingCookieIsANewOwnerThatSeesNothing() throws Exception {
        UploadClient alice = new UploadClient(server);
        String fileId = "secret.txt-1000-1";
        assertStored(alice.post(fileId, 0, new byte[400], "X-File-Size", "1000"), 400);

        // A raw request without alice's cookie, or with a malformed one, is somebody else.
        try (UploadClient.RawConnection raw = UploadClient.RawConnection.open(server.port(),
                ("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Id: " + fileId
                        + "\r\nCookie: upload-owner=not-a-token\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            UploadClient.Reply response = raw.response(UploadClient.TIMEOUT);
            assertEquals(200, response.status());
            assertEquals("0", response.body());
            assertEquals(true, response.header("Set-Cookie").startsWith("upload-owner="),
                    "a malformed cookie is replaced by a newly issued one");
        }
        assertEquals(400, alice.offset(fileId));
    }
}
