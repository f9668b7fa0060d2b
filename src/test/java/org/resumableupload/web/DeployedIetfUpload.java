package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * An IETF upload (draft interop version 9) against one {@link Deployment}, over raw sockets: a creation
 * with {@code Upload-Complete: ?0} carrying the first part, HEAD, a PATCH with {@code Upload-Complete: ?1}
 * carrying the rest, then GET of the bytes. On a container that sends interim responses
 * ({@link Deployment#sendsInterimResponses()}) the 104 must arrive before the client has sent any body
 * byte, with the creation's Location, its Upload-Limit and the interop version; on one that does not,
 * the first response on the connection is the final one, and the upload works all the same.
 */
final class DeployedIetfUpload {
    private static final int TIMEOUT_MILLIS = 20_000;
    private static final String INTEROP = "Upload-Draft-Interop-Version: 9";

    private final Deployment deployment;
    private final RawClient owner;

    private DeployedIetfUpload(Deployment deployment, RawClient owner) {
        this.deployment = deployment;
        this.owner = owner;
    }

    /** Uploads {@code file} in two requests (the creation carries {@code firstPart} bytes) and checks it all. */
    static void uploadInTwoPartsAndDownload(Deployment deployment, byte[] file, int firstPart) throws Exception {
        DeployedIetfUpload upload = new DeployedIetfUpload(deployment, RawClient.newOwner(deployment.port()));
        String location = upload.create(file, firstPart);
        upload.assertOffered(location, file.length, firstPart);
        String digest = upload.complete(location, file, firstPart);
        upload.assertDownloads(location, file, digest);
    }

    private String create(byte[] file, int firstPart) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", deployment.port())) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(RawHttp.head("POST /uploads/ HTTP/1.1", "Host: 127.0.0.1", owner.cookieHeader(),
                    "Upload-Complete: ?0", INTEROP, "Upload-Length: " + file.length,
                    "Content-Length: " + firstPart));
            out.flush();

            // Read before a single body byte is sent: the 104 must not wait for the body.
            RawHttp.Response interim = deployment.sendsInterimResponses() ? awaitInterim(in) : null;
            if (deployment.sendsInterimResponses()) {
                assertTrue(interim != null && interim.status() == 104, () -> deployment.name()
                        + " sends interim responses, so a 104 comes first: " + interim + "\n" + deployment.logTail());
            }
            out.write(file, 0, firstPart);
            out.flush();
            RawHttp.Response created = RawHttp.readOne(in, "POST");
            assertTrue(created != null, "no answer to the creation");
            assertEquals(201, created.status(), () -> deployment.name() + (interim == null
                    ? " sends no interim responses: the first answer is the final one: " : ": ") + created);
            String location = created.header("Location").orElseThrow();
            assertTrue(location.matches("/uploads/[0-9a-f]{64}"), location);
            assertEquals("?0", created.header("Upload-Complete").orElseThrow());
            assertEquals(firstPart, created.uploadOffset());
            String limit = created.header("Upload-Limit").orElseThrow();
            assertTrue(limit.startsWith("max-size="), limit);
            if (interim != null) {
                assertEquals(location, interim.header("Location").orElse(null), interim::toString);
                assertEquals(limit, interim.header("Upload-Limit").orElse(null), interim::toString);
                assertEquals("9", interim.header("Upload-Draft-Interop-Version").orElse(null), interim::toString);
            }
            return location;
        }
    }

    private RawHttp.Response awaitInterim(InputStream in) throws IOException {
        try {
            return RawHttp.readOne(in, "POST");
        } catch (SocketTimeoutException e) {
            throw new AssertionError(deployment.name() + " sends interim responses, but no 104 came in "
                    + TIMEOUT_MILLIS + " ms before the body:\n" + deployment.logTail(), e);
        }
    }

    private void assertOffered(String location, int length, int offset) throws IOException {
        RawHttp.Response head = send("HEAD", RawHttp.head("HEAD " + location + " HTTP/1.1", "Host: 127.0.0.1",
                owner.cookieHeader(), INTEROP, "Connection: close"));
        assertEquals(204, head.status(), head::toString);
        assertEquals(offset, head.uploadOffset());
        assertEquals("?0", head.header("Upload-Complete").orElseThrow());
        assertEquals(Integer.toString(length), head.header("Upload-Length").orElseThrow());
        assertEquals("no-store", head.header("Cache-Control").orElseThrow());
        assertTrue(head.header("Upload-Limit").isPresent(), head::toString);
    }

    /** The PATCH with the rest; answers the completion's {@code Repr-Digest}. */
    private String complete(String location, byte[] file, int from) throws Exception {
        byte[] rest = Arrays.copyOfRange(file, from, file.length);
        RawHttp.Response done = send("PATCH", RawHttp.concat(RawHttp.head("PATCH " + location + " HTTP/1.1",
                "Host: 127.0.0.1", owner.cookieHeader(), INTEROP, "Upload-Complete: ?1", "Upload-Offset: " + from,
                "Content-Type: application/partial-upload", "Content-Length: " + rest.length, "Connection: close"),
                rest));
        assertEquals(200, done.status(), done::toString);
        assertEquals("?1", done.header("Upload-Complete").orElseThrow());
        assertEquals(file.length, done.uploadOffset());
        String digest = "sha-256=:" + Base64.getEncoder().encodeToString(sha256(file)) + ":";
        assertEquals(digest, done.header("Repr-Digest").orElseThrow());
        assertEquals(RawClient.sha256Hex(file), UploadClient.jsonString(done.text(), "sha256"));
        assertEquals(file.length, UploadClient.jsonNumber(done.text(), "size"));
        return digest;
    }

    private void assertDownloads(String location, byte[] file, String digest) throws Exception {
        RawHttp.Response download = send("GET", RawHttp.head("GET " + location + " HTTP/1.1", "Host: 127.0.0.1",
                owner.cookieHeader(), "Connection: close"));
        assertEquals(200, download.status(), () -> download.statusLine() + " " + download.headers());
        assertArrayEquals(sha256(file), sha256(download.body()), "the bytes back are the bytes sent");
        assertEquals(file.length, download.body().length);
        assertEquals(digest, download.header("Repr-Digest").orElseThrow());
        assertEquals("?1", download.header("Upload-Complete").orElseThrow());
    }

    private RawHttp.Response send(String method, byte[] request) throws IOException {
        RawHttp.Exchange exchange = RawHttp.exchange(deployment.port(), request, method, TIMEOUT_MILLIS);
        return exchange.first().orElseThrow(() -> new AssertionError(method + " got no answer (timed out: "
                + exchange.timedOut() + ")"));
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
