package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.web.RawHttp.Response;
import org.resumableupload.web.tus.TusJob;
import org.resumableupload.web.tus.TusJsClient;
import org.resumableupload.web.tus.TusJsResult;
import org.resumableupload.web.tus.TusJsResult.Exchange;

/**
 * A real client of the draft: tus-js-client 4.3.1 under Node with {@code protocol: 'ietf-draft-05'}
 * (interop version 6: creation with {@code Upload-Complete: ?0}, then PATCHes labelled
 * {@code application/partial-upload}, the last with {@code ?1}) uploads to {@code /uploads/} as one
 * owner (the owner cookie on every request): in chunks, and cut and resumed from its upload URL. The
 * bytes are checked by downloading the completed upload. A chunked file is given as a Buffer: from a
 * file stream, tus-js-client 4.3.1 sends {@code Upload-Complete: ?0} on a chunked upload's last PATCH
 * too (its FileSource compares the chunk's size with the file's), which leaves the upload incomplete
 * (the last test shows it).
 */
@Timeout(120)
class IetfJsClientIT extends IetfServerSupport {
    private static final String PROTOCOL = "ietf-draft-05";
    private static final int SIZE = 5 * MIB + 1234;

    private final TusJsClient client = TusJsClient.inBuildDirectory();
    @TempDir
    Path dir;

    @BeforeAll
    void install() {
        client.install(); // npm ci outside any test's timeout
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port() + IetfWire.BASE);
    }

    private Path file(String name, long seed) throws Exception {
        return Files.write(dir.resolve(name), randomBytes(SIZE, seed));
    }

    private static TusJsResult succeeded(TusJsResult result) {
        assertTrue(result.error().isEmpty(), () -> "the client reported an error: " + result);
        assertEquals("success", result.outcome(), result::toString);
        return result;
    }

    @Test
    void chunksOfOneMebibyteArePatchedAtTheOffsetsTheServerAnsweredAndTheLastCompletes() throws Exception {
        Path file = file("chunks.bin", 90);
        IetfWire owner = ownerWithCookie();

        TusJsResult result = succeeded(client.run(TusJob.create(endpoint(), file).headers(owner.cookieHeader())
                .protocol(PROTOCOL).asBuffer().chunkSize(MIB)));

        Exchange creation = result.exchanges().get(0);
        assertTrue(creation.was("POST", 201), result::toString);
        assertEquals("6", creation.sent("Upload-Draft-Interop-Version"));
        assertEquals("?0", creation.sent("Upload-Complete"));
        List<Exchange> patches = result.exchanges("PATCH");
        assertEquals(6, patches.size(), result::toString);
        long expectedOffset = 0;
        for (Exchange patch : patches) {
            boolean last = patch == patches.get(patches.size() - 1);
            assertEquals(last ? 200 : 204, patch.status(), result::toString);
            assertEquals(last ? "?1" : "?0", patch.sent("Upload-Complete"), result::toString);
            assertEquals("application/partial-upload", patch.sent("Content-Type"));
            assertEquals(Long.toString(expectedOffset), patch.sent("Upload-Offset"));
            expectedOffset = Long.parseLong(patch.received("Upload-Offset"));
        }
        assertEquals(SIZE, expectedOffset);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(reprDigest(bytes), patches.get(patches.size() - 1).received("Repr-Digest"));
        assertArrayEquals(bytes, owner.download(result.uploadUrl().getRawPath()));
    }

    @Test
    void aWholeFileStreamInOnePatchCompletes() throws Exception {
        Path file = file("whole.bin", 91);
        IetfWire owner = ownerWithCookie();

        TusJsResult result = succeeded(client.run(TusJob.create(endpoint(), file).headers(owner.cookieHeader())
                .protocol(PROTOCOL)));

        List<Exchange> patches = result.exchanges("PATCH");
        assertEquals(1, patches.size(), result::toString);
        assertTrue(patches.get(0).was("PATCH", 200), result::toString);
        assertEquals("?1", patches.get(0).sent("Upload-Complete"));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(sha256Hex(bytes), sha256Hex(owner.download(result.uploadUrl().getRawPath())));
    }

    @Test
    void aCutUploadResumesFromItsUrlAtTheOffsetTheServerKeptAndCompletes() throws Exception {
        Path file = file("cut.bin", 92);
        IetfWire owner = ownerWithCookie();
        Map<String, String> cookie = owner.cookieHeader();
        long cutAt = 2L * MIB + 12_345;

        TusJsResult cut = client.run(TusJob.create(endpoint(), file).headers(cookie).protocol(PROTOCOL).asBuffer()
                .chunkSize(MIB).cutAfterBytes(cutAt));
        assertEquals("cut", cut.outcome(), cut::toString);
        assertEquals(cutAt, cut.cutAt());
        String upload = cut.uploadUrl().getRawPath();
        assertTrue(upload.matches("/uploads/[0-9a-f]{64}"), upload);
        TusJsResult resumed = succeeded(client.run(TusJob.resume(cut.uploadUrl(), file).headers(cookie)
                .protocol(PROTOCOL).asBuffer().chunkSize(MIB)));

        assertEquals(List.of(), resumed.exchanges("POST"), resumed::toString);
        Exchange head = resumed.exchanges().get(0);
        assertTrue(head.was("HEAD", 204), resumed::toString);
        long kept = Long.parseLong(head.received("Upload-Offset"));
        assertTrue(kept >= 2L * MIB && kept <= cutAt, () -> "the server kept " + kept + " of the " + cutAt + " bytes");
        assertEquals(Long.toString(kept), resumed.exchanges("PATCH").get(0).sent("Upload-Offset"), resumed::toString);
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(bytes, owner.download(upload));
    }

    /**
     * tus-js-client 4.3.1's FileSource marks a chunk as the last only when it spans the whole file, so
     * every PATCH of a chunked file stream says {@code Upload-Complete: ?0}: the client reports
     * success, and the upload, rightly, stays incomplete at its full length until a PATCH says
     * {@code ?1} (here an empty one, as a client that knows it is done would send).
     */
    @Test
    void aChunkedFileStreamWhoseClientNeverSaysCompleteStaysIncompleteUntilAnEmptyCompletingPatch() throws Exception {
        Path file = file("stream.bin", 93);
        IetfWire owner = ownerWithCookie();

        TusJsResult result = succeeded(client.run(TusJob.create(endpoint(), file).headers(owner.cookieHeader())
                .protocol(PROTOCOL).chunkSize(MIB)));

        assertTrue(result.exchanges("PATCH").stream().allMatch(patch -> "?0".equals(patch.sent("Upload-Complete"))),
                result::toString);
        String upload = result.uploadUrl().getRawPath();
        Response head = owner.head(upload);
        assertEquals(Optional.of("?0"), head.header("Upload-Complete"), head::toString);
        assertEquals(SIZE, head.uploadOffset());
        Response done = owner.patch(upload, SIZE, new byte[0], true);
        assertEquals(200, done.status(), done::toString);
        assertEquals(sha256Hex(Files.readAllBytes(file)), sha256Hex(owner.download(upload)));
    }
}
