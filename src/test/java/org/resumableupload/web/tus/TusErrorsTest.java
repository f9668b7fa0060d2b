package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.ErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TusErrorsTest {
    /** The table as tus 1.0.0 and the issue state it, written out once more so a change shows here. */
    private static final Map<ErrorCode, Integer> EXPECTED = new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorCode.MALFORMED_REQUEST, 400),
            Map.entry(ErrorCode.UNSUPPORTED_VERSION, 412),
            Map.entry(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415),
            Map.entry(ErrorCode.UNSUPPORTED_CHECKSUM, 400),
            Map.entry(ErrorCode.CHECKSUM_MISMATCH, 460),
            Map.entry(ErrorCode.OFFSET_MISMATCH, 409),
            Map.entry(ErrorCode.LENGTH_MISMATCH, 400),
            Map.entry(ErrorCode.PAST_LENGTH, 413),
            Map.entry(ErrorCode.TOO_LARGE, 413),
            Map.entry(ErrorCode.METADATA_TOO_LARGE, 400),
            Map.entry(ErrorCode.NOT_FOUND, 404),
            Map.entry(ErrorCode.METHOD_NOT_ALLOWED, 405),
            Map.entry(ErrorCode.FINAL_UPLOAD_IMMUTABLE, 403),
            Map.entry(ErrorCode.PARTS_NOT_READY, 400),
            Map.entry(ErrorCode.BUSY, 423),
            Map.entry(ErrorCode.SUPERSEDED, 409),
            Map.entry(ErrorCode.IDLE_TIMEOUT, 408),
            Map.entry(ErrorCode.SHUTTING_DOWN, 503),
            Map.entry(ErrorCode.INSUFFICIENT_STORAGE, 507),
            Map.entry(ErrorCode.STORAGE_FAILURE, 500),
            Map.entry(ErrorCode.STORAGE_UNAVAILABLE, 503),
            Map.entry(ErrorCode.RANGE_NOT_SATISFIABLE, 416),
            // Codes of the core that tus requests meet only indirectly (the article's key, bodies, completion).
            Map.entry(ErrorCode.MISSING_UPLOAD_KEY, 400),
            Map.entry(ErrorCode.UPLOAD_KEY_TOO_LONG, 400),
            Map.entry(ErrorCode.BODY_INCOMPLETE, 400),
            Map.entry(ErrorCode.SHORT_OF_LENGTH, 400),
            Map.entry(ErrorCode.NOT_COMPLETE, 409),
            Map.entry(ErrorCode.ALREADY_COMPLETE, 413)));

    @Test
    void everyRefusalHasTheStatusTheTableStates() {
        assertEquals(ErrorCode.values().length, EXPECTED.size(), "a new refusal needs a row here");
        for (ErrorCode code : ErrorCode.values()) {
            assertEquals(EXPECTED.get(code), TusErrors.status(code), code::name);
        }
    }

    @Test
    void onlyServerSideTroubleIsA5xx() {
        for (ErrorCode code : ErrorCode.values()) {
            boolean serverSide = code == ErrorCode.STORAGE_FAILURE || code == ErrorCode.SHUTTING_DOWN
                    || code == ErrorCode.INSUFFICIENT_STORAGE || code == ErrorCode.STORAGE_UNAVAILABLE;
            assertEquals(serverSide, TusErrors.status(code) >= 500, code::name);
        }
    }

    @Test
    void onlyStoppingAndAnUnavailableStoreSayRetryAfter() {
        for (ErrorCode code : ErrorCode.values()) {
            boolean retryable = code == ErrorCode.SHUTTING_DOWN || code == ErrorCode.STORAGE_UNAVAILABLE;
            assertEquals(retryable, TusErrors.retryLater(code), code::name);
        }
    }

    @Test
    void anUnsupportedVersionNamesTheVersionsSpokenAndNothingElseAddsHeaders() {
        assertEquals(Map.of("Tus-Version", "1.0.0"), TusErrors.headers(ErrorCode.UNSUPPORTED_VERSION));
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNSUPPORTED_VERSION) {
                assertTrue(TusErrors.headers(code).isEmpty(), code::name);
            }
        }
    }

    @Test
    void everyRefusalHasAShortReason() {
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(!code.reason().isBlank() && code.reason().length() < 100, code::name);
            assertEquals(code.reason(), new UploadException(code).getMessage());
        }
    }
}
