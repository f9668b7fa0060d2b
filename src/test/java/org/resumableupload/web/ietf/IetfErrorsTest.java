package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.resumableupload.core.ErrorCode;

/** The IETF front end's error table: a status for every code, the draft's two problem types. */
class IetfErrorsTest {
    private static final Set<ErrorCode> INCONSISTENT_LENGTH = EnumSet.of(ErrorCode.LENGTH_MISMATCH,
            ErrorCode.PAST_LENGTH, ErrorCode.SHORT_OF_LENGTH, ErrorCode.ALREADY_COMPLETE);

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeHasAnErrorStatus(ErrorCode code) {
        int status = IetfErrors.status(code);
        assertTrue(status >= 400 && status <= 599, code + ": " + status);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"OFFSET_MISMATCH, 409", "LENGTH_MISMATCH, 400", "PAST_LENGTH, 400", "SHORT_OF_LENGTH, 400",
        "ALREADY_COMPLETE, 400", "TOO_LARGE, 413", "UNSUPPORTED_MEDIA_TYPE, 415", "NOT_FOUND, 404",
        "METHOD_NOT_ALLOWED, 405", "MALFORMED_REQUEST, 400", "BUSY, 503", "SHUTTING_DOWN, 503",
        "INSUFFICIENT_STORAGE, 507", "SUPERSEDED, 409", "IDLE_TIMEOUT, 408", "BODY_INCOMPLETE, 400",
        "RANGE_NOT_SATISFIABLE, 416", "STORAGE_FAILURE, 500", "STORAGE_UNAVAILABLE, 503"})
    void theDraftsStatuses(ErrorCode code, int status) {
        assertEquals(status, IetfErrors.status(code));
    }

    @Test
    void anOffsetMismatchHasTheMismatchingUploadOffsetProblemType() {
        assertEquals("https://iana.org/assignments/http-problem-types#mismatching-upload-offset",
                IetfErrors.problemType(ErrorCode.OFFSET_MISMATCH));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyLengthConflictHasTheInconsistentUploadLengthProblemTypeAndEveryOtherCodeAboutBlank(ErrorCode code) {
        String types = "https://iana.org/assignments/http-problem-types";
        String expected = INCONSISTENT_LENGTH.contains(code) ? types + "#inconsistent-upload-length"
                : code == ErrorCode.OFFSET_MISMATCH ? types + "#mismatching-upload-offset"
                : "about:blank";
        assertEquals(expected, IetfErrors.problemType(code));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void onlyBusyShuttingDownAndAnUnavailableStoreSayWhenToRetryAndOnlyTooLargeNamesTheLimits(ErrorCode code) {
        assertEquals(code == ErrorCode.BUSY || code == ErrorCode.SHUTTING_DOWN
                || code == ErrorCode.STORAGE_UNAVAILABLE, IetfErrors.retryLater(code));
        assertEquals(code == ErrorCode.TOO_LARGE, IetfErrors.namesLimits(code));
    }
}
