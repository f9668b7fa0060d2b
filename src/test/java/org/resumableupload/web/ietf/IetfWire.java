package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resumableupload.web.OpenRequest;
import org.resumableupload.web.RawHttp;
import org.resumableupload.web.RawHttp.Response;

/**
 * Test support: one owner speaking draft-ietf-httpbis-resumable-upload to {@code /uploads/} over raw
 * sockets ({@link RawHttp}; Java's HttpClient hides interim responses). It keeps the
 * {@code upload-owner} cookie the server issues on its first answer. {@link #send} answers the final
 * response (any 1xx before it is in {@link #exchange}); {@link #open} sends a request's head alone, so
 * a test can read the 104 before the body, send the body in pieces, stall or cut the connection
 * ({@link OpenRequest}).
 */
public final class IetfWire {
    static final String BASE = "/uploads/";
    static final String PARTIAL_UPLOAD = "Content-Type: application/partial-upload";
    static final String COMPLETE = "Upload-Complete: ?1";
    static final String INCOMPLETE = "Upload-Complete: ?0";
    static final String INTEROP = "Upload-Draft-Interop-Version: 9";
    static final int TIMEOUT_MILLIS = 20_000;
    private static final Pattern OWNER_COOKIE = Pattern.compile("upload-owner=([^;\\s]+)");

    private final int port;
    private final boolean keepsCookie;
    private String cookie;

    private IetfWire(int port, boolean keepsCookie) {
        this.port = port;
        this.keepsCookie = keepsCookie;
    }

    /** An owner with no cookie yet: the first answer that issues one makes it this owner's. */
    public static IetfWire newOwner(int port) {
        return new IetfWire(port, true);
    }

    /** A client that never sends a cookie: a new owner on every request. */
    static IetfWire withoutCookie(int port) {
        return new IetfWire(port, false);
    }

    /** An owner that already has its cookie: it created one empty, incomplete upload to get it. */
    static IetfWire ownerWithCookie(int port) {
        IetfWire owner = new IetfWire(port, true);
        owner.createIncomplete(new byte[0]);
        assertTrue(owner.cookie != null, "the creation answer issues an upload-owner cookie");
        return owner;
    }

    /** Whether this owner holds a cookie (a client without one is a new owner on every request). */
    boolean hasCookie() {
        return cookie != null;
    }

    /** The header that makes another client this owner: its {@code Cookie}. */
    Map<String, String> cookieHeader() {
        assertTrue(cookie != null, "this owner has no cookie yet");
        return Map.of("Cookie", "upload-owner=" + cookie);
    }

    /** A request with the given header lines (and Host, the cookie, Content-Length, Connection); its final answer. */
    Response send(String method, String target, byte[] body, String... headers) {
        return finalOf(exchange(method, target, body, headers));
    }

    /** As {@link #send}, every response on the connection in order: interim ones first. */
    List<Response> exchange(String method, String target, byte[] body, String... headers) {
        List<String> lines = requestLines(method, target, headers);
        if (body.length > 0 || method.equals("POST") || method.equals("PATCH")) {
            lines.add("Content-Length: " + body.length);
        }
        return exchange(method, RawHttp.concat(RawHttp.head(lines.toArray(String[]::new)), body));
    }

    /** A request whose body is sent chunked (no Content-Length): the server learns its end only by reading. */
    Response sendChunked(String method, String target, byte[] body, String... headers) {
        List<String> lines = requestLines(method, target, headers);
        lines.add("Transfer-Encoding: chunked");
        byte[] chunked = body.length == 0 ? "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)
                : RawHttp.concat((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                        body, "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return finalOf(exchange(method, RawHttp.concat(RawHttp.head(lines.toArray(String[]::new)), chunked)));
    }

    private List<String> requestLines(String method, String target, String... headers) {
        List<String> lines = new ArrayList<>(List.of(method + " " + target + " HTTP/1.1", "Host: 127.0.0.1"));
        if (cookie != null) {
            lines.add("Cookie: upload-owner=" + cookie);
        }
        lines.addAll(List.of(headers));
        lines.add("Connection: close");
        return lines;
    }

    private List<Response> exchange(String method, byte[] request) {
        try {
            RawHttp.Exchange exchange = RawHttp.exchange(port, request, method, TIMEOUT_MILLIS);
            if (exchange.responses().isEmpty()) {
                throw new AssertionError("no answer (timed out: " + exchange.timedOut() + "): "
                        + new String(exchange.raw(), StandardCharsets.ISO_8859_1));
            }
            exchange.responses().forEach(this::adoptCookie);
            return exchange.responses();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response finalOf(List<Response> responses) {
        return responses.stream().filter(r -> r.status() >= 200).findFirst()
                .orElseThrow(() -> new AssertionError("only interim responses: " + responses));
    }

    private void adoptCookie(Response response) {
        for (String setCookie : response.all("Set-Cookie")) {
            Matcher issued = OWNER_COOKIE.matcher(setCookie);
            if (keepsCookie && cookie == null && issued.find()) {
                cookie = issued.group(1);
            }
        }
    }

    /** {@code POST /uploads/} with {@code Upload-Complete: ?1} and the whole representation. */
    Response createComplete(byte[] body, String... headers) {
        return send("POST", BASE, body, with(COMPLETE, headers));
    }

    /** {@code POST /uploads/} with {@code Upload-Complete: ?0} and the first part (maybe none) of it. */
    public Response createIncomplete(byte[] body, String... headers) {
        return send("POST", BASE, body, with(INCOMPLETE, headers));
    }

    /** Creates an incomplete upload of {@code length} declared bytes, none sent; returns its path. */
    String create(long length) {
        return created(createIncomplete(new byte[0], "Upload-Length: " + length));
    }

    /** Asserts a 201 creation answer with a {@code Location} under {@code /uploads/}; returns its path. */
    public static String created(Response response) {
        assertEquals(201, response.status(), response::toString);
        return location(response);
    }

    /** The path of the answer's {@code Location}: {@code /uploads/} and a 64-hex id. */
    static String location(Response response) {
        String location = response.header("Location").orElseThrow(() -> new AssertionError("no Location: " + response));
        String path = location.startsWith("/") ? location : URI.create(location).getRawPath();
        assertTrue(path.matches("/uploads/[0-9a-f]{64}"), () -> "an upload resource under /uploads/: " + location);
        return path;
    }

    public Response head(String path) {
        return send("HEAD", path, new byte[0]);
    }

    Response get(String path, String... headers) {
        return send("GET", path, new byte[0], headers);
    }

    Response delete(String path) {
        return send("DELETE", path, new byte[0]);
    }

    Response options(String target) {
        return send("OPTIONS", target, new byte[0]);
    }

    /** A {@code PATCH} labelled {@code application/partial-upload} at {@code offset}. */
    public Response patch(String path, long offset, byte[] body, boolean complete, String... headers) {
        return send("PATCH", path, body, appendHeaders(offset, complete, headers));
    }

    static String[] appendHeaders(long offset, boolean complete, String... headers) {
        List<String> lines = new ArrayList<>(List.of(PARTIAL_UPLOAD, "Upload-Offset: " + offset,
                complete ? COMPLETE : INCOMPLETE));
        lines.addAll(List.of(headers));
        return lines.toArray(String[]::new);
    }

    /** The {@code Upload-Offset} a HEAD answers, asserting its 204. */
    public long offset(String path) {
        Response head = head(path);
        assertEquals(204, head.status(), head::toString);
        return head.uploadOffset();
    }

    /** Polls HEAD until the offset satisfies {@code until} (10 s at most); returns the last one. */
    long awaitOffset(String path, LongPredicate until) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long offset = offset(path);
        while (!until.test(offset) && System.nanoTime() < deadline) {
            Thread.sleep(25);
            offset = offset(path);
        }
        return offset;
    }

    /** The bytes a {@code GET} of the completed upload answers, asserting its 200. */
    public byte[] download(String path) {
        Response get = get(path);
        assertEquals(200, get.status(), get::toString);
        return get.body();
    }

    /**
     * Sends the head of a request (the cookie, {@code headers}, Connection: close) and nothing of its
     * body: the body follows through {@link OpenRequest#send}.
     */
    OpenRequest open(String method, String target, String... headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        OutputStream out = socket.getOutputStream();
        out.write(RawHttp.head(requestLines(method, target, headers).toArray(String[]::new)));
        out.flush();
        return new OpenRequest(socket, method, this::adoptCookie);
    }

    /** {@link #open} a PATCH of {@code declaredLength} bytes at {@code offset}, then sends {@code firstBytes}. */
    OpenRequest openPatch(String path, long offset, boolean complete, long declaredLength, byte[] firstBytes)
            throws IOException {
        List<String> lines = new ArrayList<>(List.of(appendHeaders(offset, complete)));
        lines.add("Content-Length: " + declaredLength);
        OpenRequest patch = open("PATCH", path, lines.toArray(String[]::new));
        patch.send(firstBytes);
        return patch;
    }

    private static String[] with(String first, String... rest) {
        List<String> lines = new ArrayList<>(List.of(first));
        lines.addAll(List.of(rest));
        return lines.toArray(String[]::new);
    }
}
