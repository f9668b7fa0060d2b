package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.ErrorCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.tus.TusRequests.refused;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TusMetadataTest {
    private static final int MAX = TusMetadata.DEFAULT_MAX_HEADER_CHARS;

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSpecExampleParsesInOrderAndEncodesBackAsSent() throws UploadException {
        String sent = "filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential";

        TusMetadata metadata = TusMetadata.parse(sent, MAX);

        assertEquals(List.of("filename", "is_confidential"), List.copyOf(metadata.entries().keySet()));
        assertEquals("world_domination_plan.pdf", metadata.text("filename").orElseThrow());
        assertArrayEquals(new byte[0], metadata.value("is_confidential").orElseThrow());
        assertEquals(sent, metadata.toHeader());
    }

    @Test
    void keysKeepTheClientsOrderNotAlphabetical() throws UploadException {
        String sent = "zeta " + b64("1") + ",alpha " + b64("2") + ",mid " + b64("3");

        assertEquals(sent, TusMetadata.parse(sent, MAX).toHeader());
    }

    @Test
    void whitespaceAroundPairsIsDroppedAndTheCanonicalFormIsAnswered() throws UploadException {
        TusMetadata metadata = TusMetadata.parse(" name " + b64("a.txt") + " ,\ttype " + b64("text/plain") + " ", MAX);

        assertEquals("name " + b64("a.txt") + ",type " + b64("text/plain"), metadata.toHeader());
    }

    @Test
    void valuesAreRawBytesAndOnlyUtf8OnesAreText() throws UploadException {
        byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, '\r', '\n'};
        String japanese = "報告書.pdf";
        TusMetadata metadata = TusMetadata.parse("blob " + Base64.getEncoder().encodeToString(binary)
                + ",filename " + b64(japanese), MAX);

        assertArrayEquals(binary, metadata.value("blob").orElseThrow());
        assertTrue(metadata.text("blob").isEmpty(), "0xff is not UTF-8");
        assertEquals(japanese, metadata.text("filename").orElseThrow());
        assertTrue(metadata.toHeader().chars().allMatch(c -> c > ' ' && c <= '~' || c == ' '),
                "the answered header is visible ASCII: no CR LF can be smuggled");
    }

    @Test
    void noHeaderOrABlankOneIsNoMetadata() throws UploadException {
        assertTrue(TusMetadata.parse(null, MAX).isEmpty());
        assertTrue(TusMetadata.parse("  ", MAX).isEmpty());
        assertEquals("", TusMetadata.parse(null, MAX).toHeader());
    }

    @Test
    void aValueThatIsNotCanonicalBase64IsRefusedNamingTheKey() {
        // Without padding, with the URL-safe alphabet, with a space inside, or with stray bits set.
        for (String value : List.of("YQ", "-_8=", "YW Jj", "YR==", "!!!!")) {
            UploadException refusal = refused(ErrorCode.MALFORMED_REQUEST,
                    () -> TusMetadata.parse("filename " + value, MAX));
            assertTrue(refusal.getMessage().contains("'filename'"), refusal::getMessage);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {",", "a YQ==,", ",a YQ==", "a YQ==,,b YQ==", "a  YQ==", "ké YQ==", "a\u0001 YQ=="})
    void emptyPairsDoubleSpacesAndKeysOutsideVisibleAsciiAreMalformed(String header) {
        refused(ErrorCode.MALFORMED_REQUEST, () -> TusMetadata.parse(header, MAX));
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        UploadException refusal = refused(ErrorCode.MALFORMED_REQUEST,
                () -> TusMetadata.parse("name " + b64("a") + ",name " + b64("b"), MAX));

        assertTrue(refusal.getMessage().contains("'name' twice"), refusal::getMessage);
    }

    @Test
    void aHeaderOverTheBoundIsTooLargeAndOneAtTheBoundIsRead() throws UploadException {
        String header = "k " + "QUFB".repeat(24) + "QQ=="; // 2 + 96 + 4 = 102 characters

        refused(ErrorCode.METADATA_TOO_LARGE, () -> TusMetadata.parse(header, 101));
        assertEquals(header, TusMetadata.parse(header, 102).toHeader());
    }

    @Test
    void storedMetadataEncodesAsTheParsedDidAndKeysAreChecked() throws UploadException {
        Map<String, byte[]> stored = new LinkedHashMap<>();
        stored.put("filename", "a.txt".getBytes(StandardCharsets.UTF_8));
        stored.put("flag", new byte[0]);

        TusMetadata metadata = TusMetadata.of(stored);

        assertEquals(TusMetadata.parse(metadata.toHeader(), MAX), metadata);
        assertEquals("filename " + b64("a.txt") + ",flag", metadata.toHeader());
        assertThrows(IllegalArgumentException.class, () -> TusMetadata.of(Map.of("with space", new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> TusMetadata.of(Map.of("a,b", new byte[0])));
    }

    @Test
    void valuesHandedOutAreCopies() throws UploadException {
        TusMetadata metadata = TusMetadata.parse("k " + b64("abc"), MAX);

        metadata.value("k").orElseThrow()[0] = 'X';
        metadata.entries().get("k")[1] = 'Y';

        assertEquals("abc", metadata.text("k").orElseThrow());
        assertFalse(metadata.value("missing").isPresent());
    }
}
