package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and idle clients. Bodies are read with non-blocking I/O, so connections that trickle bytes hold
 * no server thread and do not slow other uploads down; connections that stop sending are closed after
 * the documented timeouts (the container's idle timeout, or {@code upload.idleTimeout} checked every
 * {@code upload.sweepInterval}) with {@code 408} and the stored offset, and keep what they stored.
 */
class SlowClientsIT {
    private static final int SLOW_CONNECTIONS = 200;
    private static final int TRICKLE_SECONDS = 10;
    private static final int NORMAL_UPLOAD_BYTES = 8 << 20;
    private static final int MAX_SERVER_THREADS = 40;

    @TempDir
    Path dir;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Test
    void twoHundredConnectionsSendingOneByteASecondNeitherHoldThreadsNorSlowANormalUpload() throws Exception {
        // Fewer server threads than slow bodies: if each held a thread, the normal upload would starve.
        try (TestServer server = TestServer.start(dir, Map.of(), 0, 30_000,
                jetty -> ((QueuedThreadPool) jetty.getThreadPool()).setMaxThreads(MAX_SERVER_THREADS))) {
            RawClient owner = RawClient.newOwner(server.port());
            byte[] file = new byte[NORMAL_UPLOAD_BYTES];
            new Random(42).nextBytes(file);
            AtomicInteger uploads = new AtomicInteger();
            LongSupplier normalUpload = () -> timeOneUpload(owner, "normal-" + uploads.incrementAndGet(), file);
            normalUpload.getAsLong(); // warm up the JIT and the connector
            normalUpload.getAsLong();
            long solo = median(normalUpload.getAsLong(), normalUpload.getAsLong(), normalUpload.getAsLong());
            int threadsBefore = threads.getThreadCount();

            // Half send their body one byte a second, half their headers (they never reach a servlet).
            List<Socket> sockets = new ArrayList<>();
            List<byte[]> trickles = new ArrayList<>();
            int[] sent = new int[SLOW_CONNECTIONS];
            AtomicInteger peakThreads = new AtomicInteger(threads.getThreadCount());
            AtomicInteger peakInApp = new AtomicInteger();
            ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
            trickler.scheduleAtFixedRate(() -> {
                peakThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
                peakInApp.accumulateAndGet(threadsInsideTheApplication(), Math::max);
            }, 0, 50, TimeUnit.MILLISECONDS);
            for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                if (i % 20 == 0) {
                    Thread.sleep(100); // slow clients arrive over a second, not in one burst
                }
                Socket socket = new Socket("127.0.0.1", server.port());
                sockets.add(socket);
                String head = "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Id: slow-" + i + "\r\n"
                        + "X-Start-Byte: 0\r\n" + owner.cookieHeader() + "\r\nContent-Length: 1000\r\n\r\n";
                if (i % 2 == 0) {
                    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                    byte[] body = new byte[1000];
                    Arrays.fill(body, (byte) ('a' + i % 26));
                    trickles.add(body);
                } else {
                    trickles.add(head.getBytes(StandardCharsets.US_ASCII));
                }
            }
            CountDownLatch trickled = new CountDownLatch(TRICKLE_SECONDS);
            trickler.scheduleAtFixedRate(() -> {
                if (trickled.getCount() == 0) {
                    return;
                }
                for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                    try {
                        OutputStream out = sockets.get(i).getOutputStream();
                        out.write(trickles.get(i)[sent[i]]);
                        out.flush();
                        sent[i]++;
                    } catch (IOException e) {
                        throw new AssertionError("slow connection " + i + " was cut while it was sending", e);
                    }
                }
                trickled.countDown();
            }, 0, 1, TimeUnit.SECONDS);
            try {
                assertTrue(awaitCount(trickled, TRICKLE_SECONDS - 2), "the slow connections are trickling");
                long loaded = median(normalUpload.getAsLong(), normalUpload.getAsLong(), normalUpload.getAsLong());
                assertTrue(trickled.await(TRICKLE_SECONDS + 10, TimeUnit.SECONDS), "trickled for 10 s");

                System.out.printf("SlowClientsIT: 8 MiB upload %d ms alone, %d ms beside %d connections sending "
                                + "1 byte/s for %d s; JVM threads %d before, peak %d (server pool at most %d); peak threads inside the application %d%n",
                        solo / 1_000_000, loaded / 1_000_000, SLOW_CONNECTIONS, TRICKLE_SECONDS, threadsBefore,
                        peakThreads.get(), MAX_SERVER_THREADS, peakInApp.get());
                // Generous: the machine is shared, and a few ms of noise on a fast solo run is a large factor.
                long bound = Math.max(5 * solo, TimeUnit.SECONDS.toNanos(1));
                assertTrue(loaded < bound, "a normal upload took " + loaded / 1_000_000 + " ms beside the slow "
                        + "connections, alone " + solo / 1_000_000 + " ms");
                // The pool is bounded (40) below the number of slow bodies (100) and headers (100).
                assertTrue(peakThreads.get() - threadsBefore <= MAX_SERVER_THREADS, "threads before "
                        + threadsBefore + ", peak " + peakThreads.get());
                assertTrue(peakInApp.get() < MAX_SERVER_THREADS, "threads inside the application at once: "
                        + peakInApp.get());
                for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                    assertNull(answerWithin(sockets.get(i), 1), "slow connection " + i + " is still open, unanswered");
                }
            } finally {
                trickler.shutdownNow();
                for (Socket socket : sockets) {
                    socket.close(); // cut: what each body sent must be kept
                }
            }
            for (int i = 0; i < SLOW_CONNECTIONS; i += 2) {
                String id = "slow-" + i;
                int bytes = sent[i];
                awaitTrue(() -> owner.offset(id) == bytes, "upload " + id + " keeps the " + bytes + " bytes it sent");
            }
        }
    }

    @Test
    void idleBodiesAreCutByTheContainersIdleTimeoutWith408AndKeepWhatTheySent() throws Exception {
        // The container's idle timeout (Jetty's connector, 1 s here) cuts a body that stops arriving.
        try (TestServer server = TestServer.start(dir, Map.of(), 0, 1_000)) {
            assertIdleConnectionsAnswered408AndKeepTheirBytes(server, 1_000);
        }
    }

    @Test
    void idleBodiesAreStoppedByTheSweepWith408AndKeepWhatTheySentWhileSlowOnesGoOn() throws Exception {
        // The container waits a minute; the core's own idle timeout stops the writers first.
        try (TestServer server = TestServer.start(dir, Map.of("upload.idleTimeout", "1s",
                "upload.sweepInterval", "PT0.2S"), 0, 60_000)) {
            RawClient owner = RawClient.newOwner(server.port());
            // A slow but active body: a byte every 300 ms is not idle.
            Socket active = new Socket("127.0.0.1", server.port());
            active.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Id: active\r\n"
                    + owner.cookieHeader() + "\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger activeSent = new AtomicInteger();
            java.util.concurrent.atomic.AtomicLong lastSent = new java.util.concurrent.atomic.AtomicLong();
            trickler.scheduleAtFixedRate(() -> {
                try {
                    active.getOutputStream().write('x');
                    lastSent.set(System.nanoTime());
                    activeSent.incrementAndGet();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 300, TimeUnit.MILLISECONDS);
            try {
                assertIdleConnectionsAnswered408AndKeepTheirBytes(server, 1_000);
                assertNull(answerWithin(active, 1), "the slow but active body was not stopped");
            } finally {
                trickler.shutdownNow();
                trickler.awaitTermination(5, TimeUnit.SECONDS);
            }
            // Now it is silent: the sweep stops it too, keeping every byte.
            RawHttp.Response stopped = readAnswer(active, 10_000);
            long silent = System.nanoTime() - lastSent.get();
            assertEquals(408, stopped.status(), stopped::toString);
            assertEquals(activeSent.get(), stopped.uploadOffset());
            assertTrue(silent >= TimeUnit.MILLISECONDS.toNanos(900), "stopped after " + silent / 1_000_000 + " ms");
            active.close();
            assertEquals(activeSent.get(), owner.offset("active"));
        }
    }

    /** 20 bodies stop after a few bytes; each is answered 408 + offset after the timeout, then closed. */
    private void assertIdleConnectionsAnswered408AndKeepTheirBytes(TestServer server, long timeoutMillis)
            throws Exception {
        RawClient owner = RawClient.newOwner(server.port());
        int idle = 20;
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < idle; i++) {
            Socket socket = new Socket("127.0.0.1", server.port());
            byte[] body = new byte[10 * (i + 1)];
            Arrays.fill(body, (byte) i);
            socket.getOutputStream().write(RawHttp.concat(RawHttp.head("POST /upload HTTP/1.1", "Host: 127.0.0.1",
                    "X-File-Id: idle-" + i, "X-Start-Byte: 0", owner.cookieHeader(), "Content-Length: 10000"), body));
            sockets.add(socket);
        }
        long lastByte = System.nanoTime();
        try {
            for (int i = 0; i < idle; i++) {
                RawHttp.Response answer = readAnswer(sockets.get(i), 15_000);
                long waited = System.nanoTime() - lastByte;
                assertEquals(408, answer.status(), answer::toString);
                assertEquals(10L * (i + 1), answer.uploadOffset(), "the 408 tells what was kept");
                assertEquals("nosniff", answer.header("X-Content-Type-Options").orElse(""));
                assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(timeoutMillis - 100),
                        "not cut before the timeout: " + waited / 1_000_000 + " ms");
                assertTrue(waited < TimeUnit.MILLISECONDS.toNanos(timeoutMillis + 10_000),
                        "cut soon after the timeout: " + waited / 1_000_000 + " ms");
                assertEquals(-1, sockets.get(i).getInputStream().read(), "the idle connection is closed");
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        for (int i = 0; i < idle; i++) {
            assertEquals(10L * (i + 1), owner.offset("idle-" + i), "status shows what idle-" + i + " stored");
        }
    }

    /** Threads whose stack is inside a servlet or the upload core right now. */
    private static int threadsInsideTheApplication() {
        int inside = 0;
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement frame : stack) {
                String type = frame.getClassName();
                if (type.equals("jakarta.servlet.http.HttpServlet") || type.startsWith("org.resumableupload.core.")
                        || type.startsWith("org.resumableupload.web.BodyReader")) {
                    inside++;
                    break;
                }
            }
        }
        return inside;
    }

    private static RawHttp.Response readAnswer(Socket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        RawHttp.Response answer = RawHttp.readOne(socket.getInputStream(), "POST");
        if (answer == null) {
            throw new AssertionError("closed without an answer");
        }
        return answer;
    }

    /** The first byte of an answer if one arrives within {@code millis}, else null (still open, silent). */
    private static String answerWithin(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        try {
            int b = in.read();
            return b < 0 ? "closed" : "answered: " + (char) b;
        } catch (SocketTimeoutException silent) {
            return null;
        }
    }

    private static long timeOneUpload(RawClient owner, String id, byte[] file) {
        long begun = System.nanoTime();
        RawHttp.Response done = owner.upload(id, 0, file.length, file);
        long took = System.nanoTime() - begun;
        assertEquals(200, done.status(), done::toString);
        assertTrue(done.text().contains(RawClient.sha256Hex(file)), done.text());
        return took;
    }

    private static long median(long... values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Waits until the latch has counted down to at most {@code remaining}. */
    private static boolean awaitCount(CountDownLatch latch, long remaining) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latch.getCount() > remaining) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            Thread.sleep(20);
        }
    }
}
