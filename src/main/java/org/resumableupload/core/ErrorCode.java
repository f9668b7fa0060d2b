package org.resumableupload.core;

/**
 * Every way a request can be refused, with the HTTP status each front end answers it with. This is the
 * one error table of the project: servlets never write a status code of their own.
 */
public enum ErrorCode {
    MISSING_FILE_ID(400, "X-File-Id header is required"),
    FILE_ID_TOO_LONG(400, "X-File-Id is too long"),
    MALFORMED_HEADER(400, "malformed header"),
    BAD_DIGEST_HEADER(400, "Content-Digest must carry sha-256 as an RFC 9530 byte sequence"),
    DIGEST_MISMATCH(400, "Content-Digest does not match the body; the chunk was discarded"),
    BODY_INCOMPLETE(400, "the request body ended early; what arrived is kept"),
    NOT_FOUND(404, "no such upload"),
    METHOD_NOT_ALLOWED(405, "method not allowed"),
    IDLE_TIMEOUT(408, "no bytes arrived for too long; what was stored is kept"),
    OFFSET_MISMATCH(409, "X-Start-Byte does not match the stored offset"),
    SIZE_MISMATCH(409, "X-File-Size differs from the size declared earlier"),
    SUPERSEDED(409, "a newer request for this upload took over"),
    TOO_LARGE(413, "upload exceeds the maximum upload size"),
    PAST_DECLARED_SIZE(413, "body goes past the declared X-File-Size"),
    RANGE_NOT_SATISFIABLE(416, "range not satisfiable"),
    STORAGE_FAILURE(500, "storage error"),
    SHUTTING_DOWN(503, "server is shutting down; what was stored is kept"),
    INSUFFICIENT_STORAGE(507, "not enough free disk space");

    private final int httpStatus;
    private final String reason;

    ErrorCode(int httpStatus, String reason) {
        this.httpStatus = httpStatus;
        this.reason = reason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The short reason sent as the response body. */
    public String reason() {
        return reason;
    }
}
