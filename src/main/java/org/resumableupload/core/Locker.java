package org.resumableupload.core;

import java.time.Duration;
import java.util.Optional;
import org.resumableupload.store.UploadId;

/**
 * One writer per upload. Every front end changes an upload only while it holds the upload's lock, and
 * every front end follows the same takeover rule: a newer request asks the holder to let go (the
 * holder's release request runs; it stops, keeps what it stored and releases), then takes the lock.
 * The newest waiting request wins; an older one still waiting gives up. A distributed implementation
 * can replace the in-memory one ({@link MemoryLocker}) without the core noticing.
 *
 * <p>Locks are not bound to threads: a lock taken on one thread may be released on another (request
 * bodies are read asynchronously).
 */
public interface Locker {

    /**
     * Takes the lock of {@code id}, asking its holder, if any, to release it, and waiting up to
     * {@code wait} for that.
     *
     * @param onReleaseRequested run (on some other thread, at most once) when a newer request asks this
     *                           lock's holder to let go; it must lead to {@link Lock#release()} soon
     * @return the lock, held until released
     * @throws UploadException BUSY if the holder did not release within {@code wait}; SUPERSEDED if a
     *                         newer request for the same id arrived while this one waited
     */
    Lock lock(UploadId id, Runnable onReleaseRequested, Duration wait) throws UploadException;

    /**
     * Takes the lock of {@code id} only if nobody holds it, disturbing nobody (for housekeeping).
     *
     * @return the lock, or empty if it is held
     */
    Optional<Lock> tryLock(UploadId id);

    /**
     * Takes the lock of housekeeping that must run on one node at a time (the expiry sweep), only if
     * nobody holds it, disturbing nobody.
     *
     * @return the lock, or empty if another node (or thread) holds it
     */
    Optional<Lock> tryLockHousekeeping();

    /** A held lock. */
    interface Lock {
        /** Releases the lock; later calls do nothing. */
        void release();
    }
}
