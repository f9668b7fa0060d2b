package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.tus.TusRequests.refused;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.core.BodyChecksum;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;

class TusChecksumTest {
    private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theSpecExampleIsTheSha1OfHelloWorld() throws Exception {
        BodyChecksum checksum = TusChecksum.parse("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=");

        assertEquals("sha1", checksum.algorithm());
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(HELLO), checksum.expected());
    }

    @ParameterizedTest
    @CsvSource({"sha1,SHA-1", "md5,MD5", "sha256,SHA-256"})
    void eachAnnouncedAlgorithmIsReadWithItsDigest(String algorithm, String jdkName) throws Exception {
        byte[] digest = MessageDigest.getInstance(jdkName).digest(HELLO);

        BodyChecksum checksum = TusChecksum.parse(algorithm + " " + Base64.getEncoder().encodeToString(digest));

        assertEquals(algorithm, checksum.algorithm());
        assertArrayEquals(digest, checksum.expected());
        assertTrue(TusChecksum.ALGORITHMS.contains(algorithm));
        assertTrue(BodyChecksum.ALGORITHMS.contains(algorithm), "the core checks what tus announces");
    }

    @ParameterizedTest
    @ValueSource(strings = {"crc32 DUoRhQ==", "SHA1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=", "sha512 AAAA", "sha-1 AAAA"})
    void anAlgorithmNotAnnouncedIsUnsupportedNotMalformed(String header) {
        UploadException refusal = refused(ErrorCode.UNSUPPORTED_CHECKSUM, () -> TusChecksum.parse(header));

        assertTrue(refusal.getMessage().contains("sha1, md5, sha256"), refusal::getMessage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha1", "sha1Kq5sNclPz7QV2+lfQIuc6R7oRu0=", " sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
            "sha1 Kq5sNclPz7QV2+lfQIuc6R7o", "sha1 not base64!",
            "sha1  Kq5sNclPz7QV2+lfQIuc6R7oRu0=", "md5 Kq5sNclPz7QV2+lfQIuc6R7oRu0="})
    void aMissingSpaceBadBase64OrAWrongLengthIsMalformed(String header) {
        refused(ErrorCode.MALFORMED_REQUEST, () -> TusChecksum.parse(header));
    }

    @Test
    void aDigestWithoutPaddingIsAccepted() throws UploadException {
        assertArrayEquals(TusChecksum.parse("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=").expected(),
                TusChecksum.parse("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0").expected());
    }

    @Test
    void anUnsupportedNameIsQuotedOnlyIfPrintableAndShort() {
        UploadException longName = refused(ErrorCode.UNSUPPORTED_CHECKSUM,
                () -> TusChecksum.parse("x".repeat(500) + " AAAA"));
        UploadException control = refused(ErrorCode.UNSUPPORTED_CHECKSUM,
                () -> TusChecksum.parse("a\u0007b AAAA"));

        assertTrue(longName.getMessage().length() < 150, longName::getMessage);
        assertFalse(control.getMessage().contains("\u0007"));
    }
}
