package org.resumableupload.web.tus;

/**
 * Why a tus request is refused: the names the core's planned {@code ErrorCode} will have, so that
 * {@link TusErrors} can switch over either. This enum stands in for that core enum until it exists;
 * once the core has these codes, the front end uses them and this file goes.
 */
public enum TusRefusal {
    MALFORMED_REQUEST("malformed request"),
    UNSUPPORTED_VERSION("unsupported Tus-Resumable version; this server speaks " + TusHeaders.VERSION),
    UNSUPPORTED_MEDIA_TYPE("Content-Type must be " + TusHeaders.OFFSET_OCTET_STREAM),
    UNSUPPORTED_CHECKSUM("unsupported Upload-Checksum algorithm"),
    CHECKSUM_MISMATCH("Upload-Checksum does not match the body; nothing of it was stored"),
    OFFSET_MISMATCH("Upload-Offset does not match the stored offset"),
    LENGTH_MISMATCH("Upload-Length differs from the length declared earlier"),
    PAST_LENGTH("the body goes past Upload-Length"),
    TOO_LARGE("the upload exceeds Tus-Max-Size"),
    METADATA_TOO_LARGE("Upload-Metadata is too large"),
    NOT_FOUND("no such upload"),
    METHOD_NOT_ALLOWED("method not allowed"),
    FINAL_UPLOAD_IMMUTABLE("a final upload cannot be patched"),
    INCOMPLETE_PARTS("a partial upload of the final upload is not complete"),
    BUSY("the upload is busy"),
    SUPERSEDED("a newer request for this upload took over"),
    IDLE_TIMEOUT("no bytes arrived for too long; what was stored is kept"),
    SHUTTING_DOWN("the server is shutting down; what was stored is kept"),
    INSUFFICIENT_STORAGE("not enough free storage"),
    STORAGE_FAILURE("storage error"),
    RANGE_NOT_SATISFIABLE("range not satisfiable");

    private final String reason;

    TusRefusal(String reason) {
        this.reason = reason;
    }

    /** A short reason for a response body when nothing more precise is known. */
    public String reason() {
        return reason;
    }
}
