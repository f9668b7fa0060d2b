package org.resumableupload.store.disk.powercut;

import java.io.IOException;

/** What every access to a {@link PowerCutDisk} throws while its power is out, or through a mount a cut ended. */
public final class PowerCutException extends IOException {
    private static final long serialVersionUID = 1L;

    PowerCutException(String message) {
        super(message);
    }
}
