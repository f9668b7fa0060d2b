package org.resumableupload.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain {@link Socket}, for requests no ordinary client sends: hostile headers, bodies
 * that disagree with their {@code Content-Length}, broken chunked encoding, bodies that stop. Parses
 * whatever the server answers, including several responses on one connection. Public for the front
 * ends' tests in their own packages ({@code web.tus}).
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** One parsed response. Header names are case-insensitive; a header may occur several times. */
    public record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {

        public Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        public List<String> all(String name) {
            return headers.getOrDefault(name, List.of());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The {@code Upload-Offset} header as a number, or -1. */
        public long uploadOffset() {
            return header("Upload-Offset").map(Long::parseLong).orElse(-1L);
        }

        @Override
        public String toString() {
            return statusLine + " " + headers + " body=" + text().replace("\n", "\\n");
        }
    }

    /** What came back on one connection: the responses and whether the read timed out before EOF. */
    public record Exchange(List<Response> responses, boolean timedOut, byte[] raw) {
        public Optional<Response> first() {
            return responses.isEmpty() ? Optional.empty() : Optional.of(responses.get(0));
        }
    }

    /** ASCII request head: the lines given, then an empty line. */
    public static byte[] head(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /**
     * Connects, sends {@code request}, half-closes (so a server waiting for more body sees the end),
     * reads until the server closes, and parses every response.
     *
     * @param method the request's method (a response to HEAD has no body)
     */
    public static Exchange exchange(int port, byte[] request, String method, int readTimeoutMillis) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(readTimeoutMillis);
            if (request.length <= LARGE) {
                send(socket, request);
                return readAll(socket.getInputStream(), method);
            }
            // A large body is written while the answer is read: a server may answer early and close,
            // and a reset on a socket that was still writing would drop an answer not yet read.
            Thread writer = new Thread(() -> send(socket, request), "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            Exchange exchange = readAll(socket.getInputStream(), method);
            try {
                writer.join(readTimeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return exchange;
        }
    }

    private static final int LARGE = 64 * 1024;

    private static void send(Socket socket, byte[] request) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
        } catch (IOException refusedEarly) {
            // The server may answer and close before the whole request is sent; the reader sees its answer.
        }
    }

    /** Reads until EOF (or the socket's timeout) and parses every response in the bytes. */
    public static Exchange readAll(InputStream in, String method) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        boolean timedOut = false;
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                raw.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            timedOut = true;
        } catch (IOException reset) {
            // A reset after the answer: keep what was read.
        }
        byte[] bytes = raw.toByteArray();
        return new Exchange(parseAll(bytes, method), timedOut, bytes);
    }

    /** Reads exactly one response from {@code in} (for connections kept open), or null at EOF. */
    public static Response readOne(InputStream in, String method) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        Response parsed = parseHead(head.toString(StandardCharsets.ISO_8859_1));
        long length = bodyLength(parsed, method);
        byte[] body = length > 0 ? in.readNBytes((int) length) : new byte[0];
        return new Response(parsed.statusLine(), parsed.status(), parsed.headers(), body);
    }

    static List<Response> parseAll(byte[] bytes, String method) {
        List<Response> responses = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int end = indexOf(bytes, at, "\r\n\r\n");
            if (end < 0) {
                break;
            }
            Response head = parseHead(new String(bytes, at, end - at, StandardCharsets.ISO_8859_1));
            if (head == null) {
                break;
            }
            at = end + 4;
            byte[] body;
            if (head.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
                ByteArrayOutputStream decoded = new ByteArrayOutputStream();
                while (true) {
                    int lineEnd = indexOf(bytes, at, "\r\n");
                    if (lineEnd < 0) {
                        at = bytes.length;
                        break;
                    }
                    String sizeLine = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].strip();
                    int size = Integer.parseInt(sizeLine, 16);
                    at = lineEnd + 2;
                    if (size == 0) {
                        int trailerEnd = indexOf(bytes, at, "\r\n");
                        at = trailerEnd < 0 ? bytes.length : trailerEnd + 2;
                        break;
                    }
                    int take = Math.min(size, bytes.length - at);
                    decoded.write(bytes, at, take);
                    at = Math.min(bytes.length, at + size + 2);
                }
                body = decoded.toByteArray();
            } else {
                long length = bodyLength(head, method);
                int take = (int) (length < 0 ? bytes.length - at : Math.min(length, bytes.length - at));
                body = Arrays.copyOfRange(bytes, at, at + take);
                at += take;
            }
            responses.add(new Response(head.statusLine(), head.status(), head.headers(), body));
            if (head.status() >= 200) {
                method = "GET"; // a 1xx precedes the answer; any response after the answer is to a request of unknown method
            }
        }
        return responses;
    }

    private static long bodyLength(Response head, String method) {
        if ("HEAD".equals(method) || head.status() == 204 || head.status() == 304 || head.status() / 100 == 1) {
            return 0;
        }
        return head.header("Content-Length").map(Long::parseLong).orElse(-1L);
    }

    private static Response parseHead(String text) {
        String[] lines = text.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            return null;
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
        }
        return new Response(lines[0], Integer.parseInt(status[1]), headers, new byte[0]);
    }

    private static int indexOf(byte[] bytes, int from, String what) {
        byte[] needle = what.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= bytes.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
