package org.resumableupload.core;

import java.util.Locale;

/**
 * Every way a request can be refused, for every front end: the one set of codes. A code says what
 * went wrong, never how a protocol answers it; each front end has its one table from code to status
 * and headers, and writes {@link #id()} in its error bodies so that clients can act on the code
 * instead of on the reason's text.
 */
public enum ErrorCode {
    /** A header or the request line is malformed, or a required header is missing. */
    MALFORMED_REQUEST("malformed request"),
    /** The protocol version the client asked for is not one this server speaks. */
    UNSUPPORTED_VERSION("unsupported protocol version"),
    /** The body's media type is not the one the protocol requires. */
    UNSUPPORTED_MEDIA_TYPE("unsupported content type"),
    /** The request names a checksum algorithm this server does not support. */
    UNSUPPORTED_CHECKSUM("unsupported checksum algorithm"),
    /** The body's checksum differs from the one the request declared; the body was discarded. */
    CHECKSUM_MISMATCH("the body does not match its checksum; it was discarded"),
    /** The client's key for its upload (the article's X-File-Id) is missing. */
    MISSING_UPLOAD_KEY("X-File-Id header is required"),
    /** The client's key for its upload is longer than the server accepts. */
    UPLOAD_KEY_TOO_LONG("X-File-Id is too long"),
    /** The request body ended before its declared length; what arrived is kept. */
    BODY_INCOMPLETE("the request body ended early; what arrived is kept"),
    /** No such upload for this owner (another owner's upload is reported the same way). */
    NOT_FOUND("no such upload"),
    /** The method is not one this resource answers. */
    METHOD_NOT_ALLOWED("method not allowed"),
    /** The request sent nothing for too long and was stopped; what was stored is kept. */
    IDLE_TIMEOUT("no bytes arrived for too long; what was stored is kept"),
    /** The request's offset is not the stored offset; nothing changed. */
    OFFSET_MISMATCH("the offset does not match the stored offset"),
    /** The request declares a length that differs from the length declared earlier. */
    LENGTH_MISMATCH("the length differs from the length declared earlier"),
    /** A newer request for this upload took over; what this one stored is kept. */
    SUPERSEDED("a newer request for this upload took over"),
    /** Another request holds the upload and did not let go in time. */
    BUSY("the upload is busy with another request"),
    /** The upload would be larger than the server's maximum size. */
    TOO_LARGE("upload exceeds the maximum upload size"),
    /** The body goes past the upload's declared length; it was discarded. */
    PAST_LENGTH("the body goes past the upload's declared length"),
    /** A request meant to complete the upload ends before its declared length. */
    SHORT_OF_LENGTH("the upload would complete before its declared length"),
    /** The metadata is larger than the server accepts. */
    METADATA_TOO_LARGE("upload metadata is too large"),
    /** The upload is complete and takes no more bytes. */
    ALREADY_COMPLETE("the upload is already complete"),
    /** The upload's bytes cannot be read yet: it is not complete. */
    NOT_COMPLETE("the upload is not complete yet"),
    /** A final (concatenated) upload takes no appended bytes. */
    FINAL_UPLOAD_IMMUTABLE("a concatenated upload cannot be appended to"),
    /** A concatenation names an upload that is not a complete partial upload of this owner. */
    PARTS_NOT_READY("every part of a concatenation must be a complete partial upload"),
    /** The requested range lies outside the file. */
    RANGE_NOT_SATISFIABLE("range not satisfiable"),
    /** The storage medium failed. */
    STORAGE_FAILURE("storage error"),
    /**
     * The storage service could not be reached or did not answer in time; nothing of the failed
     * operation counts, what was stored before is kept, and the same request may succeed later.
     */
    STORAGE_UNAVAILABLE("storage is unavailable; what was stored is kept, retry later"),
    /** The server is stopping; what was stored is kept. */
    SHUTTING_DOWN("server is shutting down; what was stored is kept"),
    /** Not enough free space for the body above the reserve. */
    INSUFFICIENT_STORAGE("not enough free disk space");

    private final String reason;

    ErrorCode(String reason) {
        this.reason = reason;
    }

    /** The machine-readable code, e.g. {@code offset-mismatch}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The short reason sent in the response body. */
    public String reason() {
        return reason;
    }
}
