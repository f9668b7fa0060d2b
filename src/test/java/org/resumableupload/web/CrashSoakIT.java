package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash soak: 20 uploads of random sizes run in parallel against the real webapp in a JVM of its own
 * ({@link CrashSoakServer}), which the test kills with SIGKILL at random moments and restarts on the
 * same port and storage directory. Each client does what a real one does after any failure: ask
 * {@code status} and resume from there. Every upload must end byte-identical, and no byte the server
 * ever confirmed (a 2xx {@code Upload-Offset} or a {@code status} answer) may be missing afterwards.
 *
 * <p>Seeded: {@code -Dsoak.seed=N} repeats a run; the seed is printed.
 */
class CrashSoakIT {
    private static final int UPLOADS = 20;
    private static final int MIN_KILLS = 5;
    private static final int MAX_KILLS = 7;
    private static final int MB = 1 << 20;
    // Paced so that the uploads are still running when the fifth kill comes; faster after that.
    private static final long SLOW_BYTES_PER_SECOND = MB;
    private static final long FAST_BYTES_PER_SECOND = 8L * MB;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(150);
    private static final Pattern SHA256 = Pattern.compile("\"sha256\":\"([0-9a-f]{64})\"");
    private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]+)\"");

    @TempDir
    Path tempDir;

    private Path storage;
    private Path log;
    private int starts;
    private int port;
    private volatile boolean fast;
    private final long started = System.nanoTime();

    @Test
    void twentyParallelUploadsSurviveRepeatedSigkillsAndEndByteIdentical() throws Exception {
        long seed = Long.getLong("soak.seed", System.currentTimeMillis());
        System.out.println("CrashSoakIT seed " + seed + " (repeat with -Dsoak.seed=" + seed + ")");
        Random random = new Random(seed);
        storage = Files.createDirectories(tempDir.resolve("storage"));
        port = freePort();

        Process server = startServer();
        RawClient owner = RawClient.newOwner(port);
        List<SoakUpload> uploads = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            // One large upload guarantees the soak outlasts the minimum number of kills.
            long size = i == 0 ? 20L * MB + random.nextInt(4 * MB) : MB + random.nextInt(23 * MB);
            boolean article = i % 4 == 1; // the article's single request, without X-File-Size
            int chunk = (256 << 10) + random.nextInt(4 * MB);
            uploads.add(new SoakUpload(i, seed, size, article, chunk, owner.token()));
        }
        CountDownLatch done = new CountDownLatch(UPLOADS);
        ExecutorService clients = Executors.newFixedThreadPool(UPLOADS);
        List<Future<?>> results = new ArrayList<>();
        for (SoakUpload upload : uploads) {
            results.add(clients.submit(() -> {
                try {
                    upload.run();
                    return null;
                } finally {
                    done.countDown();
                }
            }));
        }

        int kills = 0;
        int killsMidRequest = 0;
        try {
            while (kills < MAX_KILLS && !done.await(300 + random.nextInt(1000), TimeUnit.MILLISECONDS)) {
                long inFlight = uploads.stream().filter(u -> u.sending).count();
                long pid = server.pid();
                server.destroyForcibly(); // SIGKILL on Linux: asserted by the exit status below
                assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the killed server exited");
                assertEquals(128 + 9, server.exitValue(), "server " + pid + " died of SIGKILL");
                kills++;
                killsMidRequest += inFlight > 0 ? 1 : 0;
                System.out.printf("CrashSoakIT kill %d (pid %d) at %.1f s with %d requests in flight%n",
                        kills, pid, seconds(), inFlight);
                if (kills >= MIN_KILLS) {
                    fast = true;
                }
                long restarting = System.nanoTime();
                server = startServer();
                System.out.printf("CrashSoakIT restarted in %.1f s%n", (System.nanoTime() - restarting) / 1e9);
            }
            fast = true;
            assertTrue(done.await(DEADLINE_NANOS, TimeUnit.NANOSECONDS), "every upload finished in time");
            for (Future<?> result : results) {
                result.get(); // rethrows a client's assertion failure
            }
        } finally {
            clients.shutdownNow();
            server.destroyForcibly();
            server.waitFor(20, TimeUnit.SECONDS);
        }

        long bytesLost = uploads.stream().mapToLong(u -> u.bytesLost).sum();
        long totalBytes = uploads.stream().mapToLong(u -> u.size).sum();
        long sentBytes = uploads.stream().mapToLong(u -> u.bytesSent).sum();
        long resumes = uploads.stream().mapToLong(u -> u.resumes).sum();
        for (SoakUpload upload : uploads) {
            upload.verifyOnDisk(storage, owner);
        }
        try (Stream<Path> parts = Files.list(storage.resolve("parts"))) {
            assertEquals(List.of(), parts.toList(), "every upload completed: no parts are left");
        }
        System.out.printf("CrashSoakIT seed %d: %d uploads (%.1f MiB, %.1f MiB sent), %d SIGKILLs survived "
                        + "(%d with requests in flight), %d resumes from status, %d bytes lost, all byte-identical, %.1f s%n",
                seed, UPLOADS, totalBytes / (double) MB, sentBytes / (double) MB, kills, killsMidRequest,
                resumes, bytesLost, seconds());
        assertTrue(killsMidRequest >= MIN_KILLS, "killed at least " + MIN_KILLS
                + " times while requests were in flight, was " + killsMidRequest);
        assertEquals(0, bytesLost, "bytes the server had confirmed went missing");
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private Process startServer() throws IOException, InterruptedException {
        log = tempDir.resolve("server-" + ++starts + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CrashSoakServer.class.getName(),
                storage.toString(), Integer.toString(port),
                // Long single requests make durable progress every MiB, so a kill loses at most that.
                "upload.checkpointBytes=1M");
        builder.directory(new File(System.getProperty("user.dir")));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (Files.readString(log).contains("READY " + port)) {
                return process;
            }
            Thread.sleep(20);
        }
        process.destroyForcibly();
        throw new AssertionError("the server did not start in 60 s:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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

    /** One client: uploads its file, and after any failure asks status and resumes. */
    final class SoakUpload {
        final int index;
        final long size;
        final boolean article;
        final int chunk;
        final String fileId;
        final String token;
        final Source source;
        final long seed;
        volatile boolean finished;
        volatile boolean sending;
        long acknowledged;
        long bytesLost;
        long bytesSent;
        int resumes;
        String json;

        SoakUpload(int index, long seed, long size, boolean article, int chunk, String token) {
            this.index = index;
            this.seed = seed;
            this.size = size;
            this.article = article;
            this.chunk = chunk;
            this.token = token;
            this.source = new Source(seed, index);
            // The article's id is name-size-lastModified; chunked uploads send X-File-Name instead.
            this.fileId = article ? "soak-" + index + ".bin-" + size + "-1700000000000" : "soak-" + index;
        }

        void run() throws Exception {
            long deadline = started + DEADLINE_NANOS;
            long offset = 0;
            boolean askStatus = false;
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("upload " + index + " did not finish; stored " + acknowledged);
                }
                if (askStatus) {
                    offset = status(deadline);
                    resumes++;
                    if (offset < acknowledged) {
                        bytesLost += acknowledged - offset;
                        System.out.printf("CrashSoakIT upload %d LOST bytes: confirmed %d, status %d%n",
                                index, acknowledged, offset);
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
                    finished = true;
                    return;
                } else if (answer.status() == 204) {
                    offset = answer.uploadOffset();
                    acknowledged = Math.max(acknowledged, offset);
                } else {
                    askStatus = true; // 400 cut short, 503 shutting down, 409: resume from status
                }
            }
        }

        private long status(long deadline) throws Exception {
            while (System.nanoTime() < deadline) {
                try {
                    RawHttp.Exchange exchange = RawHttp.exchange(port, RawHttp.head("GET /status HTTP/1.1",
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
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
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
                    long due = begun + sent * 1_000_000_000L / (fast ? FAST_BYTES_PER_SECOND : SLOW_BYTES_PER_SECOND);
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
            System.out.printf("CrashSoakIT upload %2d %-7s %9d bytes, %d resumes, %s%n", index,
                    article ? "article" : "chunked", size, resumes, expected.substring(0, 12));
        }
    }
}
