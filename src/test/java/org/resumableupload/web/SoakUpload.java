package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client of a soak test: uploads its file over raw sockets in the article's protocol and, after any
 * failure (connection reset or refused, an error status), asks {@code status} until the server answers
 * and resumes from there, as a real client does. Every offset the server confirmed is remembered; a
 * later {@code status} below it counts as bytes lost.
 */
final class SoakUpload {
    private static final Pattern SHA256 = Pattern.compile("\"sha256\":\"([0-9a-f]{64})\"");
    private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]+)\"");

    final int index;
    final long size;
    final boolean article;
    private final String test;
    private final int chunk;
    private final String fileId;
    private final String token;
    private final long seed;
    private final Source source;
    private final IntSupplier port;
    private final long deadlineNanos;
    private final LongSupplier bytesPerSecond;
    volatile boolean sending;
    long acknowledged;
    long bytesLost;
    long bytesSent;
    int resumes;
    private String json;

    /**
     * @param test           the test's name, for what it prints
     * @param article        the article's single request without {@code X-File-Size}, else chunks of
     *                       {@code chunk} bytes with {@code X-File-Size} and {@code X-File-Name}
     * @param port           the server's port now (a restarted server may have another)
     * @param deadlineNanos  {@link System#nanoTime()} by which the upload must be complete
     * @param bytesPerSecond how fast to send now
     */
    SoakUpload(String test, int index, long seed, long size, boolean article, int chunk, String token,
               IntSupplier port, long deadlineNanos, LongSupplier bytesPerSecond) {
        this.test = test;
        this.index = index;
        this.seed = seed;
        this.size = size;
        this.article = article;
        this.chunk = chunk;
        this.token = token;
        this.port = port;
        this.deadlineNanos = deadlineNanos;
        this.bytesPerSecond = bytesPerSecond;
        this.source = new Source(seed, index);
        // The article's id is name-size-lastModified; chunked uploads send X-File-Name instead.
        this.fileId = article ? "soak-" + index + ".bin-" + size + "-1700000000000" : "soak-" + index;
    }

    String fileId() {
        return fileId;
    }

    void run() throws Exception {
        long offset = 0;
        boolean askStatus = false;
        while (true) {
            if (System.nanoTime() > deadlineNanos) {
                throw new AssertionError("upload " + index + " did not finish; stored " + acknowledged);
            }
            if (askStatus) {
                offset = status();
                resumes++;
                if (offset < acknowledged) {
                    bytesLost += acknowledged - offset;
                    System.out.printf("%s upload %d LOST bytes: confirmed %d, status %d%n", test, index,
                            acknowledged, offset);
                }
                acknowledged = Math.max(acknowledged, offset);
                askStatus = false;
            }
            long end = article ? size : Math.min(size, offset + chunk);
            RawHttp.Response answer;
            sending = true;
            try {
                answer = post(offset, end);
            } catch (IOException e) {
                askStatus = true; // the server died (or was dying): ask what it kept
                continue;
            } finally {
                sending = false;
            }
            if (answer.status() == 200) {
                json = answer.text();
                acknowledged = size;
                return;
            } else if (answer.status() == 204) {
                offset = answer.uploadOffset();
                acknowledged = Math.max(acknowledged, offset);
            } else {
                askStatus = true; // 400 cut short, 503 shutting down, 409, 5xx: resume from status
            }
        }
    }

    private long status() throws Exception {
        while (System.nanoTime() < deadlineNanos) {
            try {
                RawHttp.Exchange exchange = RawHttp.exchange(port.getAsInt(), RawHttp.head("GET /status HTTP/1.1",
                        "Host: 127.0.0.1", "X-File-Id: " + fileId, "Cookie: upload-owner=" + token,
                        "Connection: close"), "GET", 10_000);
                if (exchange.first().isPresent() && exchange.first().get().status() == 200) {
                    return Long.parseLong(exchange.first().get().text().strip());
                }
            } catch (IOException serverDown) {
                // restarting: try again shortly
            }
            Thread.sleep(50);
        }
        throw new AssertionError("status never answered for upload " + index);
    }

    private RawHttp.Response post(long start, long end) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port.getAsInt()), 5_000);
            socket.setSoTimeout(30_000);
            List<String> head = new ArrayList<>(List.of("POST /upload HTTP/1.1", "Host: 127.0.0.1",
                    "X-File-Id: " + fileId, "X-Start-Byte: " + start, "Cookie: upload-owner=" + token,
                    "Content-Length: " + (end - start), "Connection: close"));
            if (!article) {
                head.add("X-File-Size: " + size);
                head.add("X-File-Name: soak-" + index + ".bin");
            }
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.head(head.toArray(String[]::new)));
            byte[] buffer = new byte[64 << 10];
            long begun = System.nanoTime();
            long sent = 0;
            for (long at = start; at < end; ) {
                int n = (int) Math.min(buffer.length, end - at);
                source.fill(at, buffer, n);
                out.write(buffer, 0, n);
                at += n;
                sent += n;
                bytesSent += n;
                long due = begun + sent * 1_000_000_000L / bytesPerSecond.getAsLong();
                long ahead = due - System.nanoTime();
                if (ahead > 0) {
                    TimeUnit.NANOSECONDS.sleep(ahead); // pacing, not waiting for a condition
                }
            }
            out.flush();
            InputStream in = socket.getInputStream();
            RawHttp.Response answer = RawHttp.readOne(in, "POST");
            if (answer == null) {
                throw new EOFException("closed without an answer");
            }
            return answer;
        }
    }

    /** The server's answer and the completed file in {@code storageDir} both match the source. */
    void verifyOnDisk(Path storageDir, RawClient owner) throws Exception {
        String expected = new Source(seed, index).sha256Hex(size);
        Matcher sha = SHA256.matcher(json);
        Matcher name = NAME.matcher(json);
        assertTrue(sha.find() && name.find(), json);
        assertEquals(expected, sha.group(1), "upload " + index + ": the server's SHA-256");
        assertTrue(json.contains("\"size\":" + size + ","), json);
        Path file = StoredFiles.completedFile(storageDir, owner.serverId(fileId));
        assertEquals(name.group(1), file.getFileName().toString(), "upload " + index + " stored name");
        assertEquals(size, Files.size(file), "upload " + index + " size on disk");
        MessageDigest onDisk = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                onDisk.update(buffer, 0, n);
            }
        }
        assertEquals(expected, HexFormat.of().formatHex(onDisk.digest()), "upload " + index + " bytes on disk");
        System.out.printf("%s upload %2d %-7s %9d bytes, %d resumes, %s%n", test, index,
                article ? "article" : "chunked", size, resumes, expected.substring(0, 12));
    }

    /** The bytes of one upload: a function of the seed, the upload and the position, never held whole. */
    static final class Source {
        private static final int BLOCK = 64 << 10;
        private final long seed;
        private final byte[] block = new byte[BLOCK];
        private long blockIndex = -1;

        Source(long seed, int upload) {
            this.seed = seed * 1_000_003L + upload;
        }

        void fill(long position, byte[] buffer, int length) {
            int done = 0;
            while (done < length) {
                long index = (position + done) / BLOCK;
                int within = (int) ((position + done) % BLOCK);
                if (index != blockIndex) {
                    new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L)).nextBytes(block);
                    blockIndex = index;
                }
                int n = Math.min(length - done, BLOCK - within);
                System.arraycopy(block, within, buffer, done, n);
                done += n;
            }
        }

        String sha256Hex(long size) throws Exception {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[BLOCK];
            for (long at = 0; at < size; at += BLOCK) {
                int n = (int) Math.min(BLOCK, size - at);
                fill(at, buffer, n);
                sha256.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha256.digest());
        }
    }
}
