package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Base64;
import static org.resumableupload.web.UploadClient.sha256Hex;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application behind Debian's nginx ({@link NginxProxy}). With nginx's default request buffering
 * the application only ever sees whole bodies: the article's single-request upload, cut mid-body, leaves
 * nothing stored and restarts from 0 every time, while the page's chunked upload loses at most the chunk
 * in flight and resumes. With {@code proxy_request_buffering off} a cut single request keeps what
 * arrived. The page's requests are sent by a plain HTTP client with the headers its
 * {@code uploader.js} sends; no browser is needed to show this.
 */
@Timeout(60)
class NginxProxyIT {
    private static final int CHUNK = 256 * 1024;

    @TempDir
    static Path storage;
    @TempDir
    static Path nginxPrefix;
    static TestServer server;
    static NginxProxy nginx;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(storage);
        nginx = NginxProxy.start(nginxPrefix, server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (nginx != null) {
                nginx.close();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void singleRequestCutMidBodyBehindABufferingProxyStoresNothingSoItCanNeverResume() throws Exception {
        UploadClient client = new UploadClient(nginx.buffering());
        byte[] file = randomBytes(2_000_000, 60);
        String fileId = "buffered.bin-2000000-1700000000000";

        client.postAndCut(fileId, file, 0, 1_200_000);
        String cut = nginx.awaitUploadsLogged(fileId, 1).get(0);
        assertTrue(cut.endsWith("\"-\""), () -> "nginx never passed the cut request on: " + cut);
        assertTrue(requestLength(cut) > 1_200_000, () -> "nginx had read the bytes sent: " + cut);
        assertEquals(0, client.offset(fileId), "the application stored nothing of the 1200000 bytes sent");
        assertFalse(Files.exists(client.partData(storage, fileId)), "no part file");

        // The article's client asks status (0) and sends the whole file again; cut again, still nothing.
        client.postAndCut(fileId, file, 0, 1_900_000);
        nginx.awaitUploadsLogged(fileId, 2);
        assertEquals(0, client.offset(fileId), "every attempt starts from 0 again");

        // Only a body that arrives whole at nginx reaches the application.
        assertCompleted(client.post(fileId, 0, file), file, storage);
    }

    @Test
    void chunkedUploadCutMidChunkBehindABufferingProxyResumesFromTheLastConfirmedChunk() throws Exception {
        UploadClient client = new UploadClient(nginx.buffering());
        byte[] file = randomBytes(5 * CHUNK + 12_345, 61);
        String fileId = "chunked-through-nginx.bin";

        assertStored(postChunk(client, fileId, file, 0), CHUNK);
        assertStored(postChunk(client, fileId, file, CHUNK), 2 * CHUNK);

        // The third chunk is cut half-way; nginx drops it, the two confirmed chunks are stored.
        int from = 2 * CHUNK;
        try (UploadClient.RawConnection raw = client.rawPost(pageHeaders(fileId, file, from, from + CHUNK,
                "Content-Length", Integer.toString(CHUNK)))) {
            raw.send(file, from, CHUNK / 2);
        }
        List<String> posts = nginx.awaitUploadsLogged(fileId, 3);
        assertTrue(posts.get(2).endsWith("\"-\""), () -> "the cut chunk never reached the application: " + posts);
        assertEquals(2 * CHUNK, client.offset(fileId), "status: the last confirmed chunk");
        Path part = client.partData(storage, fileId);
        assertEquals(sha256Hex(Arrays.copyOf(file, 2 * CHUNK)), sha256Hex(part), "the confirmed chunks, exactly");

        // The page resumes from status, chunk by chunk.
        long offset = client.offset(fileId);
        HttpResponse<String> answer = null;
        while (offset < file.length) {
            answer = postChunk(client, fileId, file, (int) offset);
            offset = Math.min(offset + CHUNK, file.length);
            if (offset < file.length) {
                assertStored(answer, offset);
            }
        }
        assertCompleted(answer, file, storage);
    }

    @Test
    void singleRequestCutMidBodyBehindAStreamingProxyKeepsWhatArrived() throws Exception {
        UploadClient client = new UploadClient(nginx.streaming());
        byte[] file = randomBytes(2_000_000, 62);
        String fileId = "streamed.bin-2000000-1700000000000";
        int cut = 1_200_000;

        client.postAndCut(fileId, file, 0, cut);
        String logged = nginx.awaitUploadsLogged(fileId, 1).get(0);
        assertFalse(logged.endsWith("\"-\""), () -> "nginx passed the body on as it arrived: " + logged);
        await("the application stored bytes of the cut body", () -> client.offset(fileId) > 0);
        long stored = client.offset(fileId);
        assertTrue(stored <= cut, "no more than was sent: " + stored);
        assertEquals(sha256Hex(Arrays.copyOf(file, (int) stored)), sha256Hex(client.partData(storage, fileId)),
                "the stored prefix is exactly the first bytes sent");

        // The article's client resumes from status through the same proxy.
        assertCompleted(client.postRange(fileId, file, (int) stored, file.length), file, storage);
    }

    /** One chunk {@code [from, from + CHUNK)} as the page's uploader.js sends it. */
    private static HttpResponse<String> postChunk(UploadClient client, String fileId, byte[] file, int from) {
        int to = Math.min(from + CHUNK, file.length);
        String[] headers = pageHeaders(fileId, file, from, to);
        // post() adds X-File-Id and X-Start-Byte itself
        return client.postRange(fileId, file, from, to, Arrays.copyOfRange(headers, 4, headers.length));
    }

    /** The headers uploader.js sends with the chunk {@code [from, to)}, then {@code more}. */
    private static String[] pageHeaders(String fileId, byte[] file, int from, int to, String... more) {
        List<String> headers = new ArrayList<>(List.of(
                "X-File-Id", fileId,
                "X-Start-Byte", Integer.toString(from),
                "X-File-Size", Integer.toString(file.length),
                "X-File-Name", "through%20nginx.bin",
                "Content-Digest", "sha-256=:" + sha256Base64(Arrays.copyOfRange(file, from, to)) + ":"));
        headers.addAll(List.of(more));
        return headers.toArray(String[]::new);
    }

    /** The {@code $request_length} field of an access-log line. */
    private static long requestLength(String line) {
        String[] fields = line.split(" ");
        return Long.parseLong(fields[fields.length - 2]);
    }
}
