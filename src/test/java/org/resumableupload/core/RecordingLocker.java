package org.resumableupload.core;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.resumableupload.store.UploadId;

/**
 * A {@link MemoryLocker} for tests: counts the locks asked for, waits at most {@link #wait} for a holder
 * (so that BUSY takes milliseconds, not {@link Uploads#LOCK_WAIT}), and can ask the next lock's holder
 * to let go right after it got the lock (a newer request arriving before the session exists).
 */
final class RecordingLocker implements Locker {
    final MemoryLocker memory = new MemoryLocker();
    final AtomicInteger locksAsked = new AtomicInteger();
    private final AtomicBoolean releaseNextAtOnce = new AtomicBoolean();
    private final Duration wait;

    RecordingLocker(Duration wait) {
        this.wait = wait;
    }

    /** The next lock granted is asked to let go before {@link #lock} returns it. */
    void requestReleaseOfTheNextLockAtOnce() {
        releaseNextAtOnce.set(true);
    }

    @Override
    public Lock lock(UploadId id, Runnable onReleaseRequested, Duration requestedWait) throws UploadException {
        locksAsked.incrementAndGet();
        Lock lock = memory.lock(id, onReleaseRequested, wait.compareTo(requestedWait) < 0 ? wait : requestedWait);
        if (releaseNextAtOnce.compareAndSet(true, false)) {
            onReleaseRequested.run();
        }
        return lock;
    }

    @Override
    public Optional<Lock> tryLock(UploadId id) {
        return memory.tryLock(id);
    }

    @Override
    public Optional<Lock> tryLockHousekeeping() {
        return memory.tryLockHousekeeping();
    }
}
