package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.resumableupload.store.UploadId;

/**
 * One owner talking to the application at an {@link HttpTarget} (a {@link TestServer}, a real container
 * or a proxy in front of one): an HTTP client with its own cookie jar (so the server's
 * {@code upload-owner} cookie makes it one owner), raw-socket requests for bodies that are cut, stalled
 * or chunked, and the file helpers the integration tests share (SHA-256, the completed file, the part
 * file, a snapshot of the storage directory).
 */
final class UploadClient {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String OWNER_COOKIE = "upload-owner";

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(cookies)
            .connectTimeout(TIMEOUT)
            .build();
    private volatile HttpTarget server;

    UploadClient(HttpTarget server) {
        this.server = server;
    }

    /** Talks to {@code restarted} from now on, keeping this owner's cookie. */
    void use(HttpTarget restarted) {
        this.server = restarted;
    }

    // ---- normal requests (java.net.http) ----

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.uri(path)).timeout(TIMEOUT);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #send}, the body as bytes (downloads). */
    HttpResponse<byte[]> sendForBytes(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /status} with {@code X-File-Id}. */
    HttpResponse<String> status(String fileId) {
        return send(request("/status").header("X-File-Id", fileId).GET().build());
    }

    /** The stored offset {@code GET /status} answers; asserts a well-formed 200. */
    long offset(String fileId) {
        HttpResponse<String> response = status(fileId);
        assertEquals(200, response.statusCode(), () -> "status answered " + response.statusCode() + ": "
                + response.body());
        long offset = Long.parseLong(response.body().strip());
        assertEquals(Long.toString(offset), response.headers().firstValue("Upload-Offset").orElse(null),
                "status: Upload-Offset header and body agree");
        return offset;
    }

    /**
     * {@code POST /upload} with {@code body}; {@code startByte} < 0 leaves {@code X-Start-Byte} out.
     * {@code headers} are more name, value pairs (such as {@code X-File-Size}).
     */
    HttpResponse<String> post(String fileId, long startByte, byte[] body, String... headers) {
        HttpRequest.Builder builder = request("/upload").header("X-File-Id", fileId);
        if (startByte >= 0) {
            builder.header("X-Start-Byte", Long.toString(startByte));
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** As {@link #post}, with the bytes {@code [from, to)} of {@code file} as the body. */
    HttpResponse<String> postRange(String fileId, byte[] file, int from, int to, String... headers) {
        byte[] chunk = java.util.Arrays.copyOfRange(file, from, to);
        return post(fileId, from, chunk, headers);
    }

    /** The owner cookie value the server issued this client (makes a first status call if there is none yet). */
    String ownerToken() {
        for (HttpCookie cookie : cookies.getCookieStore().getCookies()) {
            if (cookie.getName().equals(OWNER_COOKIE)) {
                return cookie.getValue();
            }
        }
        status("first-contact");
        for (HttpCookie cookie : cookies.getCookieStore().getCookies()) {
            if (cookie.getName().equals(OWNER_COOKIE)) {
                return cookie.getValue();
            }
        }
        throw new AssertionError("the server issued no " + OWNER_COOKIE + " cookie");
    }

    /** The server's id (64 hex digits) of this owner's upload {@code fileId}. */
    String uploadId(String fileId) {
        return StoredFiles.articleUploadId(RawClient.ownerOf(ownerToken()).tag(), fileId).value();
    }

    /** Where the store keeps the bytes of this owner's incomplete upload {@code fileId}. */
    Path partData(Path storageDir, String fileId) {
        return StoredFiles.partData(storageDir, UploadId.of(uploadId(fileId)));
    }

    // ---- raw sockets ----

    /**
     * Opens a connection and sends {@code POST /upload} headers (this owner's cookie included) without
     * a body; the caller then sends body bytes, stalls, or closes. {@code headers} are name, value pairs
     * written as UTF-8 bytes, exactly as given.
     */
    RawConnection rawPost(String... headers) throws IOException {
        return rawRequest("POST", "/upload", headers);
    }

    RawConnection rawRequest(String method, String path, String... headers) throws IOException {
        return rawRequest(StandardCharsets.UTF_8, method, path, headers);
    }

    /** As {@link #rawRequest(String, String, String...)}, the header block encoded in {@code charset}. */
    RawConnection rawRequest(java.nio.charset.Charset charset, String method, String path, String... headers)
            throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(server.port()).append("\r\n")
                .append("Cookie: ").append(OWNER_COOKIE).append('=').append(ownerToken()).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        head.append("\r\n");
        return RawConnection.open(server.port(), head.toString().getBytes(charset));
    }

    /**
     * A POST whose body is cut: sends the headers (with {@code Content-Length} of the whole remaining
     * file and no {@code X-File-Size}, as the article's client does), then {@code bytes} body bytes of
     * {@code file} from {@code startByte}, then closes the connection.
     */
    void postAndCut(String fileId, byte[] file, int startByte, int bytes) throws IOException {
        try (RawConnection raw = rawPost("X-File-Id", fileId, "X-Start-Byte", Integer.toString(startByte),
                "Content-Length", Integer.toString(file.length - startByte))) {
            raw.send(file, startByte, bytes);
        }
    }

    /**
     * {@code POST /upload} of the whole {@code body} over a raw socket, writing the body on another
     * thread while the response is read. Use it where the server may answer before reading the body
     * (a refusal): Jetty then closes the connection with the body unread, and java.net.http, failing to
     * write the rest of the body, reports an IOException (or hangs, with {@code Expect: 100-continue})
     * instead of the answer the server sent.
     */
    Reply postRaw(String fileId, long startByte, byte[] body, String... headers) throws IOException {
        List<String> all = new ArrayList<>(List.of("X-File-Id", fileId));
        if (startByte >= 0) {
            all.addAll(List.of("X-Start-Byte", Long.toString(startByte)));
        }
        all.addAll(List.of(headers));
        all.addAll(List.of("Content-Length", Integer.toString(body.length), "Connection", "close"));
        try (RawConnection raw = rawPost(all.toArray(String[]::new))) {
            Thread writer = new Thread(() -> {
                try {
                    raw.send(body, 0, body.length);
                } catch (IOException closedByServer) {
                    // the server answered without reading the whole body
                }
            }, "raw-body-writer");
            writer.setDaemon(true);
            writer.start();
            return raw.response(TIMEOUT);
        }
    }

    /** As {@link #postRaw}, with the bytes {@code [from, to)} of {@code file} as the body from {@code from}. */
    Reply postRangeRaw(String fileId, byte[] file, int from, int to, String... headers) throws IOException {
        return postRaw(fileId, from, java.util.Arrays.copyOfRange(file, from, to), headers);
    }

    /** One raw HTTP/1.1 connection. */
    static final class RawConnection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;

        private RawConnection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        static RawConnection open(int port, byte[] head) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            RawConnection connection = new RawConnection(socket);
            connection.out.write(head);
            connection.out.flush();
            return connection;
        }

        RawConnection send(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            out.flush();
            return this;
        }

        /** Sends {@code [offset, offset+length)} as one chunk of a chunked body. */
        RawConnection sendChunk(byte[] bytes, int offset, int length) throws IOException {
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, offset, length);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return this;
        }

        RawConnection endChunks() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return this;
        }

        /**
         * Reads the response, waiting at most {@code timeout}; {@link Reply#CLOSED} if the server
         * closed (or reset) the connection without answering.
         *
         * @throws AssertionError if nothing at all happened within {@code timeout}
         */
        Reply response(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try {
                while (!endsWithBlankLine(head)) {
                    int b = in.read();
                    if (b < 0) {
                        return Reply.CLOSED;
                    }
                    head.write(b);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer and no close within " + timeout, e);
            } catch (IOException reset) {
                return head.size() == 0 ? Reply.CLOSED : fail("connection broke mid-response", reset);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
            byte[] body = in.readNBytes(length);
            return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
            byte[] b = head.toByteArray();
            int n = b.length;
            return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A response, read off a raw connection or taken from an {@link HttpResponse}; {@link #CLOSED}
     * (status -1) when the server closed the connection without one.
     */
    record Reply(int status, Map<String, String> headers, String body) {
        static final Reply CLOSED = new Reply(-1, Map.of(), "");

        static Reply of(HttpResponse<String> response) {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
            return new Reply(response.statusCode(), headers, response.body());
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    // ---- files and data ----

    /** {@code length} bytes that are the same for the same seed. */
    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static String sha256Hex(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256Base64(byte[] bytes) {
        return java.util.Base64.getEncoder().encodeToString(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The completed file of upload {@code uploadId} (the JSON {@code id}): the one file under
     * {@code completed/ID/} of the storage directory, the one its record names.
     */
    static Path completedFile(Path storageDir, String uploadId) throws IOException {
        Path folder = storageDir.resolve("completed").resolve(uploadId);
        try (Stream<Path> files = Files.walk(folder)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            Path current = StoredFiles.completedFile(storageDir, UploadId.of(uploadId));
            assertEquals(List.of(current), all, () -> "only the current version in " + folder);
            return current;
        }
    }

    /**
     * Asserts that a 200 completion answer describes {@code expected} and that the completed file on
     * disk is byte-identical to it; returns the completed file.
     */
    static Path assertCompleted(HttpResponse<String> response, byte[] expected, Path storageDir) throws IOException {
        return assertCompleted(Reply.of(response), expected, storageDir);
    }

    static Path assertCompleted(Reply response, byte[] expected, Path storageDir) throws IOException {
        assertEquals(200, response.status(), () -> "completion answered " + response);
        String body = response.body();
        assertEquals(sha256Hex(expected), jsonString(body, "sha256"), "JSON sha256");
        assertEquals(expected.length, jsonNumber(body, "size"), "JSON size");
        assertEquals("sha-256=:" + sha256Base64(expected) + ":", response.header("Repr-Digest"), "Repr-Digest");
        assertEquals(Long.toString(expected.length), response.header("Upload-Offset"),
                "Upload-Offset of a completed upload");
        Path file = completedFile(storageDir, jsonString(body, "id"));
        assertEquals(jsonString(body, "name"), file.getFileName().toString(), "completed file name");
        assertEquals(sha256Hex(expected), sha256Hex(file), "sha256 of the completed file on disk");
        assertTrue(java.util.Arrays.equals(expected, Files.readAllBytes(file)), "completed file bytes");
        return file;
    }

    /** Asserts a 204 chunk answer with {@code Upload-Offset} {@code offset}. */
    static void assertStored(HttpResponse<String> response, long offset) {
        assertEquals(204, response.statusCode(), () -> "chunk answered " + response.statusCode() + ": "
                + response.body());
        assertEquals(Long.toString(offset), response.headers().firstValue("Upload-Offset").orElse(null),
                "Upload-Offset after the chunk");
    }

    /** Asserts a refusal with {@code status} that reports {@code offset} as header and in the body. */
    static void assertRefusedAt(HttpResponse<String> response, int status, long offset) {
        assertRefusedAt(Reply.of(response), status, offset);
    }

    static void assertRefusedAt(Reply response, int status, long offset) {
        assertEquals(status, response.status(), () -> "answered " + response);
        assertEquals(Long.toString(offset), response.header("Upload-Offset"), "Upload-Offset of the refusal");
        assertTrue(response.body().contains("offset: " + offset + "\n"),
                () -> "refusal body names the offset: " + response.body());
    }

    static String jsonString(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        assertTrue(m.find(), () -> "JSON has a string " + field + ": " + json);
        return m.group(1);
    }

    static long jsonNumber(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(-?[0-9]+)").matcher(json);
        assertTrue(m.find(), () -> "JSON has a number " + field + ": " + json);
        return Long.parseLong(m.group(1));
    }

    /** Every regular file under {@code dir} (relative path with '/') mapped to its SHA-256. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                try {
                    files.put(dir.relativize(file).toString().replace('\\', '/'), sha256Hex(file));
                } catch (NoSuchFileException gone) {
                    // replaced between listing and reading (a record's temporary file): not a stored file
                }
            }
        }
        return files;
    }

    /** Waits (polling) until {@code condition} holds, failing after {@link #TIMEOUT}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Size of {@code file}, 0 if it does not exist. */
    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
