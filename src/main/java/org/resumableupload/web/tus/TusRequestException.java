package org.resumableupload.web.tus;

import java.util.Objects;

/**
 * A tus request refused while its headers were read: the {@link TusRefusal} that says why (and so,
 * through {@link TusErrors}, the status) and a short reason fit for the response body. The reason
 * never quotes more of the request than a validated, shortened token.
 */
public final class TusRequestException extends Exception {
    private final TusRefusal code;

    public TusRequestException(TusRefusal code) {
        this(code, code.reason());
    }

    public TusRequestException(TusRefusal code, String reason) {
        super(reason, null, false, false);
        this.code = Objects.requireNonNull(code);
    }

    public TusRefusal code() {
        return code;
    }
}
