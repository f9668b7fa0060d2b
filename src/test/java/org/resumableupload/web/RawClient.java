package org.resumableupload.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resumableupload.core.Owner;
import org.resumableupload.store.UploadId;

/**
 * One owner (one {@code upload-owner} cookie) talking to a server over {@link RawHttp}: status, uploads
 * with any headers, and where the disk store keeps this owner's files.
 */
final class RawClient {
    static final int TIMEOUT_MILLIS = 20_000;
    private static final Pattern OWNER_COOKIE = Pattern.compile("upload-owner=([A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43})");

    private final int port;
    private final String token;

    private RawClient(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** A new owner: asks the server once, keeps the cookie it issues. */
    static RawClient newOwner(int port) throws IOException {
        RawHttp.Response first = RawHttp.exchange(port, RawHttp.head("GET /status HTTP/1.1", "Host: 127.0.0.1",
                "X-File-Id: hello", "Connection: close"), "GET", TIMEOUT_MILLIS).first().orElseThrow();
        return new RawClient(port, ownerToken(first).orElseThrow(() -> new AssertionError("no cookie: " + first)));
    }

    /** The same owner on another port (a restarted server). */
    RawClient on(int otherPort) {
        return new RawClient(otherPort, token);
    }

    /** The owner cookie value a response's {@code Set-Cookie} issues, if any. */
    static java.util.Optional<String> ownerToken(RawHttp.Response response) {
        for (String cookie : response.all("Set-Cookie")) {
            Matcher m = OWNER_COOKIE.matcher(cookie);
            if (m.find()) {
                return java.util.Optional.of(m.group(1));
            }
        }
        return java.util.Optional.empty();
    }

    String token() {
        return token;
    }

    String cookieHeader() {
        return "Cookie: upload-owner=" + token;
    }

    int port() {
        return port;
    }

    /** The server's id of this owner's upload {@code clientFileId} (names its files on disk). */
    UploadId serverId(String clientFileId) {
        return StoredFiles.articleUploadId(ownerOf(token).tag(), clientFileId);
    }

    /**
     * The owner an issued cookie value names: the server derives it from the random token before the
     * '.' (the part after it is the server's signature).
     */
    static Owner ownerOf(String cookieValue) {
        int dot = cookieValue.indexOf('.');
        if (dot < 0) {
            throw new AssertionError("not a signed owner cookie: " + cookieValue);
        }
        return Owner.token(cookieValue.substring(0, dot));
    }

    Path partData(Path storageDir, String clientFileId) {
        return StoredFiles.partData(storageDir, serverId(clientFileId));
    }

    /** {@code GET /status}. */
    RawHttp.Response status(String clientFileId) {
        return send("GET", RawHttp.head("GET /status HTTP/1.1", "Host: 127.0.0.1", "X-File-Id: " + clientFileId,
                cookieHeader(), "Connection: close"));
    }

    /** {@code GET path} as this owner. */
    RawHttp.Response get(String path) {
        return send("GET", RawHttp.head("GET " + path + " HTTP/1.1", "Host: 127.0.0.1", cookieHeader(),
                "Connection: close"));
    }

    /** The stored offset {@code GET /status} reports (asserting it answered 200). */
    long offset(String clientFileId) {
        RawHttp.Response status = status(clientFileId);
        if (status.status() != 200) {
            throw new AssertionError("status answered " + status);
        }
        return Long.parseLong(status.text().strip());
    }

    /**
     * {@code POST /upload} of {@code body} at {@code startByte}; {@code fileSize} < 0 leaves
     * {@code X-File-Size} out (the article's client).
     */
    RawHttp.Response upload(String clientFileId, long startByte, long fileSize, byte[] body, String... extraHeaders) {
        List<String> lines = new ArrayList<>(List.of("POST /upload HTTP/1.1", "Host: 127.0.0.1",
                "X-File-Id: " + clientFileId, "X-Start-Byte: " + startByte, cookieHeader(),
                "Content-Length: " + body.length, "Connection: close"));
        if (fileSize >= 0) {
            lines.add("X-File-Size: " + fileSize);
        }
        lines.addAll(List.of(extraHeaders));
        return send("POST", RawHttp.concat(RawHttp.head(lines.toArray(String[]::new)), body));
    }

    private RawHttp.Response send(String method, byte[] request) {
        try {
            RawHttp.Exchange exchange = RawHttp.exchange(port, request, method, TIMEOUT_MILLIS);
            return exchange.first().orElseThrow(() -> new AssertionError("no answer (timed out: "
                    + exchange.timedOut() + "): " + new String(exchange.raw(), StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True if {@code body} looks like it carries a stack trace or an exception's name. */
    static boolean leaksInternals(String body) {
        return body.contains("Exception") || body.contains("\tat ") || body.contains("at org.")
                || body.contains("at java.") || body.contains("Caused by") || body.contains("org.eclipse.jetty")
                || body.contains("org.resumableupload");
    }
}
