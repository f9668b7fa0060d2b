package org.resumableupload.web.article;

import jakarta.servlet.http.HttpServletResponse;
import org.resumableupload.core.ErrorCode;

/**
 * The article protocol's one error table: the status of each core code, and the wording its clients
 * have always seen where the article names its own headers.
 */
final class ArticleErrors {
    private ArticleErrors() {
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case MALFORMED_REQUEST, UNSUPPORTED_VERSION, UNSUPPORTED_CHECKSUM, CHECKSUM_MISMATCH,
                 MISSING_UPLOAD_KEY, UPLOAD_KEY_TOO_LONG, BODY_INCOMPLETE, METADATA_TOO_LARGE,
                 SHORT_OF_LENGTH, PARTS_NOT_READY -> HttpServletResponse.SC_BAD_REQUEST;
            case NOT_FOUND -> HttpServletResponse.SC_NOT_FOUND;
            case METHOD_NOT_ALLOWED -> HttpServletResponse.SC_METHOD_NOT_ALLOWED;
            case IDLE_TIMEOUT -> HttpServletResponse.SC_REQUEST_TIMEOUT;
            case OFFSET_MISMATCH, LENGTH_MISMATCH, SUPERSEDED, FINAL_UPLOAD_IMMUTABLE, NOT_COMPLETE ->
                    HttpServletResponse.SC_CONFLICT;
            case UNSUPPORTED_MEDIA_TYPE -> HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE;
            case TOO_LARGE, PAST_LENGTH, ALREADY_COMPLETE -> HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE;
            case RANGE_NOT_SATISFIABLE -> HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE;
            case STORAGE_FAILURE -> HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
            case BUSY, SHUTTING_DOWN, STORAGE_UNAVAILABLE -> HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            case INSUFFICIENT_STORAGE -> 507;
        };
    }

    /** Whether the answer says when to try again ({@code Retry-After}): every 503, which may pass soon. */
    static boolean retryLater(ErrorCode code) {
        return status(code) == HttpServletResponse.SC_SERVICE_UNAVAILABLE;
    }

    /** The article's wording of a core reason, where it names the article's headers. */
    static String reason(ErrorCode code) {
        return switch (code) {
            case OFFSET_MISMATCH -> "X-Start-Byte does not match the stored offset";
            case LENGTH_MISMATCH -> "X-File-Size differs from the size declared earlier";
            case PAST_LENGTH, ALREADY_COMPLETE -> "body goes past the declared X-File-Size";
            case CHECKSUM_MISMATCH -> "Content-Digest does not match the body; the chunk was discarded";
            default -> code.reason();
        };
    }
}
