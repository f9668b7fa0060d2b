package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusURLStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * tus-java-client 0.5.1 uploads to the webapp's {@code /tus/} over the JDK's {@code HttpURLConnection},
 * which cannot send PATCH: every append goes as POST with {@code X-HTTP-Method-Override: PATCH}
 * (and {@code Expect: 100-continue}, chunked). A relay in front of the server reads what went over the
 * wire and cuts a request mid-body for the resume.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TusJavaClientIT {
    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 5 * MIB;
    /** A request line and its headers (the leading CRLF kept so every header starts with one). */
    private static final Pattern REQUEST_HEAD = Pattern.compile(
            "(?m)^([A-Z]+) (\\S+) HTTP/1\\.1((?:\r\n[^\r\n]+)*\r\n)\r\n");

    private TusServerUnderTest server;
    @TempDir
    Path dir;

    @BeforeAll
    void start(@TempDir Path storage) throws Exception {
        server = TusServerUnderTest.start(storage);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static TusClient client(URI creationUrl, Map<String, String> owner, TusURLStore urls) throws IOException {
        TusClient client = new TusClient();
        client.setUploadCreationURL(creationUrl.toURL());
        client.setHeaders(owner);
        client.enableResuming(urls);
        return client;
    }

    private static TusUploader uploader(TusClient client, Path file) throws Exception {
        TusUploader uploader = client.resumeOrCreateUpload(new TusUpload(file.toFile()));
        uploader.setRequestPayloadSize(MIB);
        uploader.setChunkSize(64 * 1024);
        return uploader;
    }

    private static void uploadToTheEnd(TusUploader uploader) throws Exception {
        while (uploader.uploadChunk() > -1) {
            // each call sends one 64 KiB piece; a request ends after 1 MiB
        }
        uploader.finish();
    }

    @Test
    void uploadsInOneMebibyteRequestsSentAsPostWithMethodOverride() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("chunks.bin"), SIZE, 21);
        Map<String, String> owner = server.newOwner();
        try (CuttingRelay relay = CuttingRelay.startInFrontOf(server.creationUrl())) {
            TusUploader uploader = uploader(client(relay.via(server.creationUrl()), owner, new TusURLMemoryStore()),
                    file);

            uploadToTheEnd(uploader);

            assertEquals(SIZE, uploader.getOffset());
            String wire = relay.sentText();
            List<String> offsets = new ArrayList<>();
            for (Matcher request = REQUEST_HEAD.matcher(wire); request.find(); ) {
                String method = request.group(1);
                String headers = request.group(3);
                assertTrue(!method.equals("PATCH"), "no PATCH request line: " + request.group());
                if (method.equals("POST") && headers.contains("\r\nX-HTTP-Method-Override: PATCH\r\n")) {
                    assertEquals(uploader.getUploadURL().getPath(), request.group(2));
                    Matcher offset = Pattern.compile("\r\nUpload-Offset: (\\d+)\r\n").matcher(headers);
                    offsets.add(offset.find() ? offset.group(1) : "none");
                }
            }
            // One request per MiB, then the empty one finish() sends at the end (its open connection).
            assertEquals(List.of("0", "1048576", "2097152", "3145728", "4194304", "5242880"), offsets);
            URI upload = server.resolve(uploader.getUploadURL().getPath());
            assertEquals(TusHttp.sha256(file), new TusHttp(owner).downloadedSha256(upload));
        }
    }

    @Test
    void aRequestCutMidBodyResumesFromTheOffsetTheServerKept() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("cut.bin"), SIZE, 22);
        Map<String, String> owner = server.newOwner();
        TusURLStore urls = new TusURLMemoryStore();
        try (CuttingRelay relay = CuttingRelay.startInFrontOf(server.creationUrl())) {
            URI creation = relay.via(server.creationUrl());
            TusUploader first = uploader(client(creation, owner, urls), file);
            first.setRequestPayloadSize(SIZE); // one request for the whole file, cut after about 2.5 MiB
            relay.cutAfter(5 * MIB / 2);

            assertThrows(IOException.class, () -> uploadToTheEnd(first));

            long kept = settledOffset(new TusHttp(owner), server.resolve(first.getUploadURL().getPath()));
            assertTrue(kept > 0 && kept < 5 * MIB / 2, "the server kept " + kept + " bytes");
            TusUploader resumed = uploader(client(creation, owner, urls), file);
            assertEquals(first.getUploadURL(), resumed.getUploadURL(), "resumed, not created anew");
            assertEquals(kept, resumed.getOffset(), "the client starts where the server's HEAD said");
            uploadToTheEnd(resumed);
            assertEquals(SIZE, resumed.getOffset());
            URI upload = server.resolve(resumed.getUploadURL().getPath());
            assertEquals(TusHttp.sha256(file), new TusHttp(owner).downloadedSha256(upload));
        }
    }

    @Test
    void metadataFromTheJavaClientComesBackFromHead() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("metadata.bin"), 1000, 23);
        Map<String, String> owner = server.newOwner();
        TusUpload upload = new TusUpload(file.toFile());
        // ASCII only: 0.5.1 encodes values with the platform charset (String.getBytes()).
        Map<String, String> metadata = Map.of("filename", "report 2026.pdf", "filetype", "application/pdf");
        upload.setMetadata(metadata);

        TusUploader uploader = client(server.creationUrl(), owner, new TusURLMemoryStore()).createUpload(upload);
        uploadToTheEnd(uploader);

        URI url = server.resolve(uploader.getUploadURL().getPath());
        assertEquals(metadata, TusHttp.decodeMetadata(TusHttp.header(new TusHttp(owner).head(url), "Upload-Metadata")));
    }

    @Test
    void aPlainPostWithMethodOverridePatchAppendsAtTheOffsetLikeAPatch() throws Exception {
        Map<String, String> owner = server.newOwner();
        HttpURLConnection probe = (HttpURLConnection) server.creationUrl().toURL().openConnection();
        assertThrows(java.net.ProtocolException.class, () -> probe.setRequestMethod("PATCH"),
                "the JDK's HttpURLConnection cannot send PATCH (why clients on it override)");

        HttpURLConnection creation = open(server.creationUrl().toURL(), owner);
        creation.setRequestProperty("Upload-Length", "11");
        assertEquals(201, creation.getResponseCode());
        URL upload = new URL(creation.getURL(), creation.getHeaderField("Location"));

        HttpURLConnection hello = append(upload, owner, 0, "hello ");
        HttpURLConnection world = append(upload, owner, 6, "world");

        assertEquals(204, hello.getResponseCode());
        assertEquals("6", hello.getHeaderField("Upload-Offset"));
        assertEquals(204, world.getResponseCode());
        assertEquals("11", world.getHeaderField("Upload-Offset"));
        byte[] stored = new TusHttp(owner).get(server.resolve(upload.getPath())).body();
        assertEquals("hello world", new String(stored, StandardCharsets.US_ASCII));
    }

    private static HttpURLConnection open(URL url, Map<String, String> owner) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setRequestMethod("POST");
        connection.setRequestProperty("Tus-Resumable", "1.0.0");
        owner.forEach(connection::setRequestProperty);
        connection.setConnectTimeout((int) TusHttp.TIMEOUT.toMillis());
        connection.setReadTimeout((int) TusHttp.TIMEOUT.toMillis());
        return connection;
    }

    private static HttpURLConnection append(URL upload, Map<String, String> owner, long offset, String body)
            throws IOException {
        HttpURLConnection connection = open(upload, owner);
        connection.setRequestProperty("X-HTTP-Method-Override", "PATCH");
        connection.setRequestProperty("Upload-Offset", Long.toString(offset));
        connection.setRequestProperty("Content-Type", "application/offset+octet-stream");
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.US_ASCII));
        }
        connection.getResponseCode();
        return connection;
    }

    /**
     * The upload's offset once the server has finished with the cut request: the same answer twice,
     * 100 ms apart (the server notices the cut a moment after the client does).
     */
    private static long settledOffset(TusHttp http, URI upload) throws InterruptedException {
        long previous = -1;
        for (int attempt = 0; attempt < 50; attempt++) {
            String offset = TusHttp.header(http.head(upload), "Upload-Offset");
            long now = offset == null ? -1 : Long.parseLong(offset);
            if (now >= 0 && now == previous) {
                return now;
            }
            previous = now;
            Thread.sleep(100);
        }
        throw new AssertionError("the offset of " + upload + " did not settle: last " + previous);
    }
}
