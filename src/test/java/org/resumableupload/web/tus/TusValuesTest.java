package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.tus.TusRequests.bare;
import static org.resumableupload.web.tus.TusRequests.refused;

import org.junit.jupiter.api.Test;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TusValuesTest {
    @ParameterizedTest
    @ValueSource(strings = {"application/offset+octet-stream", "Application/Offset+Octet-Stream",
            "application/offset+octet-stream; charset=binary", " application/offset+octet-stream "})
    void theTusMediaTypeIsComparedWithoutCaseOrParameters(String contentType) {
        assertTrue(TusValues.isOffsetOctetStream(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/octet-stream", "application/offset+octet-stream2", "offset+octet-stream", ""})
    void otherMediaTypesAreNot(String contentType) {
        assertFalse(TusValues.isOffsetOctetStream(contentType));
        assertFalse(TusValues.isOffsetOctetStream(null));
    }

    @Test
    void digitsBeyondALongAreMinusOneNotAWrappedNumber() {
        assertEquals(Long.MAX_VALUE, TusValues.digitsOrMinusOne("9223372036854775807"));
        assertEquals(-1, TusValues.digitsOrMinusOne("9223372036854775808"));
        assertEquals(-1, TusValues.digitsOrMinusOne("1" + "0".repeat(30)));
        assertEquals(7, TusValues.digitsOrMinusOne("007"));
    }

    @Test
    void aHeaderRepeatedWithTheSameValueIsThatValueAndWithAnotherIsMalformed() throws UploadException {
        assertEquals("5", TusValues.single(bare("PATCH", "Upload-Offset", "5", "Upload-Offset", "5"), "Upload-Offset"));
        assertNull(TusValues.single(bare("PATCH"), "Upload-Offset"));
        UploadException refusal = refused(ErrorCode.MALFORMED_REQUEST,
                () -> TusValues.single(bare("PATCH", "Upload-Offset", "5", "Upload-Offset", "6"), "Upload-Offset"));
        assertEquals("Upload-Offset was sent more than once", refusal.getMessage());
    }

    @Test
    void aNumberTooLargeForALongIsMalformedWithTheHeaderNamed() {
        UploadException refusal = refused(ErrorCode.MALFORMED_REQUEST,
                () -> TusValues.nonNegative("Upload-Offset", "99999999999999999999"));
        assertEquals("Upload-Offset is too large", refusal.getMessage());
    }
}
