import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Starts the built WAR in an embedded Jetty 12 (ee11) the way a plain deployment would: default Jetty
 * connector and thread pool, default application settings except {@code upload.dir}. Not a test and not
 * part of {@code mvn verify}; {@code bench/run} compiles and starts it.
 *
 * <pre>java -cp JETTY_CLASSPATH:bench-classes BenchServer WAR UPLOAD_DIR PORT_FILE STATS_FILE</pre>
 *
 * Writes the bound port to PORT_FILE once serving. Every 100 ms appends one line to STATS_FILE (the
 * bench's only view inside the server, a few microseconds per sample):
 * {@code epochMillis heapUsedBytes heapCommittedBytes threads vmRssKiB} where threads and VmRSS come
 * from /proc/self/status (so they count every JVM thread, GC and JIT included).
 *
 * <p>With a fifth argument {@code probe}, it also serves {@code POST /probe/MODE}: a bare servlet that
 * reads the body with a ReadListener into a 64 KiB byte[] (one write per container read, as the app's
 * BodyReader did before it gathered full buffers), all on the reading thread, and does only part of
 * the app's work, to take the app's per-byte cost apart layer by layer (see {@link Probe}).
 */
public final class BenchServer {
    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 && !(args.length == 5 && args[4].equals("probe"))) {
            System.err.println("usage: BenchServer WAR UPLOAD_DIR PORT_FILE STATS_FILE [probe]");
            System.exit(2);
        }
        Path war = Path.of(args[0]);
        Path uploadDir = Path.of(args[1]);
        Path portFile = Path.of(args[2]);
        Path statsFile = Path.of(args[3]);
        Files.createDirectories(uploadDir);

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        // --jetty-input-buffer: the connection's read buffer (a deployment setting, not the app's).
        Long inputBuffer = Long.getLong("bench.jettyInputBuffer");
        if (inputBuffer != null) {
            connector.getConnectionFactory(HttpConnectionFactory.class).setInputBufferSize(Math.toIntExact(inputBuffer));
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(war.toAbsolutePath().toString());
        Path unpacked = Files.createDirectories(uploadDir.resolveSibling(uploadDir.getFileName() + "-webapp"));
        webapp.setTempDirectory(unpacked.toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        // The one setting the bench gives: where uploads go (the same disk as the baselines).
        webapp.setInitParameter("upload.dir", uploadDir.toAbsolutePath().toString());
        if (args.length == 5) {
            ServletContextHandler probe = new ServletContextHandler("/probe");
            ServletHolder holder = new ServletHolder(new Probe(Files.createDirectories(
                    uploadDir.resolveSibling(uploadDir.getFileName() + "-probe"))));
            holder.setAsyncSupported(true);
            probe.addServlet(holder, "/*");
            server.setHandler(new Handler.Sequence(probe, webapp));
        } else {
            server.setHandler(webapp);
        }
        server.setStopAtShutdown(true);
        server.start();

        Thread sampler = new Thread(() -> sample(statsFile), "bench-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(connector.getLocalPort()));
        Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("BenchServer on 127.0.0.1:" + connector.getLocalPort() + " storing in " + uploadDir);
        server.join();
    }

    private static void sample(Path statsFile) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(statsFile, StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
            while (true) {
                MemoryUsage heap = memory.getHeapMemoryUsage();
                long threads = -1;
                long rssKib = -1;
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("Threads:")) {
                        threads = Long.parseLong(line.substring(8).trim());
                    } else if (line.startsWith("VmRSS:")) {
                        rssKib = Long.parseLong(line.substring(6).replace("kB", "").trim());
                    }
                }
                out.println(System.currentTimeMillis() + " " + heap.getUsed() + " " + heap.getCommitted() + " "
                        + threads + " " + rssKib);
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("bench sampler stopped: " + e);
        }
    }

    /**
     * {@code POST /probe/MODE}: reads the body like the app (non-blocking, 64 KiB byte[]), then per MODE:
     * {@code discard} nothing; {@code sha} SHA-256 only; {@code write} FileChannel.write of each piece;
     * {@code write-sha} both; {@code write-sha-force} both and {@code force(false)} every 64 MiB and at
     * the end (the app's data forces, without its record files). Prefixed {@code batched-}, each piece is
 * gathered into the whole 64 KiB buffer first (Jetty hands the body over in pieces of its 8 KiB input
 * buffer). Answers 200 with the byte count.
     */
    static final class Probe extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Path dir;
        private final AtomicLong counter = new AtomicLong();

        Probe(Path dir) {
            this.dir = dir;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getPathInfo() == null ? "/discard" : request.getPathInfo();
            boolean batched = path.startsWith("/batched-");
            String mode = batched ? path.substring("/batched-".length()) : path.substring(1);
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            ServletInputStream in = request.getInputStream();
            boolean write = mode.startsWith("write");
            FileChannel file = write ? FileChannel.open(dir.resolve("probe-" + counter.incrementAndGet()),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING) : null;
            MessageDigest sha;
            try {
                sha = mode.contains("sha") ? MessageDigest.getInstance("SHA-256") : null;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            boolean force = mode.endsWith("force");
            in.setReadListener(new ReadListener() {
                final byte[] buffer = new byte[64 * 1024];
                long total;
                long forced;
                int filled;

                @Override
                public void onDataAvailable() throws IOException {
                    while (in.isReady()) {
                        int n = in.read(buffer, filled, buffer.length - filled);
                        if (n < 0) {
                            return;
                        }
                        filled += n;
                        // batched: gather a full buffer (or all that is ready) before writing it.
                        if (!batched || filled == buffer.length || !in.isReady()) {
                            consume();
                        }
                    }
                }

                void consume() throws IOException {
                    if (file != null) {
                        file.write(ByteBuffer.wrap(buffer, 0, filled));
                    }
                    if (sha != null) {
                        sha.update(buffer, 0, filled);
                    }
                    total += filled;
                    filled = 0;
                    if (force && total - forced >= (64L << 20)) {
                        file.force(false);
                        forced = total;
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    if (filled > 0) {
                        consume();
                    }
                    if (file != null) {
                        if (force) {
                            file.force(false);
                        }
                        file.close();
                    }
                    if (sha != null) {
                        sha.digest();
                    }
                    byte[] body = (total + "\n").getBytes(StandardCharsets.US_ASCII);
                    HttpServletResponse r = (HttpServletResponse) async.getResponse();
                    r.setContentType("text/plain");
                    r.setContentLength(body.length);
                    r.getOutputStream().write(body);
                    async.complete();
                }

                @Override
                public void onError(Throwable t) {
                    try {
                        if (file != null) {
                            file.close();
                        }
                    } catch (IOException ignored) {
                        // closing
                    }
                    async.complete();
                }
            });
        }
    }
}
