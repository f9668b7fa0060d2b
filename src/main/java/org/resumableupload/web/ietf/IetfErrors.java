package org.resumableupload.web.ietf;

import org.resumableupload.core.ErrorCode;

/**
 * The IETF front end's one error table: the status each core code is answered with, and the RFC 9457
 * problem type of its body. The draft names two: a mismatching offset (409) and an inconsistent
 * length (400: a changed {@code Upload-Length}, a completing append that ends short, a body past the
 * length, content for a completed upload). Every other refusal is {@code about:blank} with the core's
 * code as the {@code code} member.
 */
final class IetfErrors {
    static final String MISMATCHING_OFFSET = "https://iana.org/assignments/http-problem-types#mismatching-upload-offset";
    static final String INCONSISTENT_LENGTH = "https://iana.org/assignments/http-problem-types#inconsistent-upload-length";
    static final String ABOUT_BLANK = "about:blank";

    private IetfErrors() {
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case MALFORMED_REQUEST, UNSUPPORTED_CHECKSUM, CHECKSUM_MISMATCH, METADATA_TOO_LARGE,
                 MISSING_UPLOAD_KEY, UPLOAD_KEY_TOO_LONG, BODY_INCOMPLETE, UNSUPPORTED_VERSION,
                 FINAL_UPLOAD_IMMUTABLE, PARTS_NOT_READY -> 400;
            case LENGTH_MISMATCH, PAST_LENGTH, SHORT_OF_LENGTH, ALREADY_COMPLETE -> 400;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case IDLE_TIMEOUT -> 408;
            // A superseded request's client has given it up; it learns the offset as after a mismatch.
            case OFFSET_MISMATCH, SUPERSEDED, NOT_COMPLETE -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case RANGE_NOT_SATISFIABLE -> 416;
            case STORAGE_FAILURE -> 500;
            // Retryable by the draft's rules (5xx may be retried), with Retry-After.
            case BUSY, SHUTTING_DOWN, STORAGE_UNAVAILABLE -> 503;
            case INSUFFICIENT_STORAGE -> 507;
        };
    }

    static String problemType(ErrorCode code) {
        return switch (code) {
            case OFFSET_MISMATCH -> MISMATCHING_OFFSET;
            case LENGTH_MISMATCH, PAST_LENGTH, SHORT_OF_LENGTH, ALREADY_COMPLETE -> INCONSISTENT_LENGTH;
            default -> ABOUT_BLANK;
        };
    }

    /** Whether the answer says when to try again ({@code Retry-After}): every 503, which may pass soon. */
    static boolean retryLater(ErrorCode code) {
        return status(code) == 503;
    }

    /** Whether the answer carries {@code Upload-Limit} (a refusal because a limit was violated). */
    static boolean namesLimits(ErrorCode code) {
        return code == ErrorCode.TOO_LARGE;
    }
}
