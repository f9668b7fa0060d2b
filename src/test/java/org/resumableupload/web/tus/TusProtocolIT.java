package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.tus.TusWire.OCTETS;
import static org.resumableupload.web.tus.TusWire.randomBytes;
import static org.resumableupload.web.tus.TusWire.slice;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.resumableupload.web.RawHttp.Response;

/**
 * The tus 1.0.0 core protocol and its checksum extension at {@code /tus/}, over raw sockets: OPTIONS,
 * versions, HEAD, and every refusal of a PATCH, each leaving the upload as it was. Creation is in
 * {@link TusCreationIT}, concatenation in {@link TusConcatenationIT}, writers in {@link TusWritersIT},
 * termination, downloads and odd URLs in {@link TusResourcesIT}.
 */
@Timeout(60)
class TusProtocolIT extends TusServerSupport {
    private static final byte[] NO_BODY = new byte[0];

    private static Set<String> elements(Response response, String header) {
        return Arrays.stream(response.header(header).orElse("").split(",")).map(String::strip)
                .filter(element -> !element.isEmpty()).collect(Collectors.toSet());
    }

    private static String checksum(String algorithm, String jdkName, byte[] body) throws Exception {
        return "Upload-Checksum: " + algorithm + " "
                + Base64.getEncoder().encodeToString(MessageDigest.getInstance(jdkName).digest(body));
    }

    @Test
    void optionsAnnouncesVersionExtensionsMaxSizeAndChecksumAlgorithms() {
        Response options = newOwner().sendExactly("OPTIONS", TusWire.BASE, NO_BODY);

        assertTrue(options.status() == 200 || options.status() == 204, options::toString);
        assertEquals("1.0.0", options.header("Tus-Version").orElseThrow().split(",")[0].strip());
        assertTrue(elements(options, "Tus-Extension").containsAll(TusHeaders.EXTENSIONS), options::toString);
        assertEquals(Optional.of(Long.toString(MAX_SIZE)), options.header("Tus-Max-Size"));
        assertTrue(elements(options, "Tus-Checksum-Algorithm").containsAll(List.of("sha1", "md5", "sha256")),
                options::toString);
    }

    @Test
    void optionsIgnoresTheClientsVersion() {
        Response options = newOwner().sendExactly("OPTIONS", TusWire.BASE, NO_BODY, "Tus-Resumable: 0.2.2");

        assertTrue(options.status() == 200 || options.status() == 204, options::toString);
        assertTrue(options.header("Tus-Version").isPresent());
    }

    @Test
    void anAnswerOfEveryKindCarriesTusResumable() throws Exception {
        TusWire owner = newOwner();
        String upload = owner.create(20);
        Set<Integer> statuses = new TreeSet<>();
        // TusWire.send checks Tus-Resumable: 1.0.0 on each of these answers.
        statuses.add(owner.head(upload).status());
        statuses.add(owner.patch(upload, 0, new byte[10]).status());
        statuses.add(owner.patch(upload, 0, new byte[10]).status());
        statuses.add(owner.patch(upload, 10, new byte[10], checksum("sha1", "SHA-1", new byte[] {1})).status());
        statuses.add(owner.patch(upload, 10, new byte[10], "Upload-Checksum: crc32 AAAAAA==").status());
        statuses.add(owner.send("PATCH", upload, new byte[10], "Content-Type: text/plain", "Upload-Offset: 10").status());
        statuses.add(owner.sendExactly("PATCH", upload, NO_BODY, "Tus-Resumable: 0.2.2").status());
        statuses.add(owner.send("PUT", upload, NO_BODY).status());
        statuses.add(owner.patch(upload, 10, new byte[11]).status());
        statuses.add(owner.delete(upload).status());
        statuses.add(owner.head(upload).status());

        assertTrue(statuses.containsAll(Set.of(204, 409, TusErrors.CHECKSUM_MISMATCH_STATUS, 400, 413, 415, 412,
                405)), statuses::toString);
        assertTrue(statuses.contains(404) || statuses.contains(410), statuses::toString);
    }

    @Test
    void anotherVersionGets412WithTusVersionAndIsNotProcessed() {
        TusWire owner = newOwner();
        String upload = owner.create(100);

        Response creation = owner.sendExactly("POST", TusWire.BASE, NO_BODY, "Tus-Resumable: 0.2.2",
                "Upload-Length: 100");
        Response unversioned = owner.sendExactly("POST", TusWire.BASE, NO_BODY, "Upload-Length: 100");
        Response patch = owner.sendExactly("PATCH", upload, new byte[50], "Tus-Resumable: 2.0.0", OCTETS,
                "Upload-Offset: 0");

        for (Response refused : List.of(creation, unversioned, patch)) {
            assertEquals(412, refused.status(), refused::toString);
            assertTrue(refused.header("Tus-Version").orElse("").contains("1.0.0"), refused::toString);
            assertTrue(refused.header("Location").isEmpty(), refused::toString);
        }
        assertEquals(0, owner.offset(upload), "the PATCH of another version stored nothing");
    }

    @Test
    void aPatchOfAnotherContentTypeGets415AndStoresNothing() {
        TusWire owner = newOwner();
        String upload = owner.create(100);

        Response octetStream = owner.send("PATCH", upload, new byte[50], "Content-Type: application/octet-stream",
                "Upload-Offset: 0");
        Response untyped = owner.send("PATCH", upload, new byte[50], "Upload-Offset: 0");

        assertEquals(415, octetStream.status(), octetStream::toString);
        assertEquals(415, untyped.status(), untyped::toString);
        assertEquals(0, owner.offset(upload));
    }

    // Jetty's getContentType() throws for a charset the JVM does not know; that was a 500 with a stack trace.
    @Test
    void aPatchOrCreationWhoseContentTypeNamesAnUnknownCharsetIsStoredLikeAnyOther() {
        TusWire owner = newOwner();
        String upload = owner.create(5);
        String unknownCharset = "Content-Type: application/offset+octet-stream; charset=no-such-charset";

        Response patched = owner.send("PATCH", upload, new byte[5], unknownCharset, "Upload-Offset: 0");
        Response createdWithBytes = owner.send("POST", TusWire.BASE, new byte[5], unknownCharset, "Upload-Length: 5");

        assertEquals(204, patched.status(), patched::toString);
        assertEquals(5, patched.uploadOffset());
        assertEquals(201, createdWithBytes.status(), createdWithBytes::toString);
        assertEquals(5, createdWithBytes.uploadOffset(), createdWithBytes::toString);
    }

    @Test
    void aStaleOrFutureOffsetGets409AndChangesNothing() {
        TusWire owner = newOwner();
        byte[] file = randomBytes(300, 1);
        String upload = owner.create(300);
        owner.patchOk(upload, 0, slice(file, 0, 100));

        for (long wrong : List.of(0L, 50L, 99L, 101L, 150L)) {
            Response refused = owner.patch(upload, wrong, new byte[100]);
            assertEquals(409, refused.status(), () -> "Upload-Offset " + wrong + ": " + refused);
            assertEquals(100, owner.offset(upload), "a 409 changes nothing, and offset 0 never starts over");
        }
        owner.patchOk(upload, 100, slice(file, 100, 300));
        assertArrayEquals(file, owner.get(upload).body());
    }

    @Test
    void aChecksumMismatchGets460AndNothingOfTheRequestIsKept() throws Exception {
        TusWire owner = newOwner();
        byte[] file = randomBytes(300, 2);
        String upload = owner.create(300);

        Response first = owner.patch(upload, 0, slice(file, 0, 100), checksum("sha1", "SHA-1", slice(file, 1, 101)));
        assertEquals(TusErrors.CHECKSUM_MISMATCH_STATUS, first.status(), first::toString);
        assertEquals(0, owner.offset(upload));

        for (String[] algorithm : List.of(new String[] {"sha1", "SHA-1"}, new String[] {"md5", "MD5"})) {
            int from = (int) owner.offset(upload);
            byte[] chunk = slice(file, from, from + 100);
            Response matching = owner.patch(upload, from, chunk, checksum(algorithm[0], algorithm[1], chunk));
            assertEquals(204, matching.status(), matching::toString);
        }
        byte[] last = slice(file, 200, 300);
        Response wrong = owner.patch(upload, 200, last, checksum("sha256", "SHA-256", slice(file, 0, 100)));
        assertEquals(TusErrors.CHECKSUM_MISMATCH_STATUS, wrong.status(), wrong::toString);
        assertEquals(200, owner.offset(upload), "not even a prefix of the mismatched body is kept");

        owner.patchOk(upload, 200, last);
        assertArrayEquals(file, owner.get(upload).body());
    }

    @Test
    void anUnsupportedChecksumAlgorithmOrAMalformedChecksumGets400AndNothingIsKept() {
        TusWire owner = newOwner();
        String upload = owner.create(100);

        for (String header : List.of("Upload-Checksum: crc32 AAAAAA==", "Upload-Checksum: sha1 not-base64",
                "Upload-Checksum: sha1", "Upload-Checksum: sha256 Kq5sNclPz7QV2+lfQIuc6R7oRu0=")) {
            Response refused = owner.patch(upload, 0, new byte[10], header);
            assertEquals(400, refused.status(), () -> header + ": " + refused);
        }
        assertEquals(0, owner.offset(upload));
    }

    @Test
    void aBodyPastUploadLengthIsRefusedAndNotOneBytePastTheLengthIsStored() {
        for (boolean chunked : List.of(false, true)) {
            TusWire owner = newOwner();
            byte[] file = randomBytes(150, chunked ? 4 : 3);
            String upload = owner.create(100);

            Response past = chunked ? owner.patchChunked(upload, 0, file) : owner.patch(upload, 0, file);

            assertTrue(past.status() == 413 || past.status() == 400, past::toString);
            long kept = owner.offset(upload);
            assertTrue(kept >= 0 && kept <= 100, "stored " + kept + " of a 100-byte upload");
            if (kept < 100) {
                owner.patchOk(upload, kept, slice(file, (int) kept, 100));
            }
            assertArrayEquals(slice(file, 0, 100), owner.get(upload).body(), "exactly the first 100 bytes");
        }
    }

    @Test
    void headAnswersOffsetLengthMetadataAsCreatedAndNoStore() {
        TusWire owner = newOwner();
        String metadata = "filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential,name "
                + Base64.getEncoder().encodeToString("報告書 2026.pdf".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String upload = owner.create(300, "Upload-Metadata: " + metadata);
        owner.patchOk(upload, 0, new byte[120]);

        Response head = owner.head(upload);

        assertTrue(head.status() == 200 || head.status() == 204, head::toString);
        assertEquals(Optional.of("120"), head.header("Upload-Offset"));
        assertEquals(Optional.of("300"), head.header("Upload-Length"));
        assertEquals(Optional.of(metadata), head.header("Upload-Metadata"));
        assertTrue(head.header("Upload-Defer-Length").isEmpty(), head::toString);
        assertTrue(head.header("Cache-Control").orElse("").contains("no-store"), head::toString);
        assertEquals(0, head.body().length);
    }

    @Test
    void headOfAnUploadWithoutMetadataSendsNone() {
        TusWire owner = newOwner();
        Response head = owner.head(owner.create(10));

        assertEquals(Optional.of("0"), head.header("Upload-Offset"));
        assertTrue(head.header("Upload-Metadata").isEmpty(), head::toString);
    }

    @Test
    void methodOverrideTurnsAPostIntoAPatchOrADelete() {
        TusWire owner = newOwner();
        byte[] file = randomBytes(64, 5);
        String upload = owner.create(64);

        Response patch = owner.send("POST", upload, file, "X-HTTP-Method-Override: PATCH", OCTETS, "Upload-Offset: 0");

        assertEquals(204, patch.status(), patch::toString);
        assertEquals(64, patch.uploadOffset());
        assertArrayEquals(file, owner.get(upload).body());

        Response delete = owner.send("POST", upload, NO_BODY, "X-HTTP-Method-Override: DELETE");
        assertEquals(204, delete.status(), delete::toString);
        Response gone = owner.head(upload);
        assertTrue(gone.status() == 404 || gone.status() == 410, gone::toString);
    }

    @Test
    void corsIsOffByDefault() {
        TusWire owner = newOwner();
        Response preflight = owner.unchecked("OPTIONS", TusWire.BASE, NO_BODY, "Origin: https://app.example",
                "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: tus-resumable, upload-length");
        Response creation = owner.send("POST", TusWire.BASE, NO_BODY, "Origin: https://app.example",
                "Upload-Length: 5");

        assertEquals(201, creation.status(), creation::toString);
        for (Response answer : List.of(preflight, creation)) {
            assertTrue(answer.headers().keySet().stream().noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-")),
                    answer::toString);
        }
    }
}
