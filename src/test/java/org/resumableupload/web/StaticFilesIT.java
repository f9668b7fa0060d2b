package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The upload page's files, served by the container's default servlet through the application's filter,
 * and the security headers that filter gives every answer of the application.
 */
class StaticFilesIT extends ServerTestSupport {
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/, text/html", "/index.html, text/html", "/uploader.js, javascript", "/app.js, javascript",
            "/style.css, text/css"})
    void pageFilesAreServedWithTheirTypeAndNosniff(String path, String typeContains) {
        UploadClient client = new UploadClient(server);

        HttpResponse<String> response = client.send(client.request(path).GET().build());

        assertEquals(200, response.statusCode(), path);
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.contains(typeContains), () -> path + ": Content-Type " + type);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null),
                "browsers must not guess another type for " + path);
    }

    @ParameterizedTest(name = "{0} {1} answers {2}")
    @CsvSource({"GET, /, 200", "GET, /index.html, 200", "GET, /app.js, 200", "GET, /style.css, 200",
            "GET, /no-such-file.html, 404", "GET, /status, 400", "GET, /files, 200",
            "GET, /files/0000000000000000000000000000000000000000000000000000000000000000, 404",
            "POST, /upload, 400", "DELETE, /upload, 405"})
    void everyAnswerMayBeFramedOnlyByThePageItselfAndRunsOnlyItsOwnFiles(String method, String path, int status) {
        UploadClient client = new UploadClient(server);

        HttpResponse<String> response = client.send(client.request(path)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());

        assertEquals(status, response.statusCode(), path);
        assertEquals("SAMEORIGIN", response.headers().firstValue("X-Frame-Options").orElse(null), path);
        assertEquals(POLICY, response.headers().firstValue("Content-Security-Policy").orElse(null), path);
        assertEquals(1, response.headers().allValues("Content-Security-Policy").size(), "one policy: " + path);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), path);
    }
}
