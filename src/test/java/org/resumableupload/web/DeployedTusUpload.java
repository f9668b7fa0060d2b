package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A tus 1.0.0 upload against one {@link Deployment}: a creation with {@code Upload-Metadata}, a PATCH
 * of the first part, the container restarted, HEAD (offset durable, length and metadata as created),
 * a PATCH of the rest, the bytes downloaded whole; another owner's HEAD of the URL is 404.
 */
final class DeployedTusUpload {

    private DeployedTusUpload() {
    }

    /** Uploads {@code file} in two PATCHes, the first of {@code firstPart} bytes, the container restarted between. */
    static void uploadInTwoPatchesAcrossARestart(Deployment deployment, byte[] file, int firstPart) throws Exception {
        UploadClient client = new UploadClient(deployment);
        client.status("tus-first-contact"); // issues the owner cookie
        String metadata = "filename "
                + Base64.getEncoder().encodeToString("tus ☕.bin".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = client.send(client.request("/tus/").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Integer.toString(file.length)).header("Upload-Metadata", metadata)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created::body);
        assertEquals("1.0.0", created.headers().firstValue("Tus-Resumable").orElseThrow());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/tus/"), location);

        assertEquals(204, tusPatch(client, location, 0, Arrays.copyOfRange(file, 0, firstPart)).statusCode());
        deployment.restart(); // the same owner cookie, a new container process on the same directory
        HttpResponse<String> head = client.send(client.request(location).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals(Integer.toString(firstPart), head.headers().firstValue("Upload-Offset").orElseThrow(),
                "durable across the restart");
        assertEquals(Integer.toString(file.length), head.headers().firstValue("Upload-Length").orElseThrow());
        assertEquals(metadata, head.headers().firstValue("Upload-Metadata").orElseThrow(), "metadata as created");
        assertEquals("no-store", head.headers().firstValue("Cache-Control").orElseThrow());

        HttpResponse<String> last = tusPatch(client, location, firstPart,
                Arrays.copyOfRange(file, firstPart, file.length));
        assertEquals(204, last.statusCode(), last::body);
        assertEquals(Integer.toString(file.length), last.headers().firstValue("Upload-Offset").orElseThrow());
        HttpResponse<byte[]> download = client.sendForBytes(client.request(location).GET().build());
        assertEquals(200, download.statusCode());
        assertArrayEquals(file, download.body());

        UploadClient stranger = new UploadClient(deployment);
        HttpResponse<String> strangersHead = stranger.send(stranger.request(location).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(404, strangersHead.statusCode(), "an upload URL alone gives nobody else access");
    }

    private static HttpResponse<String> tusPatch(UploadClient client, String location, long offset, byte[] body) {
        return client.send(client.request(location).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
