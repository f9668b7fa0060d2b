package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.randomBytes;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code GET /files} and {@code GET /files/{id}} over real HTTP: only the owner's own, ranges, headers. */
class FilesServletIT extends ServerTestSupport {
    /** Uploads {@code content} whole as {@code name}; answers the server's id of the completed upload. */
    private String upload(UploadClient client, String name, byte[] content) throws Exception {
        HttpResponse<String> response = client.post(name + "-" + content.length + "-1", 0, content,
                "X-File-Size", Integer.toString(content.length),
                "X-File-Name", URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        UploadClient.assertCompleted(response, content, storage);
        return UploadClient.jsonString(response.body(), "id");
    }

    private static HttpResponse<byte[]> get(UploadClient client, String path, String... headers) {
        HttpRequest.Builder request = client.request(path).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.sendForBytes(request.build());
    }

    private static String text(UploadClient client, String path) {
        return new String(get(client, path).body(), StandardCharsets.UTF_8);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void listHasOnlyTheOwnersCompletedUploads() throws Exception {
        UploadClient alice = new UploadClient(server);
        UploadClient bob = new UploadClient(server);
        byte[] content = randomBytes(1000, 1);
        String aliceId = upload(alice, "alice.txt", content);
        // An unfinished upload of Alice's is not listed.
        UploadClient.assertStored(alice.post("unfinished-1", 0, randomBytes(10, 2), "X-File-Size", "20",
                "X-File-Name", "unfinished.txt"), 10);
        String bobId = upload(bob, "bob.txt", randomBytes(10, 3));

        HttpResponse<byte[]> list = get(alice, "/files");
        String json = new String(list.body(), StandardCharsets.UTF_8);

        assertEquals(200, list.statusCode());
        assertTrue(header(list, "Content-Type").startsWith("application/json"));
        assertEquals("nosniff", header(list, "X-Content-Type-Options"));
        assertTrue(json.startsWith("[{\"id\":\"" + aliceId + "\",\"name\":\"alice.txt\",\"size\":1000,\"sha256\":\""
                + UploadClient.sha256Hex(content) + "\",\"completedAt\":\""), json);
        assertFalse(json.contains("unfinished"), json);
        assertFalse(json.contains(bobId), json);
        String bobs = text(bob, "/files");
        assertTrue(bobs.contains(bobId) && !bobs.contains(aliceId), bobs);
        assertEquals("[]", text(new UploadClient(server), "/files"), "a new owner has nothing");
    }

    @Test
    void downloadIsTheWholeFileAsANosniffAttachment() throws Exception {
        UploadClient owner = new UploadClient(server);
        byte[] content = randomBytes(100_000, 4);
        String id = upload(owner, "whole.bin", content);

        HttpResponse<byte[]> response = get(owner, "/files/" + id);

        assertEquals(200, response.statusCode());
        assertArrayEquals(content, response.body());
        assertEquals("100000", header(response, "Content-Length"));
        assertEquals("application/octet-stream", header(response, "Content-Type"));
        assertEquals("bytes", header(response, "Accept-Ranges"));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
        assertEquals("attachment; filename=\"whole.bin\"; filename*=UTF-8''whole.bin",
                header(response, "Content-Disposition"));
        HttpResponse<byte[]> head = owner.sendForBytes(owner.request("/files/" + id)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals("100000", header(head, "Content-Length"));
        assertEquals(0, head.body().length);
    }

    @Test
    void rangesServeTheAskedBytesWith206() throws Exception {
        UploadClient owner = new UploadClient(server);
        byte[] content = randomBytes(1000, 5);
        String id = upload(owner, "ranges.bin", content);

        HttpResponse<byte[]> first = get(owner, "/files/" + id, "Range", "bytes=0-9");
        assertEquals(206, first.statusCode());
        assertEquals("bytes 0-9/1000", header(first, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(content, 0, 10), first.body());

        HttpResponse<byte[]> suffix = get(owner, "/files/" + id, "Range", "bytes=-5");
        assertEquals(206, suffix.statusCode());
        assertEquals("bytes 995-999/1000", header(suffix, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(content, 995, 1000), suffix.body());

        HttpResponse<byte[]> rest = get(owner, "/files/" + id, "Range", "bytes=10-");
        assertEquals(206, rest.statusCode());
        assertEquals("bytes 10-999/1000", header(rest, "Content-Range"));
        assertEquals("990", header(rest, "Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 10, 1000), rest.body());

        String etag = header(first, "ETag");
        assertEquals(206, get(owner, "/files/" + id, "Range", "bytes=0-9", "If-Range", etag).statusCode());
        HttpResponse<byte[]> changed = get(owner, "/files/" + id, "Range", "bytes=0-9", "If-Range", "\"other\"");
        assertEquals(200, changed.statusCode(), "If-Range that does not match: the whole file");
        assertArrayEquals(content, changed.body());
    }

    @Test
    void rangePastTheEndIs416WithTheSize() throws Exception {
        UploadClient owner = new UploadClient(server);
        String id = upload(owner, "short.bin", randomBytes(100, 6));

        HttpResponse<byte[]> response = get(owner, "/files/" + id, "Range", "bytes=100-");

        assertEquals(416, response.statusCode());
        assertEquals("bytes */100", header(response, "Content-Range"));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
    }

    @Test
    void anotherOwnersFileIsNotFound() throws Exception {
        UploadClient owner = new UploadClient(server);
        String id = upload(owner, "private.bin", randomBytes(50, 7));

        HttpResponse<byte[]> stranger = get(new UploadClient(server), "/files/" + id);

        assertEquals(404, stranger.statusCode());
        assertFalse(new String(stranger.body(), StandardCharsets.UTF_8).contains("private"));
        assertEquals(200, get(owner, "/files/" + id).statusCode(), "the owner still gets it");
    }

    @Test
    void malformedIdsAreNotFound() throws Exception {
        UploadClient owner = new UploadClient(server);
        String id = upload(owner, "real.bin", randomBytes(50, 8));
        for (String bad : new String[] {"nothing", id.toUpperCase(), id + "0", id.substring(1), id + "/real.bin",
                "%20" + id}) {
            assertEquals(404, get(owner, "/files/" + bad).statusCode(), bad);
        }
        // An encoded path separator or NUL never reaches the servlet: Jetty refuses the ambiguous path.
        assertEquals(400, get(owner, "/files/..%2F..%2Fetc%2Fpasswd").statusCode());
        assertEquals(400, get(owner, "/files/%00").statusCode());
    }

    @Test
    void nonAsciiNameIsGivenAsFilenameStarWithAnAsciiFallback() throws Exception {
        UploadClient owner = new UploadClient(server);
        String id = upload(owner, "Grüße aus Köln.txt", "hallo".getBytes(StandardCharsets.UTF_8));

        HttpResponse<byte[]> response = get(owner, "/files/" + id);

        assertEquals("attachment; filename=\"Gr__e aus K_ln.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20aus%20K%C3%B6ln.txt",
                header(response, "Content-Disposition"));
        assertTrue(text(owner, "/files").contains("\"name\":\"Grüße aus Köln.txt\""));
    }
}
