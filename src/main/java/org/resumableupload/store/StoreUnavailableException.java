package org.resumableupload.store;

import java.io.IOException;

/**
 * The storage service could not be reached, or did not answer in time, or asked to be called later:
 * a transient failure. Nothing of the failed operation counts (a commit that throws it leaves the
 * previous commit holding); the same call may succeed later. A store whose medium is a network service
 * (an object store) throws it from any method; a local disk store never does.
 */
public class StoreUnavailableException extends IOException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
