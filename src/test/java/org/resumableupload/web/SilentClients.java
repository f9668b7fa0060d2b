package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Connections that hold a request open and then neither send nor read: the heads of refused
 * {@code POST /upload} requests that declare a body of up to 1 MiB and send none of it (some trickling a
 * byte now and then, some with {@code Expect: 100-continue}), and downloads whose client never reads.
 * While they are open, {@link #assertNormalClientAnswered} times a normal client. Every connection is to
 * 127.0.0.1 and is closed by {@link #close()}.
 */
final class SilentClients implements AutoCloseable {
    static final int REFUSED_BODIES = 1_000;
    static final int UNREAD_DOWNLOADS = 300;
    /** A completed file far larger than the socket buffers of a stalled download. */
    static final int DOWNLOAD_BYTES = 16 << 20;
    static final long NORMAL_ANSWER_MILLIS = 1_000;
    private static final int NORMAL_TIMEOUT_MILLIS = 5_000;
    private static final int PROBE_ROUNDS = 5;
    private static final int SMALL_RECEIVE_BUFFER = 4_096;
    private static final long TRICKLE_EVERY_MILLIS = 1_000;
    private static final long SETTLE_MILLIS = 1_000;
    private static final int CONNECTING_AT_ONCE = 32;

    private final int port;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Socket> trickling = new ArrayList<>();
    private final List<Socket> awaitingDrain = new ArrayList<>();
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "silent-clients-trickle");
        thread.setDaemon(true);
        return thread;
    });

    SilentClients(int port) {
        this.port = port;
    }

    /** Refused for one of four reasons, the fourth of them also with {@code Expect: 100-continue}. */
    static byte[] refusedUploadHead(int i, long contentLength) {
        List<String> lines = new ArrayList<>(List.of("POST /upload HTTP/1.1", "Host: 127.0.0.1",
                "Content-Length: " + contentLength));
        switch (i % 3) {
            case 0 -> lines.add("X-Start-Byte: 0"); // no X-File-Id: 400
            case 1 -> lines.addAll(List.of("X-File-Id: silent-" + i, "X-Start-Byte: 7")); // no such offset: 409
            default -> lines.addAll(List.of("X-File-Id: silent-" + i, "X-Start-Byte: 0",
                    "X-File-Size: 100000000000000")); // past the maximum size: 413
        }
        if (i % 4 == 3) {
            lines.add("Expect: 100-continue");
        }
        return RawHttp.head(lines.toArray(String[]::new));
    }

    /**
     * Opens {@link #REFUSED_BODIES} refused bodies, then {@link #UNREAD_DOWNLOADS} unread downloads of
     * {@code download}, and prints how long that took under {@code label}.
     */
    void openAll(String download, String cookieHeader, String label) throws Exception {
        long begun = System.nanoTime();
        openRefusedBodies(REFUSED_BODIES);
        long refusedOpen = System.nanoTime() - begun;
        openUnreadDownloads(download, cookieHeader, UNREAD_DOWNLOADS);
        System.out.printf("%s: opened %d connections in %d ms (the refused bodies in %d ms)%n", label, open(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun), TimeUnit.NANOSECONDS.toMillis(refusedOpen));
    }

    /**
     * Opens {@code count} connections that send the head of a refused upload declaring a body of up to
     * 1 MiB and send none of it; every tenth trickles one byte of it every second.
     */
    void openRefusedBodies(int count) throws Exception {
        List<Socket> opened = openAll(count, 0, i -> refusedUploadHead(i, 1 + (i * 7919L) % (1 << 20)));
        for (int i = 9; i < count; i += 10) {
            trickling.add(opened.get(i));
        }
        for (int i = 0; i < count; i++) {
            if (i % 4 != 3) {
                awaitingDrain.add(opened.get(i)); // the others expect 100-continue: refused at once
            }
        }
        trickler.scheduleAtFixedRate(this::trickle, TRICKLE_EVERY_MILLIS, TRICKLE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void trickle() {
        for (Socket socket : trickling) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write('x');
                out.flush();
            } catch (IOException answeredAndClosed) {
                // the server answered and closed this one: it holds nothing any more
            }
        }
    }

    /** Opens {@code count} requests for {@code path} as {@code cookieHeader} whose answer is never read. */
    void openUnreadDownloads(String path, String cookieHeader, int count) throws Exception {
        byte[] head = RawHttp.head("GET " + path + " HTTP/1.1", "Host: 127.0.0.1", cookieHeader);
        openAll(count, SMALL_RECEIVE_BUFFER, i -> head);
    }

    /**
     * Connects {@code count} sockets, several at a time (as many clients would: one after the other, a
     * connection that waits for the server's accept queue would hold up all that follow), and sends each
     * its request head.
     */
    private List<Socket> openAll(int count, int receiveBuffer, IntFunction<byte[]> head) throws Exception {
        ExecutorService connectors = Executors.newFixedThreadPool(CONNECTING_AT_ONCE);
        try {
            List<Future<Socket>> connecting = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                connecting.add(connectors.submit(() -> {
                    Socket socket = connect(receiveBuffer);
                    socket.getOutputStream().write(head.apply(index));
                    return socket;
                }));
            }
            List<Socket> opened = new ArrayList<>();
            for (Future<Socket> socket : connecting) {
                opened.add(socket.get(NORMAL_TIMEOUT_MILLIS * 4L, TimeUnit.MILLISECONDS));
            }
            return opened;
        } finally {
            connectors.shutdownNow();
        }
    }

    private Socket connect(int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        synchronized (sockets) {
            sockets.add(socket);
        }
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connecting: it sets the TCP window
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), NORMAL_TIMEOUT_MILLIS);
        return socket;
    }

    /** How many refused bodies (without {@code Expect}) are still open and unanswered, awaiting their drain. */
    int stillAwaitingDrain() throws IOException {
        int silent = 0;
        for (Socket socket : awaitingDrain) {
            socket.setSoTimeout(1);
            try {
                socket.getInputStream().read();
            } catch (java.net.SocketTimeoutException stillOpenAndUnanswered) {
                silent++;
            } catch (IOException reset) {
                // closed by the server
            }
        }
        return silent;
    }

    int awaitingDrainOpened() {
        return awaitingDrain.size();
    }

    int open() {
        synchronized (sockets) {
            return sockets.size();
        }
    }

    /**
     * A normal client's {@code GET /status} and {@code GET /index.html}, each on a new connection, a few
     * times over: each must be answered 200 (within {@link #NORMAL_TIMEOUT_MILLIS}), and all but the
     * slowest within {@link #NORMAL_ANSWER_MILLIS}. Starvation (threads held by the silent connections)
     * lasts as long as they stay open and slows every probe; one slow probe beside nine fast ones is the
     * machine (seen once on the Jetty distribution: 1,180 ms for the first, then 3-130 ms).
     *
     * @return the second-longest wait in milliseconds
     */
    long assertNormalClientAnswered(String label) throws IOException, InterruptedException {
        // The burst of connections just opened is taken in first (accepted, parsed, the downloads' socket
        // buffers filled); what is measured is a normal client while they all stay open.
        Thread.sleep(SETTLE_MILLIS);
        List<Long> answeredIn = new ArrayList<>();
        List<String> waits = new ArrayList<>();
        for (int round = 0; round < PROBE_ROUNDS; round++) {
            for (String path : List.of("/status", "/index.html")) {
                byte[] request = RawHttp.head("GET " + path + " HTTP/1.1", "Host: 127.0.0.1", "X-File-Id: probe",
                        "Connection: close");
                long begun = System.nanoTime();
                RawHttp.Exchange exchange = RawHttp.exchange(port, request, "GET", NORMAL_TIMEOUT_MILLIS);
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun);
                int status = exchange.first().map(RawHttp.Response::status).orElse(-1);
                waits.add(path + " " + (status < 0 ? "unanswered after " : status + " in ") + waited + " ms");
                answeredIn.add(status == 200 ? waited : Long.MAX_VALUE);
            }
        }
        System.out.printf(Locale.ROOT, "%s: beside %d silent connections, a normal client: %s%n", label, open(), waits);
        answeredIn.sort(null);
        assertTrue(answeredIn.get(answeredIn.size() - 1) < Long.MAX_VALUE, label + ": a normal client beside "
                + open() + " silent connections was not answered 200: " + waits);
        long secondLongest = answeredIn.get(answeredIn.size() - 2);
        assertTrue(secondLongest < NORMAL_ANSWER_MILLIS, label + ": a normal client beside " + open()
                + " silent connections: " + waits);
        return secondLongest;
    }

    /** A refused request with {@code Expect: 100-continue}: its refusal is the first status line, then close. */
    static void assertRefusedWithoutContinue(int port) throws IOException {
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(NORMAL_TIMEOUT_MILLIS);
                socket.getOutputStream().write(refusedUploadHead(4 * i + 3, 500_000));
                long begun = System.nanoTime();
                RawHttp.Response first = RawHttp.readOne(socket.getInputStream(), "POST");
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun);
                assertTrue(first != null, "answered");
                assertNotEquals(100, first.status(), "no 100 Continue before a refusal: " + first);
                assertTrue(first.status() >= 400 && first.status() < 500, first::toString);
                assertTrue(waited < NORMAL_ANSWER_MILLIS, "refused at once, not after " + waited + " ms");
                assertEquals("close", first.header("Connection").orElse("").toLowerCase(Locale.ROOT), first::toString);
                assertEquals(-1, socket.getInputStream().read(), "closed after the refusal, the body never read");
            }
        }
    }

    /** How many files under {@code dir} the process {@code pid} has open now (Linux {@code /proc}). */
    static long openFilesUnder(long pid, Path dir) throws IOException {
        Path real = dir.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd);
                } catch (IOException closedMeanwhile) {
                    return Path.of("/");
                }
            }).filter(target -> target.startsWith(real)).count();
        }
    }

    /** A completed upload of {@link #DOWNLOAD_BYTES} random bytes: its {@code /files/{id}} path. */
    static String completedDownload(RawClient owner) {
        byte[] file = UploadClient.randomBytes(DOWNLOAD_BYTES, 9);
        RawHttp.Response done = owner.upload("silent-download.bin", 0, file.length, file);
        assertEquals(200, done.status(), done::toString);
        return "/files/" + UploadClient.jsonString(done.text(), "id");
    }

    @Override
    public void close() throws IOException {
        trickler.shutdownNow();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                socket.close();
            }
            sockets.clear();
        }
    }
}
