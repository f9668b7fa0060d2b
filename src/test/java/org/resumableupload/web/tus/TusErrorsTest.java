package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TusErrorsTest {
    /** The table as tus 1.0.0 and the issue state it, written out once more so a change shows here. */
    private static final Map<TusRefusal, Integer> EXPECTED = new EnumMap<>(Map.ofEntries(
            Map.entry(TusRefusal.MALFORMED_REQUEST, 400),
            Map.entry(TusRefusal.UNSUPPORTED_VERSION, 412),
            Map.entry(TusRefusal.UNSUPPORTED_MEDIA_TYPE, 415),
            Map.entry(TusRefusal.UNSUPPORTED_CHECKSUM, 400),
            Map.entry(TusRefusal.CHECKSUM_MISMATCH, 460),
            Map.entry(TusRefusal.OFFSET_MISMATCH, 409),
            Map.entry(TusRefusal.LENGTH_MISMATCH, 400),
            Map.entry(TusRefusal.PAST_LENGTH, 413),
            Map.entry(TusRefusal.TOO_LARGE, 413),
            Map.entry(TusRefusal.METADATA_TOO_LARGE, 400),
            Map.entry(TusRefusal.NOT_FOUND, 404),
            Map.entry(TusRefusal.METHOD_NOT_ALLOWED, 405),
            Map.entry(TusRefusal.FINAL_UPLOAD_IMMUTABLE, 403),
            Map.entry(TusRefusal.INCOMPLETE_PARTS, 400),
            Map.entry(TusRefusal.BUSY, 423),
            Map.entry(TusRefusal.SUPERSEDED, 409),
            Map.entry(TusRefusal.IDLE_TIMEOUT, 408),
            Map.entry(TusRefusal.SHUTTING_DOWN, 503),
            Map.entry(TusRefusal.INSUFFICIENT_STORAGE, 507),
            Map.entry(TusRefusal.STORAGE_FAILURE, 500),
            Map.entry(TusRefusal.RANGE_NOT_SATISFIABLE, 416)));

    @Test
    void everyRefusalHasTheStatusTheTableStates() {
        assertEquals(TusRefusal.values().length, EXPECTED.size(), "a new refusal needs a row here");
        for (TusRefusal code : TusRefusal.values()) {
            assertEquals(EXPECTED.get(code), TusErrors.status(code), code::name);
        }
    }

    @Test
    void onlyServerSideTroubleIsA5xx() {
        for (TusRefusal code : TusRefusal.values()) {
            boolean serverSide = code == TusRefusal.STORAGE_FAILURE || code == TusRefusal.SHUTTING_DOWN
                    || code == TusRefusal.INSUFFICIENT_STORAGE;
            assertEquals(serverSide, TusErrors.status(code) >= 500, code::name);
        }
    }

    @Test
    void anUnsupportedVersionNamesTheVersionsSpokenAndNothingElseAddsHeaders() {
        assertEquals(Map.of("Tus-Version", "1.0.0"), TusErrors.headers(TusRefusal.UNSUPPORTED_VERSION));
        for (TusRefusal code : TusRefusal.values()) {
            if (code != TusRefusal.UNSUPPORTED_VERSION) {
                assertTrue(TusErrors.headers(code).isEmpty(), code::name);
            }
        }
    }

    @Test
    void everyRefusalHasAShortReason() {
        for (TusRefusal code : TusRefusal.values()) {
            assertTrue(!code.reason().isBlank() && code.reason().length() < 100, code::name);
            assertEquals(code.reason(), new TusRequestException(code).getMessage());
        }
    }
}
