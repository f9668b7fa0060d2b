package org.resumableupload.web.tus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resumableupload.web.TestServer;

/**
 * The tus server the client ITs upload to: the webapp's {@code /tus/} in an embedded Jetty
 * ({@link TestServer}) on a new storage directory, or, when the system property {@value #ENDPOINT}
 * names a creation URL, that server instead. The second form checks the harness itself against another
 * implementation (see {@code src/test/resources/tus-js/README.md}); the suite never sets it.
 */
final class TusServerUnderTest implements AutoCloseable {
    /** System property: the creation URL of another tus server to run the same client tests against. */
    static final String ENDPOINT = "tus.endpoint";
    private static final Pattern OWNER_COOKIE = Pattern.compile("^upload-owner=([^;]+)");

    private final TestServer webapp;
    private final URI creationUrl;

    private TusServerUnderTest(TestServer webapp, URI creationUrl) {
        this.webapp = webapp;
        this.creationUrl = creationUrl;
    }

    /** The server named by {@value #ENDPOINT}, else the webapp started on {@code storageDir}. */
    static TusServerUnderTest start(Path storageDir) throws Exception {
        String endpoint = System.getProperty(ENDPOINT, "");
        if (!endpoint.isBlank()) {
            return new TusServerUnderTest(null, URI.create(endpoint));
        }
        TestServer server = TestServer.start(storageDir);
        return new TusServerUnderTest(server, URI.create("http://127.0.0.1:" + server.port() + "/tus/"));
    }

    /** Where uploads are created ({@code POST}). */
    URI creationUrl() {
        return creationUrl;
    }

    /** A URI on the same host and port as the creation URL (a relay in front of it keeps the path). */
    URI resolve(String path) {
        return creationUrl.resolve(path);
    }

    /**
     * The headers that make one new owner: on the webapp the {@code upload-owner} cookie it issues on a
     * first request (every client request must carry it, or it is somebody else's); elsewhere none.
     */
    Map<String, String> newOwner() {
        if (webapp == null) {
            return Map.of();
        }
        HttpRequest first = HttpRequest.newBuilder(resolve("/files")).timeout(TusHttp.TIMEOUT).GET().build();
        try {
            HttpResponse<Void> answer = HttpClient.newHttpClient().send(first, HttpResponse.BodyHandlers.discarding());
            Optional<String> token = answer.headers().allValues("Set-Cookie").stream().map(OWNER_COOKIE::matcher)
                    .filter(Matcher::find).map(m -> m.group(1)).findFirst();
            return Map.of("Cookie", "upload-owner=" + token.orElseThrow(
                    () -> new AssertionError("GET /files issued no owner cookie: " + answer.headers())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The webapp's list of an owner's completed uploads; other servers have none (AssertionError). */
    URI completedUploadsList() {
        if (webapp == null) {
            throw new AssertionError("GET /files is the webapp's; " + creationUrl + " has no such list");
        }
        return resolve("/files");
    }

    @Override
    public void close() throws Exception {
        if (webapp != null) {
            webapp.close();
        }
    }
}
