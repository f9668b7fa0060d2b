package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.jsonString;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Hex;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.support.S3ProxyServer;

/**
 * The webapp with {@code upload.store=s3} (S3Proxy in this JVM): an article-protocol upload of several
 * parts is cut, resumed after a restart of the node from what S3 holds, and downloaded byte-identical.
 */
@Timeout(120)
class S3StoreIT {
    @Test
    void anUploadCutAndResumedAfterARestartIsStoredInS3AndDownloadsByteIdentical(@TempDir Path dir) throws Exception {
        byte[] file = randomBytes(12 * 1024 * 1024 + 5, 41);
        String fileId = "film.mkv-" + file.length + "-1700000000000";
        int cut = 6 * 1024 * 1024 + 3;
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
            var settings = s3.nodeSettings("node/");
            settings.put("upload.s3.partSize", "5M");
            UploadClient client;
            try (TestServer node = TestServer.start(dir.resolve("unused"), settings)) {
                client = new UploadClient(node);
                client.postAndCut(fileId, file, 0, cut);
                await("the bytes that arrived are reported", () -> client.offset(fileId) == cut);
            }
            try (TestServer restarted = TestServer.start(dir.resolve("unused"), settings)) {
                client.use(restarted);
                assertEquals(cut, client.offset(fileId), "the offset is what S3 holds, read by a fresh node");

                HttpResponse<String> done = client.postRange(fileId, file, cut, file.length);

                assertEquals(200, done.statusCode(), done::body);
                assertEquals(sha256Hex(file), jsonString(done.body(), "sha256"));
                HttpResponse<byte[]> download = client.sendForBytes(
                        client.request("/files/" + jsonString(done.body(), "id")).GET().build());
                assertEquals(200, download.statusCode());
                assertArrayEquals(file, download.body());
            }
        }
    }

    @Test
    void withRedirectedDownloadsAFileIsFetchedFromS3ThroughAPresignedUrl(@TempDir Path dir) throws Exception {
        byte[] file = randomBytes(300_001, 42);
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
            var settings = s3.nodeSettings("redirect/");
            settings.put("upload.s3.redirectDownloads", "true");
            try (TestServer node = TestServer.start(dir.resolve("unused"), settings)) {
                UploadClient client = new UploadClient(node);
                HttpResponse<String> done = client.post("notes.txt-" + file.length + "-1", 0, file);
                assertEquals(200, done.statusCode(), done::body);

                HttpResponse<byte[]> redirect = client.sendForBytes(
                        client.request("/files/" + jsonString(done.body(), "id")).GET().build());

                assertEquals(302, redirect.statusCode());
                java.net.URI location = java.net.URI.create(redirect.headers().firstValue("Location").orElseThrow());
                assertEquals(s3.endpoint().getPort(), location.getPort(), "the bytes come from S3, not the node");
                HttpResponse<byte[]> fromS3 = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, fromS3.statusCode());
                assertArrayEquals(file, fromS3.body());
                assertEquals("attachment; filename*=UTF-8''notes.txt",
                        fromS3.headers().firstValue("Content-Disposition").orElseThrow());
            }
        }
    }
}
