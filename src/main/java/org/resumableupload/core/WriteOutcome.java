package org.resumableupload.core;

import java.util.Optional;
import org.resumableupload.store.CompletedRecord;

/**
 * What a request's body did to its upload.
 *
 * @param offset    bytes durably stored now
 * @param completed the completed upload if this request completed it (or it was already complete)
 */
public record WriteOutcome(long offset, Optional<CompletedRecord> completed) {

    public boolean isComplete() {
        return completed.isPresent();
    }
}
