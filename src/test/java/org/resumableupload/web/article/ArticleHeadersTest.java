package org.resumableupload.web.article;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;
import org.resumableupload.web.ServletMocks.Request;

class ArticleHeadersTest {
    private static final String SIZE = ArticleHeaders.FILE_SIZE;
    private static final String NAME = ArticleHeaders.FILE_NAME;
    private static final String DIGEST = ArticleHeaders.CONTENT_DIGEST;

    private static Request post() {
        return new Request("POST");
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static UploadException refused(ErrorCode code, ThrowingCall call) {
        UploadException e = assertThrows(UploadException.class, call::run);
        assertEquals(code, e.code());
        assertEquals(400, ArticleErrors.status(e.code()));
        return e;
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    // ---- X-File-Id -----------------------------------------------------------------------------

    @Test
    void fileIdIsReturnedAsSent() throws UploadException {
        assertEquals(" a b-12-34 ", ArticleHeaders.fileId(post().header("X-File-Id", " a b-12-34 ").mock));
    }

    @Test
    void aMissingOrEmptyFileIdIsRefused() {
        refused(ErrorCode.MISSING_UPLOAD_KEY, () -> ArticleHeaders.fileId(post().mock));
        refused(ErrorCode.MISSING_UPLOAD_KEY, () -> ArticleHeaders.fileId(post().header("X-File-Id", "").mock));
    }

    @Test
    void aFileIdSentTwiceWithDifferentValuesIsRefused() {
        UploadException e = refused(ErrorCode.MALFORMED_REQUEST,
                () -> ArticleHeaders.fileId(post().header("X-File-Id", "a", "b").mock));

        assertTrue(e.getMessage().contains("X-File-Id"), e.getMessage());
    }

    // ---- decimal numbers -----------------------------------------------------------------------

    @Test
    void anAbsentNumberIsAbsent() throws UploadException {
        assertEquals(AppendSpec.UNKNOWN, ArticleHeaders.decimal(post().mock, SIZE));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "1, 1",
            "000123, 123",
            "' 42 ', 42",
            "9223372036854775807, 9223372036854775807"
    })
    void aDecimalNumberIsRead(String value, long expected) throws UploadException {
        assertEquals(expected, ArticleHeaders.decimal(post().header(SIZE, value).mock, SIZE));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "9223372036854775808", // Long.MAX_VALUE + 1
            "99999999999999999999", // 20 digits
            "-1", "+1", "-0", "1 2", "1_000", "1,000", "0x10", "1e3", "1.0", "", " ", "abc", "12abc",
            "\uFF11\uFF12", // fullwidth digits
            "\u0661" // Arabic-Indic digit one
    })
    void aMalformedNumberIsRefusedNamingTheHeader(String value) {
        UploadException e = refused(ErrorCode.MALFORMED_REQUEST,
                () -> ArticleHeaders.decimal(post().header(SIZE, value).mock, SIZE));

        assertTrue(e.getMessage().contains(SIZE), e.getMessage());
    }

    @Test
    void aNumberSentTwiceWithTheSameValueIsRead() throws UploadException {
        assertEquals(7, ArticleHeaders.decimal(post().header(SIZE, "7", "7").mock, SIZE));
    }

    @Test
    void aNumberSentTwiceWithDifferentValuesIsRefused() {
        refused(ErrorCode.MALFORMED_REQUEST, () -> ArticleHeaders.decimal(post().header(SIZE, "7", "8").mock, SIZE));
    }

    // ---- percent-encoded names -----------------------------------------------------------------

    @Test
    void anAbsentNameIsNull() throws UploadException {
        assertNull(ArticleHeaders.percentDecoded(post().mock, NAME));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "report.pdf#report.pdf",
            "a%20b.txt#a b.txt",
            "%E5%86%99%E7%9C%9F.jpg#写真.jpg",
            "%c3%a9t%C3%A9#été",
            "a+b#a+b",
            "%2F..%2Fetc#/../etc",
            "%F0%9F%8E%89#\uD83C\uDF89",
            "%25#%"
    })
    void aPercentEncodedUtf8NameIsDecoded(String value, String expected) throws UploadException {
        assertEquals(expected, ArticleHeaders.percentDecoded(post().header(NAME, value).mock, NAME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%4", "a%", "%G1", "%1G", "abc%2", "%%41"})
    void aBrokenEscapeIsRefused(String value) {
        UploadException e = refused(ErrorCode.MALFORMED_REQUEST,
                () -> ArticleHeaders.percentDecoded(post().header(NAME, value).mock, NAME));

        assertTrue(e.getMessage().contains(NAME), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"%FF", "%C3", "%C3%28", "%C0%AF", "%ED%A0%80", "%F8%88%80%80%80"})
    void bytesThatAreNotUtf8AreRefused(String value) {
        refused(ErrorCode.MALFORMED_REQUEST, () -> ArticleHeaders.percentDecoded(post().header(NAME, value).mock, NAME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"été.txt", "写真.jpg", "\u00e9"})
    void rawNonAsciiIsRefused(String value) {
        refused(ErrorCode.MALFORMED_REQUEST, () -> ArticleHeaders.percentDecoded(post().header(NAME, value).mock, NAME));
    }

    // ---- Content-Digest ------------------------------------------------------------------------

    @Test
    void anAbsentDigestIsNull() throws UploadException {
        assertNull(ArticleHeaders.contentDigestSha256(post().mock));
    }

    @Test
    void aSha256DigestIsRead() throws Exception {
        byte[] sha = sha256("hello");

        assertArrayEquals(sha, ArticleHeaders.contentDigestSha256(post().header(DIGEST, "sha-256=:" + b64(sha) + ":").mock));
    }

    @Test
    void aSha256DigestIsFoundAmongOtherAlgorithmsAndParameters() throws Exception {
        byte[] sha = sha256("hello");
        String sha512 = b64(MessageDigest.getInstance("SHA-512").digest("hello".getBytes(StandardCharsets.UTF_8)));

        assertArrayEquals(sha, ArticleHeaders.contentDigestSha256(
                post().header(DIGEST, "sha-512=:" + sha512 + ":, sha-256=:" + b64(sha) + ":").mock));
        assertArrayEquals(sha, ArticleHeaders.contentDigestSha256(
                post().header(DIGEST, " sha-256 = :" + b64(sha) + ":;note=1 , md5=:AAAA:").mock));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sha-256=:AAAAAAAAAAAAAAAAAAAAAA==:", // 16 bytes
            "sha-256=:" + "QUFB" + ":", // 3 bytes
            "sha-256=:!!!notbase64!!!:",
            "sha-256=:ab=c:",
            "sha-256=abc",
            "sha-256=::",
            "sha-512=:z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==:",
            "md5=:XUFAKrxLKna5cZ2REBfFkg==:",
            "garbage"
    })
    void aDigestWithoutAWellFormedSha256IsRefused(String value) {
        refused(ErrorCode.MALFORMED_REQUEST, () -> ArticleHeaders.contentDigestSha256(post().header(DIGEST, value).mock));
    }

    // ---- articleRequest -------------------------------------------------------------------------

    @Test
    void articleRequestGathersEveryHeader() throws Exception {
        byte[] sha = sha256("body");
        Request request = post()
                .header(ArticleHeaders.START_BYTE, "5")
                .header(SIZE, "10")
                .header(NAME, "my%2Fdoc.txt")
                .header(DIGEST, "sha-256=:" + b64(sha) + ":")
                .contentLength(5);

        ArticleRequest upload = ArticleHeaders.articleRequest(request.mock, "ignored-1-2");

        assertEquals(5, upload.startByte());
        assertEquals(10, upload.declaredSize());
        assertEquals(5, upload.contentLength());
        assertEquals("my_doc.txt", upload.name());
        assertEquals("sha256", upload.checksum().algorithm());
        assertArrayEquals(sha, upload.checksum().expected());
    }

    @Test
    void articleRequestWithoutOptionalHeadersTakesTheNameFromTheArticleId() throws Exception {
        ArticleRequest upload = ArticleHeaders.articleRequest(post().mock, "photo.jpg-2048-1700000000000");

        assertEquals(AppendSpec.UNKNOWN, upload.startByte());
        assertTrue(upload.startsOver());
        assertEquals(AppendSpec.UNKNOWN, upload.declaredSize());
        assertEquals(AppendSpec.UNKNOWN, upload.contentLength());
        assertEquals("photo.jpg", upload.name());
        assertNull(upload.checksum());
    }

    @Test
    void articleRequestRefusesTheFirstMalformedHeader() {
        refused(ErrorCode.MALFORMED_REQUEST, () -> ArticleHeaders.articleRequest(
                post().header(ArticleHeaders.START_BYTE, "-5").mock, "id"));
        refused(ErrorCode.MALFORMED_REQUEST, () -> ArticleHeaders.articleRequest(post().header(SIZE, "1e9").mock, "id"));
        refused(ErrorCode.MALFORMED_REQUEST, () -> ArticleHeaders.articleRequest(post().header(NAME, "%ZZ").mock, "id"));
        refused(ErrorCode.MALFORMED_REQUEST, () -> ArticleHeaders.articleRequest(post().header(DIGEST, "x").mock, "id"));
    }
}
