package org.resumableupload.core;

import java.util.OptionalLong;

/**
 * A refused request. Carries its {@link ErrorCode} and, where the client needs it to carry on, the
 * offset the store holds.
 */
public final class UploadException extends Exception {
    private final ErrorCode code;
    private final long storedOffset;

    public UploadException(ErrorCode code) {
        this(code, code.reason(), -1, null);
    }

    public UploadException(ErrorCode code, String detail) {
        this(code, detail, -1, null);
    }

    public UploadException(ErrorCode code, long storedOffset) {
        this(code, code.reason(), storedOffset, null);
    }

    public UploadException(ErrorCode code, long storedOffset, Throwable cause) {
        this(code, code.reason(), storedOffset, cause);
    }

    private UploadException(ErrorCode code, String detail, long storedOffset, Throwable cause) {
        super(detail, cause, false, false);
        this.code = code;
        this.storedOffset = storedOffset;
    }

    public ErrorCode code() {
        return code;
    }

    /** The offset the store holds after this refusal, when the client should resume from it. */
    public OptionalLong storedOffset() {
        return storedOffset >= 0 ? OptionalLong.of(storedOffset) : OptionalLong.empty();
    }
}
