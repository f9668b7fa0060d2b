package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.ErrorCode;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.tus.TusRequests.bare;
import static org.resumableupload.web.tus.TusRequests.refused;
import static org.resumableupload.web.tus.TusRequests.tus;

import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TusHeadersTest {
    private static final long MAX = 1L << 30;
    private static final String ID = "0123456789abcdef0123456789abcdef";
    private static final String OCTETS = TusHeaders.OFFSET_OCTET_STREAM;
    private final TusHeaders headers = new TusHeaders("/tus/", MAX, 100,
            Pattern.compile("[0-9a-f]{32}").asMatchPredicate());

    // ---- Tus-Resumable ---------------------------------------------------------------------------

    @Test
    void version100IsAcceptedOnEveryMethod() {
        for (String method : List.of("POST", "HEAD", "PATCH", "DELETE", "GET")) {
            assertDoesNotThrow(() -> headers.checkVersion(tus(method)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.2.2", "1.0", "1.0.0 ", "2.0.0", ""})
    void anotherVersionIsRefused(String version) {
        refused(ErrorCode.UNSUPPORTED_VERSION, () -> headers.checkVersion(bare("PATCH", "Tus-Resumable", version)));
        refused(ErrorCode.UNSUPPORTED_VERSION, () -> headers.checkVersion(bare("GET", "Tus-Resumable", version)));
    }

    @Test
    void noVersionIsRefusedExceptOnOptionsAndOnADownload() {
        for (String method : List.of("POST", "HEAD", "PATCH", "DELETE")) {
            refused(ErrorCode.UNSUPPORTED_VERSION, () -> headers.checkVersion(bare(method)));
        }
        assertDoesNotThrow(() -> headers.checkVersion(bare("GET")));
        assertDoesNotThrow(() -> headers.checkVersion(bare("OPTIONS", "Tus-Resumable", "0.2.2")));
    }

    @Test
    void aVersionSentTwiceDifferentlyIsMalformed() {
        refused(ErrorCode.MALFORMED_REQUEST,
                () -> headers.checkVersion(bare("PATCH", "Tus-Resumable", "1.0.0", "Tus-Resumable", "0.2.2")));
    }

    // ---- X-HTTP-Method-Override ------------------------------------------------------------------

    @Test
    void aPostMayBeOverriddenToPatchOrDelete() throws UploadException {
        assertEquals("PATCH", headers.method(tus("POST", "X-HTTP-Method-Override", "PATCH")));
        assertEquals("DELETE", headers.method(tus("POST", "X-HTTP-Method-Override", "DELETE")));
        assertEquals("HEAD", headers.method(tus("POST", "X-HTTP-Method-Override", "HEAD")));
        assertEquals("POST", headers.method(tus("POST")));
        assertEquals("PATCH", headers.method(tus("PATCH")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "TRACE", "CONNECT", "patch", "PATCH ", ""})
    void anOverrideToAnotherMethodIsNotAllowed(String override) {
        refused(ErrorCode.METHOD_NOT_ALLOWED, () -> headers.method(tus("POST", "X-HTTP-Method-Override", override)));
    }

    @Test
    void anOverrideOnAnythingButPostIsMalformedUnlessItRepeatsTheMethod() throws UploadException {
        refused(ErrorCode.MALFORMED_REQUEST, () -> headers.method(tus("GET", "X-HTTP-Method-Override", "DELETE")));
        refused(ErrorCode.MALFORMED_REQUEST, () -> headers.method(tus("PATCH", "X-HTTP-Method-Override", "DELETE")));
        assertEquals("PATCH", headers.method(tus("PATCH", "X-HTTP-Method-Override", "PATCH")));
    }

    // ---- creation --------------------------------------------------------------------------------

    @Test
    void aCreationWithALengthAndMetadata() throws UploadException {
        TusHeaders.Creation creation = headers.creation(tus("POST", "Upload-Length", "100",
                "Upload-Metadata", "filename YS50eHQ=", "Content-Length", "0"));

        assertEquals(OptionalLong.of(100), creation.length());
        assertFalse(creation.deferredLength());
        assertEquals("a.txt", creation.metadata().text("filename").orElseThrow());
        assertTrue(creation.concat().isEmpty());
        assertFalse(creation.bodyFollows());
        assertTrue(creation.checksum().isEmpty());
    }

    @Test
    void aCreationWithADeferredLength() throws UploadException {
        TusHeaders.Creation creation = headers.creation(tus("POST", "Upload-Defer-Length", "1"));

        assertTrue(creation.deferredLength());
        assertTrue(creation.length().isEmpty());
    }

    @Test
    void aCreationNeedsExactlyOneOfLengthAndDeferredLength() {
        refused(ErrorCode.MALFORMED_REQUEST, () -> headers.creation(tus("POST")));
        refused(ErrorCode.MALFORMED_REQUEST,
                () -> headers.creation(tus("POST", "Upload-Length", "5", "Upload-Defer-Length", "1")));
        for (String value : List.of("0", "2", "true", "")) {
            refused(ErrorCode.MALFORMED_REQUEST, () -> headers.creation(tus("POST", "Upload-Defer-Length", value)));
        }
    }

    @Test
    void anEmptyUploadIsALengthOfZero() throws UploadException {
        assertEquals(OptionalLong.of(0), headers.creation(tus("POST", "Upload-Length", "0")).length());
    }

    @Test
    void aLengthAboveTheMaximumIsTooLargeEvenPastLongMax() throws UploadException {
        assertEquals(OptionalLong.of(MAX), headers.creation(tus("POST", "Upload-Length", Long.toString(MAX))).length());
        for (String length : List.of(Long.toString(MAX + 1), "9223372036854775808", "99999999999999999999999")) {
            refused(ErrorCode.TOO_LARGE, () -> headers.creation(tus("POST", "Upload-Length", length)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+5", "5 ", " 5", "1 0", "0x10", "1e3", "５", ""})
    void aLengthThatIsNotPlainDigitsIsMalformed(String length) {
        refused(ErrorCode.MALFORMED_REQUEST, () -> headers.creation(tus("POST", "Upload-Length", length)));
    }

    @Test
    void creationWithUploadNeedsTheOffsetContentType() throws UploadException {
        TusHeaders.Creation withBody = headers.creation(tus("POST", "Upload-Length", "10",
                "Content-Type", OCTETS, "Content-Length", "5"));
        TusHeaders.Creation chunked = headers.creation(tus("POST", "Upload-Length", "10",
                "Content-Type", "Application/Offset+Octet-Stream; x=1", "Transfer-Encoding", "chunked"));

        assertTrue(withBody.bodyFollows());
        assertTrue(chunked.bodyFollows());
        assertFalse(headers.creation(tus("POST", "Upload-Length", "10", "Content-Type", OCTETS,
                "Content-Length", "0")).bodyFollows());
        refused(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> headers.creation(tus("POST", "Upload-Length", "10",
                "Content-Type", "application/octet-stream", "Content-Length", "5")));
        refused(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> headers.creation(tus("POST", "Upload-Length", "10",
                "Transfer-Encoding", "chunked")));
    }

    @Test
    void partialAndFinalUploads() throws UploadException {
        TusHeaders.Creation partial = headers.creation(tus("POST", "Upload-Length", "5", "Upload-Concat", "partial"));
        TusHeaders.Creation fin = headers.creation(tus("POST", "Upload-Concat", "final;/tus/" + ID + " /tus/" + ID,
                "Upload-Metadata", "filename YS50eHQ="));

        assertInstanceOf(TusConcat.Partial.class, partial.concat().orElseThrow());
        TusConcat.Final parts = assertInstanceOf(TusConcat.Final.class, fin.concat().orElseThrow());
        assertEquals(List.of(ID, ID), parts.uploadIds());
        assertTrue(fin.length().isEmpty());
        assertEquals("a.txt", fin.metadata().text("filename").orElseThrow());
    }

    @Test
    void aFinalUploadWithALengthOrABodyIsMalformed() {
        String parts = "final;/tus/" + ID;
        refused(ErrorCode.MALFORMED_REQUEST,
                () -> headers.creation(tus("POST", "Upload-Concat", parts, "Upload-Length", "5")));
        refused(ErrorCode.MALFORMED_REQUEST,
                () -> headers.creation(tus("POST", "Upload-Concat", parts, "Upload-Defer-Length", "1")));
        refused(ErrorCode.MALFORMED_REQUEST, () -> headers.creation(tus("POST", "Upload-Concat", parts,
                "Content-Type", OCTETS, "Content-Length", "5")));
    }

    @Test
    void metadataAndChecksumRefusalsComeThrough() {
        refused(ErrorCode.METADATA_TOO_LARGE, () -> headers.creation(tus("POST", "Upload-Length", "5",
                "Upload-Metadata", "k " + "QUFB".repeat(30))));
        refused(ErrorCode.MALFORMED_REQUEST, () -> headers.creation(tus("POST", "Upload-Length", "5",
                "Upload-Metadata", "k YQ", "Content-Length", "0")));
        refused(ErrorCode.UNSUPPORTED_CHECKSUM, () -> headers.creation(tus("POST", "Upload-Length", "5",
                "Content-Type", OCTETS, "Content-Length", "5", "Upload-Checksum", "crc32 AAAAAA==")));
    }

    // ---- PATCH -----------------------------------------------------------------------------------

    @Test
    void aPatchReadsOffsetDeclaredLengthAndChecksum() throws UploadException {
        TusHeaders.Patch patch = headers.patch(tus("PATCH", "Content-Type", OCTETS, "Upload-Offset", "70",
                "Upload-Length", "100", "Upload-Checksum", "sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0="));

        assertEquals(70, patch.offset());
        assertEquals(OptionalLong.of(100), patch.declaredLength());
        assertEquals("sha1", patch.checksum().orElseThrow().algorithm());
        assertEquals(OptionalLong.empty(),
                headers.patch(tus("PATCH", "Content-Type", OCTETS, "Upload-Offset", "0")).declaredLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/octet-stream", "text/plain", "application/offset+octet-streams", ""})
    void aPatchOfAnotherContentTypeIsUnsupported(String contentType) {
        refused(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                () -> headers.patch(tus("PATCH", "Content-Type", contentType, "Upload-Offset", "0")));
        refused(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> headers.patch(tus("PATCH", "Upload-Offset", "0")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+0", "1.5", "1,000", " 7", "7 ", "", "9223372036854775808"})
    void anOffsetThatIsNotANonNegativeLongIsMalformed(String offset) {
        refused(ErrorCode.MALFORMED_REQUEST,
                () -> headers.patch(tus("PATCH", "Content-Type", OCTETS, "Upload-Offset", offset)));
    }

    @Test
    void aPatchWithoutOffsetOrWithTwoOffsetsIsMalformed() {
        refused(ErrorCode.MALFORMED_REQUEST, () -> headers.patch(tus("PATCH", "Content-Type", OCTETS)));
        refused(ErrorCode.MALFORMED_REQUEST, () -> headers.patch(tus("PATCH", "Content-Type", OCTETS,
                "Upload-Offset", "0", "Upload-Offset", "5")));
    }

    @Test
    void theLargestOffsetIsLongMax() throws UploadException {
        assertEquals(Long.MAX_VALUE, headers.patch(tus("PATCH", "Content-Type", OCTETS,
                "Upload-Offset", Long.toString(Long.MAX_VALUE))).offset());
    }

    @Test
    void aDeclaredLengthAboveTheMaximumIsTooLarge() {
        refused(ErrorCode.TOO_LARGE, () -> headers.patch(tus("PATCH", "Content-Type", OCTETS,
                "Upload-Offset", "0", "Upload-Length", Long.toString(MAX + 1))));
    }

    @Test
    void theBasePathMustStartAndEndWithASlash() {
        for (String base : List.of("tus/", "/tus", "")) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new TusHeaders(base, MAX, 100, id -> true));
        }
    }
}
