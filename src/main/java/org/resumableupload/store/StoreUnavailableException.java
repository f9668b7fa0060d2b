package org.resumableupload.store;

import java.io.IOException;

/**
 * The storage service could not be reached or did not answer in time: a transient unavailability,
 * not a broken medium. Nothing of the failed operation is visible: a failed {@link Appender#commit}
 * leaves the previous commit in force, a failed {@link UploadStore#complete} leaves the part as it
 * was, a failed read or listing changed nothing. The caller may retry the operation later, when the
 * service is back; what was stored before it is kept.
 *
 * <p>A store MAY throw it from any method of {@link UploadStore} and {@link Appender} (an object
 * store does when its service times out or refuses connections); a store on a local disk never does:
 * its failures are plain {@link IOException}s. It may also arrive as the cause of another
 * {@link IOException}. Subclasses say why in more detail (a conditional write lost to another
 * writer, for instance).
 */
public class StoreUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be reached, for logs (never shown to clients)
     * @param cause   the client library's failure (a timeout, a refused connection, a 503), or null
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what could not be reached, for logs (never shown to clients) */
    public StoreUnavailableException(String message) {
        super(message);
    }
}
