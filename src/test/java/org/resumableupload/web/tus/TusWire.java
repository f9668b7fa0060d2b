package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resumableupload.web.OpenRequest;
import org.resumableupload.web.RawHttp;
import org.resumableupload.web.RawHttp.Response;

/**
 * Test support: one owner speaking tus 1.0.0 to {@code /tus/} over raw sockets ({@link RawHttp}). It
 * keeps the owner cookie the server issues on its first answer. Every answer through {@link #send}
 * is checked for {@code Tus-Resumable: 1.0.0}, which tus requires on every response.
 */
final class TusWire {
    static final String BASE = "/tus/";
    static final String OCTETS = "Content-Type: application/offset+octet-stream";
    static final int TIMEOUT_MILLIS = 20_000;
    private static final Pattern OWNER_COOKIE = Pattern.compile("upload-owner=([^;\\s]+)");

    private final int port;
    private String cookie;

    private TusWire(int port) {
        this.port = port;
    }

    /** An owner with no cookie yet: the first answer that issues one makes it this owner's. */
    static TusWire newOwner(int port) {
        return new TusWire(port);
    }

    /** An owner that already has its cookie: it created one small upload to get it. */
    static TusWire ownerWithCookie(int port) {
        TusWire owner = new TusWire(port);
        owner.create(1);
        assertTrue(owner.cookie != null, "the creation answer issues an upload-owner cookie");
        return owner;
    }

    /** A tus request with {@code Tus-Resumable: 1.0.0} and the given header lines. */
    Response send(String method, String target, byte[] body, String... headers) {
        List<String> lines = new ArrayList<>(List.of("Tus-Resumable: 1.0.0"));
        lines.addAll(List.of(headers));
        return sendExactly(method, target, body, lines.toArray(String[]::new));
    }

    /** A request with only the given header lines (and Host, the cookie, Content-Length, Connection). */
    Response sendExactly(String method, String target, byte[] body, String... headers) {
        Response response = unchecked(method, target, body, headers);
        assertEquals(List.of("1.0.0"), response.all("Tus-Resumable"), () -> "Tus-Resumable on " + response);
        return response;
    }

    /** As {@link #sendExactly}, without checking the answer (the container itself may answer). */
    Response unchecked(String method, String target, byte[] body, String... headers) {
        return exchange(method, RawHttp.concat(RawHttp.head(requestHead(method, target, body, headers)), body));
    }

    private String[] requestHead(String method, String target, byte[] body, String... headers) {
        List<String> lines = new ArrayList<>(List.of(method + " " + target + " HTTP/1.1", "Host: 127.0.0.1"));
        if (cookie != null) {
            lines.add("Cookie: upload-owner=" + cookie);
        }
        lines.addAll(List.of(headers));
        if (body.length > 0 || method.equals("POST") || method.equals("PATCH")) {
            lines.add("Content-Length: " + body.length);
        }
        lines.add("Connection: close");
        return lines.toArray(String[]::new);
    }

    Response exchange(String method, byte[] request) {
        try {
            RawHttp.Exchange exchange = RawHttp.exchange(port, request, method, TIMEOUT_MILLIS);
            Response response = exchange.first().orElseThrow(() -> new AssertionError("no answer (timed out: "
                    + exchange.timedOut() + "): " + new String(exchange.raw(), StandardCharsets.ISO_8859_1)));
            adoptCookie(response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void adoptCookie(Response response) {
        for (String setCookie : response.all("Set-Cookie")) {
            Matcher issued = OWNER_COOKIE.matcher(setCookie);
            if (cookie == null && issued.find()) {
                cookie = issued.group(1);
            }
        }
    }

    /** {@code POST /tus/} with {@code Upload-Length}; asserts 201 and returns the upload's path. */
    String create(long length, String... headers) {
        List<String> lines = new ArrayList<>(List.of("Upload-Length: " + length));
        lines.addAll(List.of(headers));
        return created(send("POST", BASE, new byte[0], lines.toArray(String[]::new)));
    }

    /** Asserts a creation answer: 201 and a {@code Location} under {@code /tus/}; returns its path. */
    static String created(Response response) {
        assertEquals(201, response.status(), response::toString);
        return uploadPath(response.header("Location").orElseThrow(() -> new AssertionError("no Location: " + response)));
    }

    /** The path of an upload URL, absolute or a path: {@code /tus/} and one segment. */
    static String uploadPath(String location) {
        String path = location.startsWith("/") ? location : URI.create(location).getRawPath();
        assertTrue(path.startsWith(BASE) && path.length() > BASE.length()
                && path.indexOf('/', BASE.length()) < 0, () -> "an upload URL under /tus/: " + location);
        return path;
    }

    Response head(String path) {
        return send("HEAD", path, new byte[0]);
    }

    /** The {@code Upload-Offset} a HEAD answers, asserting a 200 or 204. */
    long offset(String path) {
        Response head = head(path);
        assertTrue(head.status() == 200 || head.status() == 204, head::toString);
        return head.uploadOffset();
    }

    Response patch(String path, long offset, byte[] body, String... headers) {
        List<String> lines = new ArrayList<>(List.of(OCTETS, "Upload-Offset: " + offset));
        lines.addAll(List.of(headers));
        return send("PATCH", path, body, lines.toArray(String[]::new));
    }

    /** A PATCH of {@code bytes} that asserts 204 and the new offset. */
    void patchOk(String path, long offset, byte[] bytes) {
        Response response = patch(path, offset, bytes);
        assertEquals(204, response.status(), response::toString);
        assertEquals(offset + bytes.length, response.uploadOffset(), response::toString);
    }

    /** A PATCH whose body is sent chunked, so the server learns its length only as it reads. */
    Response patchChunked(String path, long offset, byte[] body) {
        List<String> lines = new ArrayList<>(List.of("PATCH " + path + " HTTP/1.1", "Host: 127.0.0.1",
                "Tus-Resumable: 1.0.0", OCTETS, "Upload-Offset: " + offset, "Transfer-Encoding: chunked",
                "Connection: close"));
        if (cookie != null) {
            lines.add("Cookie: upload-owner=" + cookie);
        }
        byte[] chunked = RawHttp.concat((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                body, "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Response response = exchange("PATCH", RawHttp.concat(RawHttp.head(lines.toArray(String[]::new)), chunked));
        assertEquals(List.of("1.0.0"), response.all("Tus-Resumable"), () -> "Tus-Resumable on " + response);
        return response;
    }

    Response delete(String path) {
        return send("DELETE", path, new byte[0]);
    }

    /** {@code GET} as a browser would send it: no {@code Tus-Resumable} (the answer still has it). */
    Response get(String path, String... headers) {
        return sendExactly("GET", path, new byte[0], headers);
    }

    /**
     * Starts a PATCH of {@code declaredLength} bytes and sends only {@code firstBytes}: the connection
     * stays open, as a stalled client's would.
     */
    OpenRequest openPatch(String path, long offset, long declaredLength, byte[] firstBytes) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        List<String> lines = new ArrayList<>(List.of("PATCH " + path + " HTTP/1.1", "Host: 127.0.0.1",
                "Tus-Resumable: 1.0.0", OCTETS, "Upload-Offset: " + offset, "Content-Length: " + declaredLength,
                "Connection: close"));
        if (cookie != null) {
            lines.add("Cookie: upload-owner=" + cookie);
        }
        OutputStream out = socket.getOutputStream();
        out.write(RawHttp.head(lines.toArray(String[]::new)));
        out.write(firstBytes);
        out.flush();
        return new OpenRequest(socket, "PATCH", answer -> { });
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }
}
