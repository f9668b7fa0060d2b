package org.resumableupload.web.tus;

import java.util.Map;
import org.resumableupload.core.ErrorCode;

/**
 * The tus front end's one error table: the status each core code is answered with, the headers that
 * status requires, and tus's wording of a reason where it names tus headers. Statuses follow tus 1.0.0
 * where it names one (412, 415, 409, 460, 400 for an unsupported checksum algorithm, 413, 403 for a
 * PATCH on a final upload, 404); the rest are the HTTP statuses that say the same thing.
 */
public final class TusErrors {
    /** 460 has no name in HTTP; tus 1.0.0 calls it "Checksum Mismatch". */
    public static final int CHECKSUM_MISMATCH_STATUS = 460;

    private TusErrors() {
    }

    /** The HTTP status for {@code code}. */
    public static int status(ErrorCode code) {
        return switch (code) {
            case MALFORMED_REQUEST, UNSUPPORTED_CHECKSUM, METADATA_TOO_LARGE, MISSING_UPLOAD_KEY,
                 UPLOAD_KEY_TOO_LONG, BODY_INCOMPLETE, SHORT_OF_LENGTH -> 400;
            // Terminal 400s, not 409: tus-js-client retries 409 and would retry these for ever.
            case LENGTH_MISMATCH, PARTS_NOT_READY -> 400;
            case FINAL_UPLOAD_IMMUTABLE -> 403;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case IDLE_TIMEOUT -> 408;
            case OFFSET_MISMATCH, SUPERSEDED, NOT_COMPLETE -> 409;
            case UNSUPPORTED_VERSION -> 412;
            case PAST_LENGTH, TOO_LARGE, ALREADY_COMPLETE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case RANGE_NOT_SATISFIABLE -> 416;
            case BUSY -> 423;
            case CHECKSUM_MISMATCH -> CHECKSUM_MISMATCH_STATUS;
            case STORAGE_FAILURE -> 500;
            case SHUTTING_DOWN, STORAGE_UNAVAILABLE -> 503;
            case INSUFFICIENT_STORAGE -> 507;
        };
    }

    /**
     * Whether the answer says when to try again ({@code Retry-After}): every 503, which may pass soon
     * (tus-js-client retries any 5xx; a 423 is retried too, but {@code Retry-After} is not for it).
     */
    public static boolean retryLater(ErrorCode code) {
        return status(code) == 503;
    }

    /** tus's wording of a core reason, where it names tus headers. */
    public static String reason(ErrorCode code) {
        return switch (code) {
            case UNSUPPORTED_VERSION -> "unsupported Tus-Resumable version; this server speaks " + TusHeaders.VERSION;
            case UNSUPPORTED_MEDIA_TYPE -> "Content-Type must be " + TusHeaders.OFFSET_OCTET_STREAM;
            case UNSUPPORTED_CHECKSUM -> "unsupported Upload-Checksum algorithm";
            case CHECKSUM_MISMATCH -> "Upload-Checksum does not match the body; nothing of it was stored";
            case OFFSET_MISMATCH -> "Upload-Offset does not match the stored offset";
            case LENGTH_MISMATCH -> "Upload-Length differs from the length declared earlier";
            case PAST_LENGTH -> "the body goes past Upload-Length";
            case TOO_LARGE -> "the upload exceeds Tus-Max-Size";
            case METADATA_TOO_LARGE -> "Upload-Metadata is too large";
            case FINAL_UPLOAD_IMMUTABLE -> "a final upload cannot be patched";
            case PARTS_NOT_READY -> "a partial upload of the final upload is not complete";
            default -> code.reason();
        };
    }

    /**
     * Headers the refusal must carry besides {@code Tus-Resumable} (which every answer has): a 412
     * names the versions this server speaks. {@code Allow} for a 405 depends on the resource, so the
     * caller adds it.
     */
    public static Map<String, String> headers(ErrorCode code) {
        return code == ErrorCode.UNSUPPORTED_VERSION ? Map.of(TusHeaders.TUS_VERSION, TusHeaders.VERSION) : Map.of();
    }
}
