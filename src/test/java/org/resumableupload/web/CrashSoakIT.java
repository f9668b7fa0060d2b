package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
            uploads.add(new SoakUpload("CrashSoakIT", i, seed, size, article, chunk, owner.token(), () -> port,
                    started + DEADLINE_NANOS, () -> fast ? FAST_BYTES_PER_SECOND : SLOW_BYTES_PER_SECOND));
        }
        SoakClients clients = new SoakClients(uploads);

        int kills = 0;
        int killsMidRequest = 0;
        try {
            while (kills < MAX_KILLS && !clients.allEndedWithin(300 + random.nextInt(1000))) {
                long inFlight = clients.sending();
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
            clients.assertAllFinished(DEADLINE_NANOS);
        } finally {
            clients.close();
            server.destroyForcibly();
            server.waitFor(20, TimeUnit.SECONDS);
        }

        long bytesLost = clients.total(u -> u.bytesLost);
        long totalBytes = clients.total(u -> u.size);
        long sentBytes = clients.total(u -> u.bytesSent);
        long resumes = clients.total(u -> u.resumes);
        clients.assertStoredWhole(storage, owner);
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
}
