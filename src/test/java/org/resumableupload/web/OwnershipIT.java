package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertStored;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forged, planted and missing owner cookies, over raw sockets. Two owners (two cookie jars) using one
 * X-File-Id are in {@link DeployedProtocolContract}, which runs in every container.
 */
@Timeout(60)
class OwnershipIT extends ServerTestSupport {
    /** A well-formed owner token as cookies carried before they were signed: 256 bits, base64url. */
    private static final String PLANTED = "A".repeat(43);
    private static final Pattern COMPLETED_ID = Pattern.compile("\"id\":\"([0-9a-f]{64})\"");

    @Test
    void aForgedOrMissingCookieIsANewOwnerThatSeesNothing() throws Exception {
        UploadClient alice = new UploadClient(server);
        String fileId = "secret.txt-1000-1";
        assertStored(alice.post(fileId, 0, new byte[400], "X-File-Size", "1000"), 400);

        // A raw request without alice's cookie, or with a malformed one, is somebody else.
        try (UploadClient.RawConnection raw = UploadClient.RawConnection.open(server.port(),
                ("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Id: " + fileId
                        + "\r\nCookie: upload-owner=not-a-token\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII))) {
            UploadClient.Reply response = raw.response(UploadClient.TIMEOUT);
            assertEquals(200, response.status());
            assertEquals("0", response.body());
            assertEquals(true, response.header("Set-Cookie").startsWith("upload-owner="),
                    "a malformed cookie is replaced by a newly issued one");
        }
        assertEquals(400, alice.offset(fileId));
    }

    @Test
    void aPlantedUnsignedCookieIsReplacedSoWhoeverPlantedItCannotListOrDownloadTheVictimsUpload() {
        // The victim's browser carries a cookie someone else planted (say from a sibling subdomain).
        String fileId = "payslip.pdf-300-1700000000000";
        byte[] file = UploadClient.randomBytes(300, 91);
        RawHttp.Response upload = request(RawHttp.concat(RawHttp.head("POST /upload HTTP/1.1", "Host: 127.0.0.1",
                "X-File-Id: " + fileId, "X-Start-Byte: 0", "X-File-Size: 300", "Cookie: upload-owner=" + PLANTED,
                "Content-Length: 300", "Connection: close"), file), "POST");
        assertEquals(200, upload.status(), upload::toString);
        String victim = RawClient.ownerToken(upload).orElseThrow(
                () -> new AssertionError("the planted cookie was accepted without a new one: " + upload));
        assertNotEquals(PLANTED, victim);
        String id = completedId(upload);

        // Whoever planted it comes back with the same value: a new owner again, who sees nothing.
        RawHttp.Response list = get("/files", PLANTED);
        RawHttp.Response download = get("/files/" + id, PLANTED);
        RawHttp.Response status = request(RawHttp.head("GET /status HTTP/1.1", "Host: 127.0.0.1",
                "X-File-Id: " + fileId, "Cookie: upload-owner=" + PLANTED, "Connection: close"), "GET");

        assertEquals(200, list.status(), list::toString);
        assertEquals("[]", list.text());
        assertEquals(404, download.status(), download::toString);
        assertEquals("0", status.text());
        for (RawHttp.Response answer : List.of(list, download, status)) {
            String issued = RawClient.ownerToken(answer).orElseThrow(() -> new AssertionError("no new cookie: " + answer));
            assertNotEquals(victim, issued);
        }

        // The victim, with the cookie the server issued (and the planted one beside it), has the file.
        RawHttp.Response mine = get("/files/" + id, PLANTED + "; upload-owner=" + victim);
        assertEquals(200, mine.status(), mine::toString);
        assertEquals(RawClient.sha256Hex(file), RawClient.sha256Hex(mine.body()));
        assertTrue(mine.all("Set-Cookie").isEmpty(), "the issued cookie wins over the planted one: " + mine);
        assertTrue(get("/files", victim).text().contains(id));
    }

    @Test
    void aKnownOwnerGetsNoNewCookie() throws IOException {
        RawClient owner = RawClient.newOwner(server.port());

        RawHttp.Response again = owner.status("anything-1-1");

        assertEquals(200, again.status());
        assertEquals(List.of(), again.all("Set-Cookie"));
    }

    @Test
    void issuedCookiesStillNameTheirOwnerAfterARestart(@TempDir Path dir) throws Exception {
        RawClient owner;
        String fileId = "kept.bin-1000-1";
        try (TestServer first = TestServer.start(dir)) {
            owner = RawClient.newOwner(first.port());
            assertEquals(204, owner.upload(fileId, 0, 1000, new byte[600]).status());
        }
        try (TestServer second = TestServer.start(dir)) {
            RawHttp.Response status = owner.on(second.port()).status(fileId);

            assertEquals("600", status.text(), status::toString);
            assertEquals(List.of(), status.all("Set-Cookie"), "the same key signs after the restart");
        }
    }

    @Test
    void aServerWithAnotherKeyRefusesTheCookieAndOneGivenACopyOfTheKeyAcceptsIt(@TempDir Path dir)
            throws Exception {
        Path nodeA = dir.resolve("a");
        Path otherKey = dir.resolve("other");
        Path sharedKey = dir.resolve("shared");
        try (TestServer a = TestServer.start(nodeA); TestServer other = TestServer.start(otherKey)) {
            RawClient owner = RawClient.newOwner(a.port());

            RawHttp.Response elsewhere = owner.on(other.port()).status("x-1-1");

            assertTrue(RawClient.ownerToken(elsewhere).isPresent(), "another key: a new owner: " + elsewhere);
            Files.createDirectories(sharedKey);
            Files.copy(nodeA.resolve("owner.key"), sharedKey.resolve("owner.key"));
            try (TestServer sharing = TestServer.start(sharedKey)) {
                RawHttp.Response accepted = owner.on(sharing.port()).status("x-1-1");
                assertEquals(List.of(), accepted.all("Set-Cookie"), "a node with the same key: " + accepted);
            }
        }
    }

    private RawHttp.Response get(String path, String cookieValues) {
        return request(RawHttp.head("GET " + path + " HTTP/1.1", "Host: 127.0.0.1",
                "Cookie: upload-owner=" + cookieValues, "Connection: close"), "GET");
    }

    private RawHttp.Response request(byte[] request, String method) {
        try {
            RawHttp.Exchange exchange = RawHttp.exchange(server.port(), request, method, RawClient.TIMEOUT_MILLIS);
            return exchange.first().orElseThrow(() -> new AssertionError("no answer: "
                    + new String(exchange.raw(), StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String completedId(RawHttp.Response answer) {
        Matcher id = COMPLETED_ID.matcher(answer.text());
        assertTrue(id.find(), answer::toString);
        return id.group(1);
    }
}
