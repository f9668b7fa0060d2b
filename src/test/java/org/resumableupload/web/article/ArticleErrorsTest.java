package org.resumableupload.web.article;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.resumableupload.core.ErrorCode;

/** The article protocol's status table, as its clients have always seen it (protocol.md). */
class ArticleErrorsTest {

    @Test
    void everyCodeHasTheArticlesStatus() {
        Map<ErrorCode, Integer> expected = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : new ErrorCode[] {ErrorCode.MALFORMED_REQUEST, ErrorCode.UNSUPPORTED_VERSION,
                ErrorCode.UNSUPPORTED_CHECKSUM, ErrorCode.CHECKSUM_MISMATCH, ErrorCode.MISSING_UPLOAD_KEY,
                ErrorCode.UPLOAD_KEY_TOO_LONG, ErrorCode.BODY_INCOMPLETE, ErrorCode.METADATA_TOO_LARGE,
                ErrorCode.SHORT_OF_LENGTH, ErrorCode.PARTS_NOT_READY}) {
            expected.put(code, 400);
        }
        expected.put(ErrorCode.NOT_FOUND, 404);
        expected.put(ErrorCode.METHOD_NOT_ALLOWED, 405);
        expected.put(ErrorCode.IDLE_TIMEOUT, 408);
        expected.put(ErrorCode.OFFSET_MISMATCH, 409);
        expected.put(ErrorCode.LENGTH_MISMATCH, 409);
        expected.put(ErrorCode.SUPERSEDED, 409);
        expected.put(ErrorCode.FINAL_UPLOAD_IMMUTABLE, 409);
        expected.put(ErrorCode.NOT_COMPLETE, 409);
        expected.put(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415);
        expected.put(ErrorCode.TOO_LARGE, 413);
        expected.put(ErrorCode.PAST_LENGTH, 413);
        expected.put(ErrorCode.ALREADY_COMPLETE, 413); // bytes past the end of a completed upload, as before
        expected.put(ErrorCode.RANGE_NOT_SATISFIABLE, 416);
        expected.put(ErrorCode.STORAGE_FAILURE, 500);
        expected.put(ErrorCode.BUSY, 503);
        expected.put(ErrorCode.SHUTTING_DOWN, 503);
        expected.put(ErrorCode.STORAGE_UNAVAILABLE, 503);
        expected.put(ErrorCode.INSUFFICIENT_STORAGE, 507);

        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(expected.containsKey(code), code + " has no expected status here: add it");
            assertEquals(expected.get(code), ArticleErrors.status(code), code.name());
        }
    }

    @Test
    void everyRetryable503SaysRetryAfterAndNothingElseDoes() {
        for (ErrorCode code : ErrorCode.values()) {
            boolean retryable = code == ErrorCode.BUSY || code == ErrorCode.SHUTTING_DOWN
                    || code == ErrorCode.STORAGE_UNAVAILABLE;
            assertEquals(retryable, ArticleErrors.retryLater(code), code.name());
        }
    }

    @Test
    void reasonsNameTheArticlesOwnHeadersWhereTheCoreSpeaksOfOffsetsAndLengths() {
        assertEquals("X-Start-Byte does not match the stored offset", ArticleErrors.reason(ErrorCode.OFFSET_MISMATCH));
        assertEquals("X-File-Size differs from the size declared earlier",
                ArticleErrors.reason(ErrorCode.LENGTH_MISMATCH));
        assertEquals("body goes past the declared X-File-Size", ArticleErrors.reason(ErrorCode.PAST_LENGTH));
        assertEquals("body goes past the declared X-File-Size", ArticleErrors.reason(ErrorCode.ALREADY_COMPLETE));
        assertEquals("Content-Digest does not match the body; the chunk was discarded",
                ArticleErrors.reason(ErrorCode.CHECKSUM_MISMATCH));
        assertEquals("not enough free disk space", ArticleErrors.reason(ErrorCode.INSUFFICIENT_STORAGE));
    }
}
