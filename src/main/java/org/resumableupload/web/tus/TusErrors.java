package org.resumableupload.web.tus;

import java.util.Map;

/**
 * The one table from a refusal to the status the tus front end answers it with, and the headers that
 * status requires. Statuses follow tus 1.0.0 where it names one (412, 415, 409, 460, 400 for an
 * unsupported checksum algorithm, 413, 403 for a PATCH on a final upload, 404); the rest are the HTTP
 * statuses that say the same thing.
 */
public final class TusErrors {
    /** 460 has no name in HTTP; tus 1.0.0 calls it "Checksum Mismatch". */
    public static final int CHECKSUM_MISMATCH_STATUS = 460;

    private TusErrors() {
    }

    /** The HTTP status for {@code code}. */
    public static int status(TusRefusal code) {
        return switch (code) {
            case MALFORMED_REQUEST, UNSUPPORTED_CHECKSUM, METADATA_TOO_LARGE -> 400;
            // Terminal 400s, not 409: tus-js-client retries 409 and would retry these for ever.
            case LENGTH_MISMATCH, INCOMPLETE_PARTS -> 400;
            case FINAL_UPLOAD_IMMUTABLE -> 403;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case IDLE_TIMEOUT -> 408;
            case OFFSET_MISMATCH, SUPERSEDED -> 409;
            case UNSUPPORTED_VERSION -> 412;
            case PAST_LENGTH, TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case RANGE_NOT_SATISFIABLE -> 416;
            case BUSY -> 423;
            case CHECKSUM_MISMATCH -> CHECKSUM_MISMATCH_STATUS;
            case STORAGE_FAILURE -> 500;
            case SHUTTING_DOWN -> 503;
            case INSUFFICIENT_STORAGE -> 507;
        };
    }

    /**
     * Headers the refusal must carry besides {@code Tus-Resumable} (which every answer has): a 412
     * names the versions this server speaks. {@code Allow} for a 405 depends on the resource, so the
     * caller adds it.
     */
    public static Map<String, String> headers(TusRefusal code) {
        return code == TusRefusal.UNSUPPORTED_VERSION ? Map.of(TusHeaders.TUS_VERSION, TusHeaders.VERSION) : Map.of();
    }
}
