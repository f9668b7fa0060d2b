package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.web.tus.TusJsResult.Exchange;

/**
 * tus-js-client 4.3.1 under Node uploads to the webapp's {@code /tus/} as one owner (the owner cookie
 * on every request): in one request, in chunks, cut and resumed from its stored URL, in parallel
 * partial uploads concatenated, terminated, and with non-ASCII metadata. Bytes are checked by
 * downloading the finished upload and comparing SHA-256 with the source file.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TusJsClientIT {
    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 5 * MIB;

    private final TusJsClient client = TusJsClient.inBuildDirectory();
    private TusServerUnderTest server;
    @TempDir
    Path dir;

    @BeforeAll
    void start(@TempDir Path storage) throws Exception {
        client.install(); // npm ci outside any test's timeout
        server = TusServerUnderTest.start(storage);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private TusJsResult run(TusJob job) {
        TusJsResult result = client.run(job);
        assertTrue(result.error().isEmpty(), () -> "the client reported an error: " + result);
        return result;
    }

    private static TusJsResult assertSucceeded(TusJsResult result) {
        assertEquals("success", result.outcome(), result::toString);
        return result;
    }

    @Test
    void aFiveMebibyteFileUploadsWithOneCreationAndOnePatch() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("whole.bin"), SIZE, 1);
        Map<String, String> owner = server.newOwner();

        TusJsResult result = assertSucceeded(run(TusJob.create(server.creationUrl(), file).headers(owner)));

        List<Exchange> exchanges = result.exchanges();
        assertEquals(2, exchanges.size(), result::toString);
        assertTrue(exchanges.get(0).was("POST", 201), result::toString);
        assertEquals(Integer.toString(SIZE), exchanges.get(0).sent("Upload-Length"));
        Exchange patch = exchanges.get(1);
        assertTrue(patch.was("PATCH", 204), result::toString);
        assertEquals("0", patch.sent("Upload-Offset"));
        assertEquals(SIZE, patch.bodyBytes());
        assertEquals(Integer.toString(SIZE), patch.received("Upload-Offset"));
        assertTrue(exchanges.stream().allMatch(e -> e.received("Set-Cookie") == null),
                () -> "the owner cookie was taken, not replaced: " + result);
        assertEquals(TusHttp.sha256(file), new TusHttp(owner).downloadedSha256(result.uploadUrl()));
    }

    @Test
    void aFinishedUploadIsInTheOwnersCompletedListWithItsSha256() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("listed.bin"), SIZE, 2);
        Map<String, String> owner = server.newOwner();

        assertSucceeded(run(TusJob.create(server.creationUrl(), file).headers(owner)));

        HttpResponse<String> list = new TusHttp(owner).getText(server.completedUploadsList());
        assertEquals(200, list.statusCode(), list::body);
        List<?> completed = (List<?>) Json.parse(list.body());
        assertEquals(1, completed.size(), list::body);
        Map<?, ?> entry = (Map<?, ?>) completed.get(0);
        assertEquals(TusHttp.sha256(file), entry.get("sha256"), list::body);
        assertEquals((long) SIZE, entry.get("size"), list::body);
    }

    @Test
    void chunksOfOneMebibyteArePatchedEachAtTheOffsetTheServerLastAnswered() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("chunks.bin"), SIZE + 1234, 3);
        Map<String, String> owner = server.newOwner();

        TusJsResult result = assertSucceeded(run(TusJob.create(server.creationUrl(), file).headers(owner)
                .chunkSize(MIB)));

        List<Exchange> patches = result.exchanges("PATCH");
        assertEquals(6, patches.size(), result::toString);
        long expectedOffset = 0;
        for (Exchange patch : patches) {
            assertEquals(204, patch.status(), result::toString);
            assertEquals(Long.toString(expectedOffset), patch.sent("Upload-Offset"));
            expectedOffset = Long.parseLong(patch.received("Upload-Offset"));
        }
        assertEquals(SIZE + 1234, expectedOffset);
        assertEquals(TusHttp.sha256(file), new TusHttp(owner).downloadedSha256(result.uploadUrl()));
    }

    @Test
    void aCutUploadResumesFromItsStoredUrlAtTheOffsetTheServerKept() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("cut.bin"), SIZE, 4);
        Path urls = dir.resolve("cut-urls.json");
        Map<String, String> owner = server.newOwner();
        long cutAt = 2L * MIB + 12_345;

        TusJsResult cut = client.run(TusJob.create(server.creationUrl(), file).headers(owner).urlStorage(urls)
                .cutAfterBytes(cutAt));
        TusJsResult resumed = assertSucceeded(run(TusJob.create(server.creationUrl(), file).headers(owner)
                .resumeFromUrlStorage(urls)));

        assertEquals("cut", cut.outcome(), cut::toString);
        assertEquals(cutAt, cut.cutAt());
        assertEquals(1, resumed.previousUploads(), "the URL storage held the cut upload");
        assertEquals(cut.uploadUrl(), resumed.uploadUrl(), "resumed, not created anew");
        assertEquals(List.of(), resumed.exchanges("POST"), resumed::toString);
        Exchange head = resumed.exchanges().get(0);
        assertTrue(head.was("HEAD", 200), resumed::toString);
        long kept = Long.parseLong(head.received("Upload-Offset"));
        assertTrue(kept > 0 && kept <= cutAt, () -> "the server kept " + kept + " of the " + cutAt + " bytes sent");
        Exchange patch = resumed.exchanges().get(1);
        assertTrue(patch.was("PATCH", 204), resumed::toString);
        assertEquals(Long.toString(kept), patch.sent("Upload-Offset"));
        assertEquals(SIZE - kept, patch.bodyBytes());
        assertEquals(TusHttp.sha256(file), new TusHttp(owner).downloadedSha256(resumed.uploadUrl()));
    }

    @Test
    void threeParallelPartialUploadsAreConcatenatedIntoTheFinalUpload() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("parallel.bin"), SIZE + 1, 5);
        Map<String, String> owner = server.newOwner();

        TusJsResult result = assertSucceeded(run(TusJob.create(server.creationUrl(), file).headers(owner)
                .parallelUploads(3).metadata(Map.of("filename", "parallel.bin"))));

        List<Exchange> posts = result.exchanges("POST");
        assertEquals(4, posts.size(), result::toString);
        List<Exchange> partials = posts.subList(0, 3);
        for (Exchange partial : partials) {
            assertTrue(partial.was("POST", 201), result::toString);
            assertEquals("partial", partial.sent("Upload-Concat"));
        }
        List<Exchange> patches = result.exchanges("PATCH");
        assertEquals(3, patches.size(), result::toString);
        assertTrue(patches.stream().allMatch(p -> p.status() == 204), result::toString);
        Exchange fin = posts.get(3);
        assertTrue(fin.was("POST", 201), result::toString);
        String partUrls = String.join(" ", patches.stream().map(p -> p.url().toString()).sorted().toList());
        assertTrue(fin.sent("Upload-Concat").startsWith("final;"), result::toString);
        assertEquals(partUrls, String.join(" ", List.of(fin.sent("Upload-Concat").substring(6).split(" "))
                .stream().sorted().toList()), "the final upload names the three partial upload URLs");
        TusHttp http = new TusHttp(owner);
        HttpResponse<Void> head = http.head(result.uploadUrl());
        assertEquals(200, head.statusCode());
        assertEquals(Integer.toString(SIZE + 1), TusHttp.header(head, "Upload-Length"));
        assertTrue(String.valueOf(TusHttp.header(head, "Upload-Concat")).startsWith("final;"), head::toString);
        assertEquals(TusHttp.sha256(file), http.downloadedSha256(result.uploadUrl()));
    }

    @Test
    void aTerminatedUploadAnswersHeadWith404Or410() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("terminated.bin"), SIZE, 6);
        Map<String, String> owner = server.newOwner();

        TusJsResult result = client.run(TusJob.create(server.creationUrl(), file).headers(owner)
                .cutAfterBytes(MIB).terminate());

        assertEquals("cut", result.outcome(), result::toString);
        assertTrue(result.terminated(), result::toString);
        List<Exchange> deletes = result.exchanges("DELETE");
        assertTrue(deletes.get(deletes.size() - 1).was("DELETE", 204), result::toString);
        int status = new TusHttp(owner).head(result.uploadUrl()).statusCode();
        assertTrue(status == 404 || status == 410, "HEAD after DELETE: " + status);
    }

    @Test
    void nonAsciiMetadataComesBackFromHeadAsCreated() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("metadata.bin"), 1000, 7);
        Map<String, String> owner = server.newOwner();
        Map<String, String> metadata = Map.of("filename", "Grüße, 日本語 🎉 \"quoted\".txt",
                "filetype", "text/plain; charset=utf-8", "empty", "");

        TusJsResult result = assertSucceeded(run(TusJob.create(server.creationUrl(), file).headers(owner)
                .metadata(metadata)));

        HttpResponse<Void> head = new TusHttp(owner).head(result.uploadUrl());
        assertEquals(200, head.statusCode());
        assertEquals("no-store", TusHttp.header(head, "Cache-Control"));
        assertEquals(metadata, TusHttp.decodeMetadata(TusHttp.header(head, "Upload-Metadata")));
        assertEquals(metadata, TusHttp.decodeMetadata(result.exchanges().get(0).sent("Upload-Metadata")),
                "what the client sent");
    }

    @Test
    void patchesSentAsPostWithMethodOverrideAppendLikePatches() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("override.bin"), SIZE, 8);
        Map<String, String> owner = server.newOwner();

        TusJsResult result = assertSucceeded(run(TusJob.create(server.creationUrl(), file).headers(owner)
                .chunkSize(2L * MIB).overridePatchMethod()));

        List<Exchange> appends = result.exchanges("POST").subList(1, result.exchanges("POST").size());
        assertEquals(3, appends.size(), result::toString);
        assertTrue(appends.stream().allMatch(a -> "PATCH".equals(a.sent("X-HTTP-Method-Override"))
                && a.status() == 204), result::toString);
        assertEquals(List.of(), result.exchanges("PATCH"));
        assertEquals(TusHttp.sha256(file), new TusHttp(owner).downloadedSha256(result.uploadUrl()));
    }

    @Test
    void creationWithUploadCarriesTheFirstChunkInThePost() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("creation-with-upload.bin"), SIZE, 9);
        Map<String, String> owner = server.newOwner();

        TusJsResult result = assertSucceeded(run(TusJob.create(server.creationUrl(), file).headers(owner)
                .chunkSize(3L * MIB).uploadDataDuringCreation()));

        Exchange creation = result.exchanges().get(0);
        assertTrue(creation.was("POST", 201), result::toString);
        assertEquals("application/offset+octet-stream", creation.sent("Content-Type"));
        assertEquals(Integer.toString(3 * MIB), creation.received("Upload-Offset"));
        assertEquals(List.of(Integer.toString(3 * MIB)),
                result.exchanges("PATCH").stream().map(p -> p.sent("Upload-Offset")).toList());
        assertEquals(TusHttp.sha256(file), new TusHttp(owner).downloadedSha256(result.uploadUrl()));
    }

    @Test
    void aStreamOfUnknownLengthDefersTheLengthToItsLastPatch() throws Exception {
        Path file = TusHttp.randomFile(dir.resolve("deferred.bin"), SIZE, 10);
        Map<String, String> owner = server.newOwner();

        TusJsResult result = assertSucceeded(run(TusJob.create(server.creationUrl(), file).headers(owner)
                .chunkSize(2L * MIB).deferLengthAsStream()));

        assertEquals("1", result.exchanges().get(0).sent("Upload-Defer-Length"), result::toString);
        List<Exchange> patches = result.exchanges("PATCH");
        assertEquals(3, patches.size(), result::toString);
        assertEquals(null, patches.get(1).sent("Upload-Length"));
        assertEquals(Integer.toString(SIZE), patches.get(2).sent("Upload-Length"));
        URI upload = result.uploadUrl();
        assertEquals(TusHttp.sha256(file), new TusHttp(owner).downloadedSha256(upload));
    }
}
