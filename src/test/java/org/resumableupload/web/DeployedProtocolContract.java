package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertRefusedAt;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.jsonString;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Hex;
import static org.resumableupload.web.UploadClient.sizeOf;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol over HTTP against one {@link Deployment} of the application at context path {@code /}:
 * a whole upload as the article's client sends it, a body cut mid-way and resumed, a stalled request
 * taken over, two owners with one id, a stalled body cut by the container's idle timeout, a tus upload
 * across a restart, an IETF upload (with a 104 where the container sends one), and the container restarted (also during a request) with its uploads kept. Each subclass runs it against one
 * container; the deployment is started once per class and stopped after (also when a test fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
abstract class DeployedProtocolContract {
    /**
     * The container's connection idle timeout in these tests (shorter than its default, 20 s for Tomcat
     * and 30 s for Jetty, so that a stalled body is cut quickly; longer than any pause of the other tests).
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path root;
    private Deployment deployment;
    private Path storage;

    /**
     * Installs the application under {@code root} (not started yet) with the connector's idle timeout
     * {@code idleTimeout}; storage goes in its own directory.
     */
    protected abstract Deployment install(Path root, Duration idleTimeout) throws Exception;

    @BeforeAll
    void startDeployment() throws Exception {
        deployment = install(root, IDLE_TIMEOUT);
        storage = deployment.storageDir();
        deployment.start();
    }

    @AfterAll
    void stopDeployment() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    /** A test that failed while the container was stopped does not take the next ones down with it. */
    @BeforeEach
    void ensureRunning() throws Exception {
        if (!deployment.isRunning()) {
            deployment.start();
        }
    }

    private UploadClient newClient() {
        return new UploadClient(deployment);
    }

    // ---- whole upload ----

    @Test
    void wholeUploadAsTheArticleClientSendsItCompletesWithItsSha256() throws Exception {
        UploadClient client = newClient();
        byte[] file = randomBytes(700_001, 1);
        String fileId = "holiday photo.jpg-" + file.length + "-1700000000000";

        HttpResponse<String> status = client.status(fileId);
        assertEquals(200, status.statusCode());
        assertEquals("0", status.body());
        assertEquals("0", status.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("no-store", status.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("nosniff", status.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(status.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));

        // The article's client: X-File-Id and X-Start-Byte only, the whole file as the body.
        HttpResponse<String> done = client.post(fileId, 0, file);
        Path completed = assertCompleted(done, file, storage);
        assertEquals("holiday photo.jpg", completed.getFileName().toString(),
                "name taken from the article's id name-size-lastModified");
        assertEquals("holiday photo.jpg", jsonString(done.body(), "name"));
        assertTrue(done.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("nosniff", done.headers().firstValue("X-Content-Type-Options").orElseThrow());

        assertEquals(file.length, client.offset(fileId), "status of a completed upload is its size");

        HttpResponse<String> again = client.post(fileId, file.length, new byte[0]);
        assertEquals(200, again.statusCode(), again::body);
        assertEquals(sha256Hex(file), jsonString(again.body(), "sha256"));
        assertEquals(jsonString(done.body(), "id"), jsonString(again.body(), "id"));
        assertTrue(Arrays.equals(file, Files.readAllBytes(completed)), "completed file untouched");
    }

    @Test
    void firstContactIssuesAnHttpOnlySameSiteStrictOwnerCookieForTheWholeSite() {
        UploadClient client = newClient();
        HttpResponse<String> status = client.status("anything-1-1");
        List<String> setCookies = status.headers().allValues("Set-Cookie");
        assertEquals(1, setCookies.size(), setCookies::toString);
        String cookie = setCookies.get(0).toLowerCase(Locale.ROOT);
        assertTrue(cookie.startsWith("upload-owner="), cookie);
        List<String> attributes = Arrays.stream(cookie.split(";")).map(String::strip).toList();
        assertTrue(attributes.contains("httponly"), cookie);
        assertTrue(attributes.contains("samesite=strict"), cookie);
        assertTrue(attributes.contains("path=/"), () -> "at context path / the cookie covers the site: " + cookie);
        assertTrue(client.ownerToken().matches("[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}"),
                "256 random bits and their HMAC-SHA256, base64url");

        HttpResponse<String> second = client.status("anything-1-1");
        assertTrue(second.headers().allValues("Set-Cookie").isEmpty(), "a known owner gets no new cookie");
    }

    @Test
    void thePageAtTheRootReachesItsScriptsAndTheApiThroughRelativeUrls() {
        UploadClient client = newClient();
        URI page = deployment.uri("/");
        HttpResponse<String> html = client.send(client.request("/").GET().build());
        assertEquals(200, html.statusCode(), "the welcome file index.html is served at /");
        assertTrue(html.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertEquals("nosniff", html.headers().firstValue("X-Content-Type-Options").orElse(null));
        for (String asset : List.of("style.css", "uploader.js", "app.js")) {
            assertTrue(html.body().contains("\"" + asset + "\""), () -> "the page refers to " + asset);
            HttpResponse<String> response = client.send(client.request(page.resolve(asset).getPath()).GET().build());
            assertEquals(200, response.statusCode(), () -> asset + " relative to " + page);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), asset);
        }
        // uploader.js calls 'status' and 'upload' relative to the page: /status and /upload here.
        assertEquals(deployment.uri("/status"), page.resolve("status"));
        assertEquals("0", client.status("relative-1-1").body());
    }

    // ---- cut and resume ----

    @Test
    void bodyCutMidwayKeepsExactlyWhatArrivedAndResumesToAnIdenticalFile() throws Exception {
        UploadClient client = newClient();
        byte[] file = randomBytes(1_000_003, 10);
        String fileId = "video.mp4-1000003-1700000000001";
        int cut = 300_001;

        client.postAndCut(fileId, file, 0, cut);
        await("status reports the " + cut + " bytes that arrived", () -> client.offset(fileId) == cut);
        assertFalse(Files.exists(storage.resolve("completed").resolve(client.uploadId(fileId))),
                "a body cut short never completes the upload");
        Path part = client.partData(storage, fileId);
        assertEquals(cut, Files.size(part), "no more than what arrived is stored");
        assertEquals(sha256Hex(Arrays.copyOf(file, cut)), UploadClient.sha256Hex(part),
                "the stored prefix is exactly the first bytes sent");

        // Resume as the article's client does: status, then the rest from there, no X-File-Size.
        long from = client.offset(fileId);
        assertCompleted(client.postRange(fileId, file, (int) from, file.length), file, storage);
        assertEquals(file.length, client.offset(fileId));
        assertFalse(Files.exists(part), "the part moved to the completed area");
    }

    @Test
    void stalledBodyCutByTheContainersIdleTimeoutIsAnswered408KeepingWhatArrived() throws Exception {
        UploadClient client = newClient();
        byte[] file = randomBytes(500_000, 53);
        String fileId = "idle.bin-500000-1700000000000";

        try (UploadClient.RawConnection stalled = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Content-Length", "500000")) {
            stalled.send(file, 0, 100_000); // then nothing more, the connection left open
            UploadClient.Reply answer = stalled.response(IDLE_TIMEOUT.multipliedBy(4));
            assertRefusedAt(answer, 408, 100_000);
        }
        assertEquals(100_000, client.offset(fileId), "what arrived before the pause is kept");
        assertEquals(sha256Hex(Arrays.copyOf(file, 100_000)), sha256Hex(client.partData(storage, fileId)));
        assertCompleted(client.postRange(fileId, file, 100_000, file.length), file, storage);
    }

    // ---- takeover ----

    @Test
    void newerRequestTakesOverAStalledOneKeepingItsBytes() throws Exception {
        UploadClient client = newClient();
        byte[] file = randomBytes(1_000_000, 40);
        String fileId = "stalled.bin";
        String size = Integer.toString(file.length);
        assertStored(client.postRange(fileId, file, 0, 100_000, "X-File-Size", size), 100_000);

        try (UploadClient.RawConnection stalled = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "100000",
                "X-File-Size", size, "Content-Length", "900000")) {
            stalled.send(file, 100_000, 300_000); // then nothing more: a stalled client
            // The data file is re-resolved on each look: a start-over names its file only at its first commit.
            await("the server wrote the stalled request's bytes",
                    () -> sizeOf(client.partData(storage, fileId)) == 400_000);

            // A second request, as a client would: status, then the rest from there.
            long offset = client.offset(fileId);
            assertTrue(offset >= 100_000 && offset <= 400_000, "status counts only stored bytes: " + offset);
            UploadClient.Reply response = client.postRangeRaw(fileId, file, (int) offset, file.length,
                    "X-File-Size", size);
            if (response.status() == 409) {
                // The takeover stopped the stalled request; it committed what it wrote.
                assertRefusedAt(response, 409, 400_000);
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

    // ---- owners ----

    @Test
    void twoOwnersWithOneFileIdNeitherSeeNorWriteEachOthersUpload() throws Exception {
        UploadClient alice = newClient();
        UploadClient bob = newClient();
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

    // ---- tus ----

    @Test
    void aTusUploadInTwoPatchesAcrossARestartCompletesWholeAndStaysTheOwnersAlone() throws Exception {
        DeployedTusUpload.uploadInTwoPatchesAcrossARestart(deployment, randomBytes(1_500_000, 77), 600_000);
    }

    // ---- IETF ----

    @Test
    void anIetfUploadInTwoRequestsCompletesWithItsDigestAndGetsA104ExactlyWhereTheContainerSendsThem()
            throws Exception {
        DeployedIetfUpload.uploadInTwoPartsAndDownload(deployment, randomBytes(700_003, 91), 250_001);
    }

    // ---- restart ----

    @Test
    void uploadResumesAfterARestartAndCompletesWithTheRightSha256() throws Exception {
        byte[] file = randomBytes(900_000, 50);
        String fileId = "restart.bin";
        String size = Integer.toString(file.length);
        UploadClient client = newClient();
        assertStored(client.postRange(fileId, file, 0, 250_000, "X-File-Size", size), 250_000);
        assertStored(client.postRange(fileId, file, 250_000, 400_001, "X-File-Size", size), 400_001);

        deployment.restart(); // the same owner cookie, a new container process on the same directory
        assertEquals(400_001, client.offset(fileId), "the offset survived the restart");
        assertCompleted(client.postRange(fileId, file, 400_001, file.length, "X-File-Size", size), file, storage);
        assertEquals(file.length, client.offset(fileId));

        deployment.restart();
        assertEquals(file.length, client.offset(fileId), "a completed upload survives a restart too");
    }

    @Test
    void containerStoppedDuringARequestKeepsTheBytesThatArrived() throws Exception {
        byte[] file = randomBytes(600_000, 52);
        String fileId = "stopped.bin-600000-1";
        UploadClient client = newClient();
        try (UploadClient.RawConnection open = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Content-Length", "600000")) {
            open.send(file, 0, 250_000);
            // The data file is re-resolved on each look: a start-over names its file only at its first commit.
            await("the server wrote the bytes", () -> sizeOf(client.partData(storage, fileId)) == 250_000);
            deployment.stop(); // stops while the request is still open
            UploadClient.Reply answer = open.response(UploadClient.TIMEOUT);
            assertTrue(answer == UploadClient.Reply.CLOSED || answer.status() >= 400,
                    "an interrupted body is never answered as a success: " + answer);
        }
        deployment.start();
        assertEquals(250_000, client.offset(fileId), "bytes written before the stop are kept");
        assertCompleted(client.postRange(fileId, file, 250_000, file.length), file, storage);
    }

    // ---- clients that neither send nor read ----

    @Test
    void aThousandSilentRefusedBodiesAndThreeHundredUnreadDownloadsLeaveANormalClientAnsweredWithinASecond()
            throws Exception {
        RawClient owner = RawClient.newOwner(deployment.port());
        String download = SilentClients.completedDownload(owner);
        try (SilentClients silent = new SilentClients(deployment.port())) {
            silent.openAll(download, owner.cookieHeader(), "DeployedProtocolContract " + deployment.name());
            silent.assertNormalClientAnswered("DeployedProtocolContract " + deployment.name());
            // The container's idle timeout (5 s here) answers and closes the earliest silent bodies while
            // the burst is still being opened; those opened later, and the trickling ones, are still open.
            int open = silent.stillAwaitingDrain();
            System.out.printf("DeployedProtocolContract %s: %d of %d refused bodies still open after the measurement%n",
                    deployment.name(), open, silent.awaitingDrainOpened());
            assertTrue(open >= 100, open + " refused bodies still open");
        }
        assertEquals(200, owner.status("after-silent").status(), "the server is well afterwards");
    }

    @Test
    void aRefusedRequestExpectingContinueGetsItsRefusalAsTheFirstStatusLineAndIsClosedUnread() throws Exception {
        SilentClients.assertRefusedWithoutContinue(deployment.port());
    }

    @Test
    void stalledDownloadsAreEndedByTheIdleTimeoutAndCloseTheirFile() throws Exception {
        RawClient owner = RawClient.newOwner(deployment.port());
        String download = SilentClients.completedDownload(owner);
        Path completed = storage.resolve("completed");
        long pid = deployment.pid();
        try (SilentClients silent = new SilentClients(deployment.port())) {
            silent.openUnreadDownloads(download, owner.cookieHeader(), 20);
            await("the 20 downloads hold the file open", () -> openFiles(pid, completed) >= 20);
            // The writes stall; the container's idle timeout fails them and the file is closed.
            await("every stalled download ended and closed its file", () -> openFiles(pid, completed) == 0);
        }
    }

    private static long openFiles(long pid, Path dir) {
        try {
            return SilentClients.openFilesUnder(pid, dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
