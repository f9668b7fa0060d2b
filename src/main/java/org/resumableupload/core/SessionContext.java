package org.resumableupload.core;

import java.io.IOException;
import java.time.Instant;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.UploadId;

/**
 * What a {@link WriteSession} needs from the core around it: settings, time, completion, and the
 * upload's lock, released when the session ends.
 */
final class SessionContext {
    private final Uploads uploads;
    private final Locker.Lock lock;
    private final boolean startsOver;
    private final long storedBefore;

    SessionContext(Uploads uploads, Locker.Lock lock, boolean startsOver, long storedBefore) {
        this.uploads = uploads;
        this.lock = lock;
        this.startsOver = startsOver;
        this.storedBefore = storedBefore;
    }

    UploadSettings settings() {
        return uploads.settings();
    }

    Instant now() {
        return uploads.now();
    }

    /** True for an article start-over, whose new bytes replace what is stored only at its first commit. */
    boolean startsOver() {
        return startsOver;
    }

    /** What the store held when the session began (the answer while a start-over committed nothing). */
    long storedBefore() {
        return storedBefore;
    }

    CompletedRecord complete(UploadId id, byte[] sha256) throws IOException {
        return uploads.completeLocked(id, sha256);
    }

    /** The refusal for the store's failure {@code e}, carrying {@code storedOffset} ({@link StorageErrors}). */
    UploadException storageError(IOException e, long storedOffset) {
        return uploads.storageError(e, storedOffset);
    }

    void ended(WriteSession session) {
        uploads.ended(session);
        lock.release();
    }
}
