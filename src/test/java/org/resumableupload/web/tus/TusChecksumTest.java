package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.ErrorCode;
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

class TusChecksumTest {
    private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theSpecExampleIsTheSha1OfHelloWorld() throws UploadException {
        TusChecksum checksum = TusChecksum.parse("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=");

        assertEquals("sha1", checksum.algorithm());
        assertTrue(checksum.matches(checksum.newDigest().digest(HELLO)));
        assertFalse(checksum.matches(checksum.newDigest().digest("hello worle".getBytes(StandardCharsets.US_ASCII))));
    }

    @ParameterizedTest
    @CsvSource({"sha1,SHA-1", "md5,MD5", "sha256,SHA-256"})
    void eachAnnouncedAlgorithmMapsToItsJdkDigest(String algorithm, String jdkName) throws Exception {
        byte[] digest = MessageDigest.getInstance(jdkName).digest(HELLO);

        TusChecksum checksum = TusChecksum.parse(algorithm + " " + Base64.getEncoder().encodeToString(digest));

        assertEquals(jdkName, checksum.jdkName());
        assertEquals(jdkName, checksum.newDigest().getAlgorithm());
        assertTrue(checksum.matches(checksum.newDigest().digest(HELLO)));
        assertTrue(TusChecksum.ALGORITHMS.contains(algorithm));
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
        assertTrue(TusChecksum.parse("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0").matches(
                TusChecksum.parse("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=").expected()));
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
