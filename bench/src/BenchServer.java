import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
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
 */
public final class BenchServer {
    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: BenchServer WAR UPLOAD_DIR PORT_FILE STATS_FILE");
            System.exit(2);
        }
        Path war = Path.of(args[0]);
        Path uploadDir = Path.of(args[1]);
        Path portFile = Path.of(args[2]);
        Path statsFile = Path.of(args[3]);
        Files.createDirectories(uploadDir);

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
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
        server.setHandler(webapp);
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
}
