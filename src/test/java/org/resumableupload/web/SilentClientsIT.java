package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No request holds a container thread while it waits for its client, in either direction: on embedded
 * Jetty with its default thread pool (200 threads), a thousand refused uploads whose declared body never
 * comes and three hundred downloads never read leave a normal client answered within a second; a
 * refusal never sends {@code 100 Continue}; a silent small body is given up at the drain deadline; a
 * stalled download ends with the connection's idle timeout and closes its file.
 */
@Timeout(120)
class SilentClientsIT {
    @TempDir
    Path dir;

    @Test
    void aThousandSilentRefusedBodiesAndThreeHundredUnreadDownloadsLeaveStatusAndStaticFilesAnsweredWithinASecond()
            throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            RawClient owner = RawClient.newOwner(server.port());
            String download = SilentClients.completedDownload(owner);
            try (SilentClients silent = new SilentClients(server.port())) {
                silent.openAll(download, owner.cookieHeader(), "SilentClientsIT embedded Jetty");
                silent.assertNormalClientAnswered("SilentClientsIT embedded Jetty");
                // Measured while every one of them was open: no refused body was answered or closed yet.
                assertEquals(silent.awaitingDrainOpened(), silent.stillAwaitingDrain(), "refused bodies still open");
            }
            assertEquals(200, owner.status("after-silent").status(), "the server is well afterwards");
        }
    }

    @Test
    void aRefusedRequestExpectingContinueGetsItsRefusalAsTheFirstStatusLineAndIsClosedUnread() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            SilentClients.assertRefusedWithoutContinue(server.port());
        }
    }

    @Test
    void aSilentSmallRefusedBodyIsAnsweredAtTheDrainDeadlineWithConnectionClose() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of(), 0, 60_000);
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(SilentClients.refusedUploadHead(1, 1_000));
            long begun = System.nanoTime();
            RawHttp.Response answer = RawHttp.readOne(socket.getInputStream(), "POST");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun);
            System.out.printf(Locale.ROOT, "SilentClientsIT: silent 1,000-byte refused body answered after %d ms%n", waited);
            assertTrue(answer != null, "answered");
            assertEquals(409, answer.status(), answer::toString);
            assertEquals(0, answer.uploadOffset());
            assertEquals("close", answer.header("Connection").orElse(""), answer::toString);
            assertTrue(waited >= 9_000 && waited < 15_000, "answered at the 10 s drain deadline, not after " + waited + " ms");
            assertEquals(-1, socket.getInputStream().read(), "closed after the answer");
        }
    }

    @Test
    void stalledDownloadsAreEndedByTheIdleTimeoutAndCloseTheirFile() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of(), 0, 1_000)) {
            RawClient owner = RawClient.newOwner(server.port());
            String download = SilentClients.completedDownload(owner);
            long pid = ProcessHandle.current().pid();
            try (SilentClients silent = new SilentClients(server.port())) {
                silent.openUnreadDownloads(download, owner.cookieHeader(), 20);
                UploadClient.await("the downloads opened the file",
                        () -> openFiles(pid) == 20);
                UploadClient.await("the idle timeout ended every stalled download and closed its file",
                        () -> openFiles(pid) == 0);
                silent.assertNormalClientAnswered("SilentClientsIT after stalled downloads");
            }
        }
    }

    private long openFiles(long pid) {
        try {
            return SilentClients.openFilesUnder(pid, dir.resolve("completed"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
