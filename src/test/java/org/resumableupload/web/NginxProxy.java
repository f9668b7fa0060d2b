package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's nginx ({@code /usr/sbin/nginx}) as a reverse proxy in front of the application, run as the
 * current user in the foreground ({@code daemon off}) with a generated configuration whose pid file,
 * logs and temporary files all live under one prefix directory. It listens on two loopback ports, both
 * proxying to {@code upstreamPort}: {@link #buffering()} with nginx's defaults (request buffering on),
 * {@link #streaming()} with {@code proxy_request_buffering off}. Its access log names each request's
 * {@code X-File-Id} and the upstream it was passed to ({@code -}: none).
 */
final class NginxProxy implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/nginx");
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Path prefix;
    private final Process process;
    private final HttpTarget buffering;
    private final HttpTarget streaming;

    private NginxProxy(Path prefix, Process process, int bufferingPort, int streamingPort) {
        this.prefix = prefix;
        this.process = process;
        this.buffering = target(bufferingPort);
        this.streaming = target(streamingPort);
    }

    /** Starts nginx in front of {@code upstreamPort} and waits until both ports answer {@code GET /status}. */
    static NginxProxy start(Path prefix, int upstreamPort) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: apt-get install -y nginx-light");
        }
        for (String dir : List.of("logs", "temp")) {
            Files.createDirectories(prefix.resolve(dir));
        }
        int bufferingPort = Processes.freePort(upstreamPort);
        int streamingPort = Processes.freePort(upstreamPort, bufferingPort);
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config(prefix, upstreamPort, bufferingPort, streamingPort), StandardCharsets.UTF_8);
        Path log = prefix.resolve("logs/stdout.log");
        Process process = Processes.start(Processes.builder(prefix, log, List.of(BINARY.toString(),
                "-p", prefix + "/", "-c", conf.toString(), "-e", prefix.resolve("logs/error.log").toString())));
        NginxProxy nginx = new NginxProxy(prefix, process, bufferingPort, streamingPort);
        try {
            for (HttpTarget port : List.of(nginx.buffering, nginx.streaming)) {
                Processes.awaitStatus(port, "nginx", process::isAlive, nginx::logTail, STARTUP);
            }
        } catch (Throwable e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    private static String config(Path prefix, int upstreamPort, int bufferingPort, int streamingPort)
            throws IOException {
        String upstream = "http://127.0.0.1:" + upstreamPort;
        return String.join("\n",
                isRoot() ? "user root;  # workers keep the current user, who owns the prefix" : "",
                "daemon off;",
                "worker_processes 1;",
                "pid " + prefix.resolve("nginx.pid") + ";",
                "error_log " + prefix.resolve("logs/error.log") + " info;",
                "events { worker_connections 128; }",
                "http {",
                "    log_format upload '$server_port $request_method $uri \"$http_x_file_id\" $status"
                        + " $request_length \"$upstream_addr\"';",
                "    access_log " + prefix.resolve("logs/access.log") + " upload;",
                "    client_body_temp_path " + prefix.resolve("temp/client_body") + ";",
                "    proxy_temp_path " + prefix.resolve("temp/proxy") + ";",
                "    fastcgi_temp_path " + prefix.resolve("temp/fastcgi") + ";",
                "    uwsgi_temp_path " + prefix.resolve("temp/uwsgi") + ";",
                "    scgi_temp_path " + prefix.resolve("temp/scgi") + ";",
                "    client_max_body_size 64m;",
                "    proxy_http_version 1.1;",
                "    server {  # nginx's default: the whole body is read before the request is passed on",
                "        listen 127.0.0.1:" + bufferingPort + ";",
                "        location / { proxy_pass " + upstream + "; }",
                "    }",
                "    server {  # streaming: body bytes are passed on as they arrive",
                "        listen 127.0.0.1:" + streamingPort + ";",
                "        location / { proxy_pass " + upstream + "; proxy_request_buffering off; }",
                "    }",
                "}",
                "");
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static HttpTarget target(int port) {
        return new HttpTarget() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public String toString() {
                return "nginx at 127.0.0.1:" + port;
            }
        };
    }

    /** The port with nginx's default {@code proxy_request_buffering on}. */
    HttpTarget buffering() {
        return buffering;
    }

    /** The port with {@code proxy_request_buffering off}. */
    HttpTarget streaming() {
        return streaming;
    }

    /**
     * Waits until nginx has logged (that is, finished) {@code count} {@code POST /upload} requests for
     * {@code fileId}, and returns their access-log lines: {@code port POST /upload "id" status
     * request_length "upstream"}.
     */
    List<String> awaitUploadsLogged(String fileId, int count) {
        String needle = " POST /upload \"" + fileId + "\" ";
        UploadClient.await("nginx logged " + count + " POST /upload for " + fileId,
                () -> uploadsLogged(needle).size() >= count);
        return uploadsLogged(needle);
    }

    private List<String> uploadsLogged(String needle) {
        try {
            return Files.readAllLines(prefix.resolve("logs/access.log")).stream()
                    .filter(line -> line.contains(needle)).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail() {
        return Processes.tail(prefix.resolve("logs/error.log")) + "\n" + Processes.tail(prefix.resolve("logs/stdout.log"));
    }

    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(10));
    }
}
