package org.resumableupload.web.tus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of a server, for clients whose connection the test cannot reach
 * (tus-java-client's {@code HttpURLConnection}): it passes bytes both ways, keeps a copy of what the
 * clients sent (to read their request lines and headers), and once armed with {@link #cutAfter} closes
 * the connection that carries the client's N-th byte from then on, as a lost network would.
 */
final class CuttingRelay implements AutoCloseable {
    private static final int CAPTURE_LIMIT = 64 * 1024 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final ExecutorService pumps = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    /** Client bytes still allowed through before the cut; negative: no cut armed. */
    private final AtomicLong untilCut = new AtomicLong(-1);

    private CuttingRelay(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Starts a relay on a free loopback port in front of the host and port of {@code server}. */
    static CuttingRelay startInFrontOf(URI server) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        CuttingRelay relay = new CuttingRelay(listener, new InetSocketAddress(server.getHost(), server.getPort()));
        relay.pumps.execute(relay::accept);
        return relay;
    }

    /** {@code uri} with the relay's host and port in place of the server's. */
    URI via(URI uri) {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + uri.getRawPath());
    }

    /** Cuts the connection that carries the {@code bytes}-th client byte from now on (only once). */
    void cutAfter(long bytes) {
        untilCut.set(bytes);
    }

    /** Everything clients sent through the relay so far, as ISO-8859-1 text (bodies included). */
    String sentText() {
        synchronized (sent) {
            return sent.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                pumps.execute(() -> pump(client, server, true));
                pumps.execute(() -> pump(server, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                int pass = fromClient ? allowed(n) : n;
                if (fromClient) {
                    capture(buffer, pass);
                }
                out.write(buffer, 0, pass);
                out.flush();
                if (pass < n) {
                    from.setSoLinger(true, 0); // the client sees a reset, as on a dropped link
                    from.close();
                    to.close();
                    return;
                }
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** How many of {@code n} client bytes may pass before an armed cut. */
    private int allowed(int n) {
        while (true) {
            long left = untilCut.get();
            if (left < 0) {
                return n;
            }
            long pass = Math.min(left, n);
            // Disarmed after the cut, so the resume goes through.
            if (untilCut.compareAndSet(left, pass < n ? -1 : left - pass)) {
                return (int) pass;
            }
        }
    }

    private void capture(byte[] buffer, int length) {
        synchronized (sent) {
            if (sent.size() + length <= CAPTURE_LIMIT) {
                sent.write(buffer, 0, length);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed by the other pump
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        pumps.shutdownNow();
    }
}
