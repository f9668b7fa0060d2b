package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /files} and {@code GET /files/{id}} over real HTTP: only the owner's own, ranges, headers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilesServletIT {
    private TestServer server;

    @BeforeAll
    void start(@TempDir Path storage) throws Exception {
        server = TestServer.start(storage);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void listHasOnlyTheOwnersCompletedUploads() throws Exception {
        HttpTestClient alice = new HttpTestClient(server);
        HttpTestClient bob = new HttpTestClient(server);
        byte[] content = bytes(1000);
        String aliceId = alice.upload("alice.txt", content);
        // An unfinished upload of Alice's is not listed.
        assertEquals(204, alice.post("unfinished-1", 0, bytes(10), "X-File-Size", "20", "X-File-Name", "unfinished.txt")
                .statusCode());
        String bobId = bob.upload("bob.txt", bytes(10));

        HttpResponse<byte[]> list = alice.get("/files");
        String json = new String(list.body(), StandardCharsets.UTF_8);

        assertEquals(200, list.statusCode());
        assertTrue(list.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("nosniff", list.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertTrue(json.startsWith("[{\"id\":\"" + aliceId + "\",\"name\":\"alice.txt\",\"size\":1000,\"sha256\":\""
                + HexFormat.of().formatHex(HttpTestClient.sha256(content)) + "\",\"completedAt\":\""), json);
        assertFalse(json.contains("unfinished"), json);
        assertFalse(json.contains(bobId), json);
        String bobs = bob.getText("/files");
        assertTrue(bobs.contains(bobId) && !bobs.contains(aliceId), bobs);
        assertEquals("[]", new HttpTestClient(server).getText("/files"), "a new owner has nothing");
    }

    @Test
    void downloadIsTheWholeFileAsANosniffAttachment() throws Exception {
        HttpTestClient owner = new HttpTestClient(server);
        byte[] content = bytes(100_000);
        String id = owner.upload("whole.bin", content);

        HttpResponse<byte[]> response = owner.get("/files/" + id);

        assertEquals(200, response.statusCode());
        assertArrayEquals(content, response.body());
        assertEquals("100000", response.headers().firstValue("Content-Length").orElse(null));
        assertEquals("application/octet-stream", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("bytes", response.headers().firstValue("Accept-Ranges").orElse(null));
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("attachment; filename=\"whole.bin\"; filename*=UTF-8''whole.bin",
                response.headers().firstValue("Content-Disposition").orElse(null));
        HttpResponse<byte[]> head = owner.head("/files/" + id);
        assertEquals(200, head.statusCode());
        assertEquals("100000", head.headers().firstValue("Content-Length").orElse(null));
        assertEquals(0, head.body().length);
    }

    @Test
    void rangesServeTheAskedBytesWith206() throws Exception {
        HttpTestClient owner = new HttpTestClient(server);
        byte[] content = bytes(1000);
        String id = owner.upload("ranges.bin", content);

        HttpResponse<byte[]> first = owner.get("/files/" + id, "Range", "bytes=0-9");
        assertEquals(206, first.statusCode());
        assertEquals("bytes 0-9/1000", first.headers().firstValue("Content-Range").orElse(null));
        assertArrayEquals(Arrays.copyOfRange(content, 0, 10), first.body());

        HttpResponse<byte[]> suffix = owner.get("/files/" + id, "Range", "bytes=-5");
        assertEquals(206, suffix.statusCode());
        assertEquals("bytes 995-999/1000", suffix.headers().firstValue("Content-Range").orElse(null));
        assertArrayEquals(Arrays.copyOfRange(content, 995, 1000), suffix.body());

        HttpResponse<byte[]> rest = owner.get("/files/" + id, "Range", "bytes=10-");
        assertEquals(206, rest.statusCode());
        assertEquals("bytes 10-999/1000", rest.headers().firstValue("Content-Range").orElse(null));
        assertEquals("990", rest.headers().firstValue("Content-Length").orElse(null));
        assertArrayEquals(Arrays.copyOfRange(content, 10, 1000), rest.body());

        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals(206, owner.get("/files/" + id, "Range", "bytes=0-9", "If-Range", etag).statusCode());
        HttpResponse<byte[]> changed = owner.get("/files/" + id, "Range", "bytes=0-9", "If-Range", "\"other\"");
        assertEquals(200, changed.statusCode(), "If-Range that does not match: the whole file");
        assertArrayEquals(content, changed.body());
    }

    @Test
    void rangePastTheEndIs416WithTheSize() throws Exception {
        HttpTestClient owner = new HttpTestClient(server);
        String id = owner.upload("short.bin", bytes(100));

        HttpResponse<byte[]> response = owner.get("/files/" + id, "Range", "bytes=100-");

        assertEquals(416, response.statusCode());
        assertEquals("bytes */100", response.headers().firstValue("Content-Range").orElse(null));
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
    }

    @Test
    void anotherOwnersFileIsNotFound() throws Exception {
        HttpTestClient owner = new HttpTestClient(server);
        String id = owner.upload("private.bin", bytes(50));

        HttpResponse<byte[]> stranger = new HttpTestClient(server).get("/files/" + id);

        assertEquals(404, stranger.statusCode());
        assertFalse(new String(stranger.body(), StandardCharsets.UTF_8).contains("private"));
        assertEquals(200, owner.get("/files/" + id).statusCode(), "the owner still gets it");
    }

    @Test
    void malformedIdsAreNotFound() throws Exception {
        HttpTestClient owner = new HttpTestClient(server);
        String id = owner.upload("real.bin", bytes(50));
        for (String bad : new String[] {"nothing", id.toUpperCase(), id + "0", id.substring(1), id + "/real.bin",
                "%20" + id}) {
            assertEquals(404, owner.get("/files/" + bad).statusCode(), bad);
        }
        // An encoded path separator or NUL never reaches the servlet: Jetty refuses the ambiguous path.
        assertEquals(400, owner.get("/files/..%2F..%2Fetc%2Fpasswd").statusCode());
        assertEquals(400, owner.get("/files/%00").statusCode());
    }

    @Test
    void nonAsciiNameIsGivenAsFilenameStarWithAnAsciiFallback() throws Exception {
        HttpTestClient owner = new HttpTestClient(server);
        String id = owner.upload("Grüße aus Köln.txt", "hallo".getBytes(StandardCharsets.UTF_8));

        HttpResponse<byte[]> response = owner.get("/files/" + id);

        assertEquals("attachment; filename=\"Gr__e aus K_ln.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20aus%20K%C3%B6ln.txt",
                response.headers().firstValue("Content-Disposition").orElse(null));
        assertTrue(owner.getText("/files").contains("\"name\":\"Grüße aus Köln.txt\""));
    }
}
