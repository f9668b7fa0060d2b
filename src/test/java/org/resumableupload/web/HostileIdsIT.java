package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.randomBytes;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client ids and names never become paths: whatever X-File-Id and X-File-Name say, nothing is created
 * outside the storage directory, every stored file has a server-made name, and no answer is a 5xx.
 */
@Timeout(60)
class HostileIdsIT {

    @TempDir
    static Path base;
    static Path storage;
    static TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        // ../../x from the storage directory still lands inside base, where the walk below looks.
        storage = Files.createDirectories(base.resolve("a").resolve("b").resolve("storage"));
        server = TestServer.start(storage);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @AfterEach
    void nothingOutsideTheStorageDirectoryAndOnlyServerMadeNames() throws IOException {
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path path : walk.toList()) {
                if (path.equals(base) || storage.startsWith(path)) {
                    continue; // base, a, a/b and the storage directory itself
                }
                assertTrue(path.startsWith(storage), () -> "created outside the storage directory: " + path);
                assertStoreLayout(storage, storage.relativize(path));
            }
        }
        assertFalse(Files.exists(Path.of("x")), "nothing created in the working directory");
    }

    private static void assertStoreLayout(Path storage, Path relative) {
        String problem = StoredFiles.layoutProblem(relative, Files.isDirectory(storage.resolve(relative)));
        assertNull(problem, problem);
    }

    @ParameterizedTest(name = "X-File-Id \"{0}\"")
    @ValueSource(strings = {"../../x", "/", "..", ".", "C:\\x", "../../../../../../../../etc/passwd",
            "a/../../../x", "..\\..\\x", "%2e%2e%2f%2e%2e%2fx", "/dev/null", "parts", "../completed",
            "x.record", "..record-10-1", "CON", "NUL.txt", "a\tb", " leading-and-trailing ",
            "<script>alert(1)</script>", "\"quoted\\\"", "~", "*", "$(rm -rf x)"})
    void hostileIdUploadsInsideTheStoreAndNeverGetsA5xx(String fileId) throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(10, fileId.hashCode());

        HttpResponse<String> status = client.status(fileId);
        assertEquals(200, status.statusCode(), status::body);
        assertEquals("0", status.body());

        assertCompleted(client.post(fileId, 0, file), file, storage);
        assertEquals(10, client.offset(fileId));
    }

    @ParameterizedTest(name = "X-File-Name \"{0}\"")
    @ValueSource(strings = {"..%2F..%2Fx", "%2e%2e", "..", "%2F", "C%3A%5Cx", "%00", "a%0D%0Ab", ".hidden",
            "x.tmp", "aux", "%E2%80%AEtxt.exe", "%F0%9F%98%80.png", "%D1%84%D0%BE%D1%82%D0%BE.jpg"})
    void hostileFileNameIsSanitized(String name) throws Exception {
        UploadClient client = new UploadClient(server);
        byte[] file = randomBytes(10, name.hashCode());
        assertCompleted(client.post("named-" + name, 0, file, "X-File-Name", name), file, storage);
    }

    @ParameterizedTest(name = "X-File-Name \"{0}\"")
    @ValueSource(strings = {"%", "%zz", "%C3", "%FF%FE", "%C0%AF"})
    void malformedFileNameGets400(String name) throws Exception {
        UploadClient client = new UploadClient(server);
        UploadClient.Reply response = client.postRaw("bad-name", 0, new byte[10], "X-File-Name", name);
        assertEquals(400, response.status(), response::toString);
        assertEquals(0, client.offset("bad-name"));
    }

    @Test
    void fileNameSentAsRawUtf8InsteadOfPercentEncodedGets400() throws Exception {
        UploadClient client = new UploadClient(server);
        UploadClient.Reply response;
        try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", "raw-name", "X-Start-Byte", "0",
                "X-File-Name", "фото.jpg", "Content-Length", "3", "Connection", "close")) {
            response = raw.send(new byte[3], 0, 3).response(UploadClient.TIMEOUT);
        }
        assertEquals(400, response.status(), response::toString);
        assertTrue(response.body().contains("X-File-Name"), response.body());
        assertEquals(0, client.offset("raw-name"));
    }

    @Test
    void idsUpToTheLimitAreAcceptedAndLongerOnesGet400() throws Exception {
        UploadClient client = new UploadClient(server);
        String longest = "x".repeat(4096);
        byte[] file = randomBytes(10, 70);
        assertCompleted(client.post(longest, 0, file), file, storage);

        String tooLong = "y".repeat(4097);
        HttpResponse<String> status = client.status(tooLong);
        assertEquals(400, status.statusCode());
        assertTrue(status.body().contains("X-File-Id is longer than 4096"), status.body());
        UploadClient.Reply post = client.postRaw(tooLong, 0, file);
        assertEquals(400, post.status());
        assertTrue(post.body().contains("X-File-Id is longer than 4096"), post.body());
    }

    @Test
    void tenKilobyteIdIsRefusedWithA4xx() throws Exception {
        UploadClient client = new UploadClient(server);
        String huge = "../".repeat(10 * 1024 / 3);
        // Jetty refuses request headers over 8 KB (431) before the application sees them; with a larger
        // header limit the application answers 400 (id too long). Either way a 4xx, never a 5xx.
        for (UploadClient.Reply response : List.of(UploadClient.Reply.of(client.status(huge)),
                client.postRaw(huge, 0, new byte[10]),
                client.postRaw("ten-kb-name", 0, new byte[10], "X-File-Name", huge))) {
            assertTrue(response.status() == 400 || response.status() == 431, () -> "answered " + response);
        }
    }

    @Test
    void nonAsciiIdSentAsRawUtf8BytesWorksLikeAnyOtherId() throws Exception {
        UploadClient client = new UploadClient(server);
        String fileId = "фото отпуска 日本.jpg-10-1700000000000";
        byte[] file = randomBytes(10, 71);

        UploadClient.Reply first = rawStatus(client, fileId);
        assertEquals(200, first.status(), first::toString);
        assertEquals("0", first.body());

        UploadClient.Reply done;
        try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Content-Length", "10", "Connection", "close")) {
            done = raw.send(file, 0, file.length).response(UploadClient.TIMEOUT);
        }
        assertEquals(200, done.status(), done::toString);
        String id = UploadClient.jsonString(done.body(), "id");
        Path completed = UploadClient.completedFile(storage, id);
        // Header bytes are ISO-8859-1 to the container, so the name is mojibake, but sanitized and kept.
        assertTrue(completed.getFileName().toString().endsWith(".jpg"), completed::toString);
        assertEquals(UploadClient.sha256Hex(file), UploadClient.sha256Hex(completed));

        UploadClient.Reply after = rawStatus(client, fileId);
        assertEquals("10", after.body(), "the same raw bytes name the same upload");
        // The percent-encoded spelling is another id (ids are opaque strings), so it is unknown.
        assertEquals(0, client.offset("%D1%84%D0%BE%D1%82%D0%BE%20%D0%BE%D1%82%D0%BF%D1%83%D1%81%D0%BA%D0%B0.jpg-10-1"));
    }

    @Test
    void latin1IdAsABrowserSendsItKeepsItsAccentsInTheName() throws Exception {
        UploadClient client = new UploadClient(server);
        // XMLHttpRequest sends a header value's characters up to U+00FF as single bytes.
        String fileId = "résumé café.pdf-3-1700000000000";
        UploadClient.Reply done;
        try (UploadClient.RawConnection raw = client.rawRequest(StandardCharsets.ISO_8859_1, "POST", "/upload",
                "X-File-Id", fileId, "X-Start-Byte", "0", "Content-Length", "3", "Connection", "close")) {
            done = raw.send("abc".getBytes(StandardCharsets.US_ASCII), 0, 3).response(UploadClient.TIMEOUT);
        }
        assertEquals(200, done.status(), done::toString);
        assertEquals("résumé café.pdf", UploadClient.jsonString(done.body(), "name"));
        Path completed = UploadClient.completedFile(storage, UploadClient.jsonString(done.body(), "id"));
        assertEquals("résumé café.pdf", completed.getFileName().toString());
        assertEquals("abc", Files.readString(completed));
    }

    @ParameterizedTest(name = "raw X-File-Id byte {0}")
    @ValueSource(ints = {0, 1, 8, 11, 12, 27, 31, 127, 0xFF})
    void controlCharactersInARawIdNeverGetA5xx(int controlByte) throws Exception {
        UploadClient client = new UploadClient(server);
        String fileId = "ctl" + (char) controlByte + "id";
        UploadClient.Reply status = rawStatus(client, fileId);
        assertTrue(status.status() == -1 || (status.status() >= 200 && status.status() < 500),
                () -> "status answered " + status.status());
        UploadClient.Reply post;
        try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Content-Length", "3", "Connection", "close")) {
            post = raw.send("abc".getBytes(StandardCharsets.US_ASCII), 0, 3).response(UploadClient.TIMEOUT);
        }
        assertTrue(post.status() == -1 || (post.status() >= 200 && post.status() < 500),
                () -> "upload answered " + post.status());
    }

    @Test
    void emptyOrBlankIdGets400() {
        UploadClient client = new UploadClient(server);
        for (String blank : List.of("", " ", "\t")) {
            HttpResponse<String> status = client.send(client.request("/status").header("X-File-Id", blank).build());
            assertEquals(400, status.statusCode(), () -> "status with id '" + blank + "'");
            HttpResponse<String> post = client.send(client.request("/upload").header("X-File-Id", blank)
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(400, post.statusCode(), () -> "upload with id '" + blank + "'");
        }
    }

    private static UploadClient.Reply rawStatus(UploadClient client, String fileId) throws IOException {
        try (UploadClient.RawConnection raw = client.rawRequest("GET", "/status", "X-File-Id", fileId,
                "Connection", "close")) {
            return raw.response(UploadClient.TIMEOUT);
        }
    }
}
