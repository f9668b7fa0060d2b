package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.web.RawHttp;
import org.resumableupload.web.RawHttp.Response;
import org.resumableupload.web.TestServer;

/**
 * Cross-origin access to /uploads/ for an origin {@code upload.corsOrigins} lists, through the filter
 * the application registers in front of the IETF front end: a preflight naming the draft's request
 * fields is answered, and every upload field an answer carries is exposed to the page (a browser hides
 * the others). Another origin gets nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfCrossOriginIT {
    private static final String APP = "https://app.example";
    private static final String ID = "0".repeat(64);

    @TempDir
    static Path storage;
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(storage, Map.of("upload.corsOrigins", APP + ", http://localhost:5173"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aPreflightForACreationFromAnAllowedOriginIsAnsweredWithTheDraftsRequestFields() throws IOException {
        Response preflight = preflight("/uploads/", APP, "POST",
                "upload-complete, upload-draft-interop-version, upload-length, content-disposition");

        assertAllows(preflight, APP, "POST", List.of("Upload-Complete", "Upload-Draft-Interop-Version",
                "Upload-Length", "Content-Disposition"));
    }

    @Test
    void aPreflightForAnAppendFromAnAllowedOriginIsAnsweredWithTheDraftsRequestFields() throws IOException {
        Response preflight = preflight("/uploads/" + ID, "http://localhost:5173", "PATCH",
                "upload-offset, upload-complete, content-type, upload-draft-interop-version");

        assertAllows(preflight, "http://localhost:5173", "PATCH", List.of("Upload-Offset", "Upload-Complete",
                "Content-Type", "Upload-Draft-Interop-Version"));
        assertTrue(elements(preflight, "Access-Control-Allow-Methods").containsAll(Set.of("head", "get", "delete")),
                preflight::toString);
    }

    @Test
    void everyUploadFieldOfTheCreationAppendCompletionAndRefusalIsExposedToTheAllowedOrigin() throws IOException {
        Response created = finalAnswer("POST", RawHttp.concat(RawHttp.head("POST /uploads/ HTTP/1.1",
                "Host: 127.0.0.1", "Origin: " + APP, "Upload-Complete: ?0", "Upload-Draft-Interop-Version: 9",
                "Upload-Length: 6", "Content-Length: 2", "Connection: close"), bytes("ab")));
        assertEquals(201, created.status(), created::toString);
        String location = created.header("Location").orElseThrow();
        String cookie = "Cookie: " + created.header("Set-Cookie").orElseThrow().split(";")[0];

        Response appended = patch(location, cookie, 2, "?0", "cd");
        assertEquals(204, appended.status(), appended::toString);
        Response refused = patch(location, cookie, 1, "?1", "ef");
        assertEquals(409, refused.status(), refused::toString);
        Response completed = patch(location, cookie, 4, "?1", "ef");
        assertEquals(200, completed.status(), completed::toString);
        assertTrue(completed.header("Repr-Digest").isPresent(), completed::toString);

        Response range = finalAnswer("GET", RawHttp.head("GET " + location + " HTTP/1.1", "Host: 127.0.0.1",
                "Origin: " + APP, cookie, "Range: bytes=1-2", "Connection: close"));
        assertEquals(206, range.status(), range::toString);
        assertTrue(range.header("Content-Range").isPresent() && range.header("ETag").isPresent(), range::toString);

        for (Response answer : List.of(created, appended, refused, completed, range)) {
            assertEquals(APP, answer.header("Access-Control-Allow-Origin").orElse(null), answer::toString);
            assertEquals("true", answer.header("Access-Control-Allow-Credentials").orElse(null), answer::toString);
            Set<String> exposed = elements(answer, "Access-Control-Expose-Headers");
            for (String field : answer.headers().keySet()) {
                String name = field.toLowerCase(Locale.ROOT);
                if (name.startsWith("upload-") || List.of("location", "repr-digest", "retry-after", "content-range",
                        "etag").contains(name)) {
                    assertTrue(exposed.contains(name), () -> field + " is exposed: " + answer);
                }
            }
        }
    }

    @Test
    void aPreflightFromAnotherOriginGetsNoCrossOriginFields() throws IOException {
        Response preflight = preflight("/uploads/", "https://evil.example", "POST", "upload-complete");

        assertTrue(preflight.headers().keySet().stream()
                .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-")), preflight::toString);
        assertEquals("Origin", preflight.header("Vary").orElse(null));
    }

    private static void assertAllows(Response preflight, String origin, String method, List<String> fields) {
        assertEquals(204, preflight.status(), preflight::toString);
        assertEquals(origin, preflight.header("Access-Control-Allow-Origin").orElse(null), preflight::toString);
        assertEquals("true", preflight.header("Access-Control-Allow-Credentials").orElse(null));
        assertTrue(elements(preflight, "Access-Control-Allow-Methods").contains(method.toLowerCase(Locale.ROOT)),
                preflight::toString);
        Set<String> allowed = elements(preflight, "Access-Control-Allow-Headers");
        for (String field : fields) {
            assertTrue(allowed.contains(field.toLowerCase(Locale.ROOT)), () -> field + " allowed: " + preflight);
        }
        assertEquals("86400", preflight.header("Access-Control-Max-Age").orElse(null));
    }

    private Response preflight(String path, String origin, String method, String requestHeaders) throws IOException {
        return finalAnswer("OPTIONS", RawHttp.head("OPTIONS " + path + " HTTP/1.1", "Host: 127.0.0.1",
                "Origin: " + origin, "Access-Control-Request-Method: " + method,
                "Access-Control-Request-Headers: " + requestHeaders, "Connection: close"));
    }

    private Response patch(String location, String cookie, long offset, String complete, String body)
            throws IOException {
        return finalAnswer("PATCH", RawHttp.concat(RawHttp.head("PATCH " + location + " HTTP/1.1",
                "Host: 127.0.0.1", "Origin: " + APP, cookie, "Upload-Draft-Interop-Version: 9",
                "Upload-Offset: " + offset, "Upload-Complete: " + complete, "Content-Type: application/partial-upload",
                "Content-Length: " + body.length(), "Connection: close"), bytes(body)));
    }

    /** The final answer on a connection (after a 104, if one came). */
    private Response finalAnswer(String method, byte[] request) throws IOException {
        List<Response> responses = new ArrayList<>(RawHttp.exchange(server.port(), request, method, 10_000).responses());
        responses.removeIf(response -> response.status() / 100 == 1);
        assertEquals(1, responses.size(), responses::toString);
        return responses.get(0);
    }

    private static Set<String> elements(Response response, String field) {
        Set<String> elements = new TreeSet<>();
        for (String value : response.all(field)) {
            Arrays.stream(value.split(",")).map(e -> e.strip().toLowerCase(Locale.ROOT)).forEach(elements::add);
        }
        return elements;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
