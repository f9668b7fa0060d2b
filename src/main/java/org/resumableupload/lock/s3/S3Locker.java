package org.resumableupload.lock.s3;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.Locker;
import org.resumableupload.core.UploadException;
import org.resumableupload.store.UploadId;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@link Locker} of several nodes sharing a bucket: each lock is an object under {@code
 * <prefix>locks/}, written only with compare-and-set, holding its holder's token, a renewal counter
 * and the token of the newest request that wants it.
 *
 * <ul>
 * <li>The holder renews every third of the lease. A newer request writes its token as "wanted"; the
 * holder's next renewal fails its compare-and-set, reads why, and asks its request to let go (the
 * takeover rule of {@link Locker}), which then frees the lock.</li>
 * <li>A holder whose renewal counter has not moved for a whole lease, as measured on the waiting
 * node's own monotonic clock, is dead (killed, partitioned): the waiter takes the lock over. No node
 * compares another node's clock, so clock skew does not matter.</li>
 * <li>A waiter that sees another token as "wanted" was overtaken by a newer request: SUPERSEDED.</li>
 * </ul>
 * A holder that was presumed dead (a pause longer than the lease) learns it at its next renewal and is
 * asked to let go; until then the store's compare-and-set records keep it from overwriting the new
 * holder's commits.
 */
public final class S3Locker implements Locker, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(S3Locker.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How often a waiting request looks at the lock. */
    static final Duration POLL = Duration.ofMillis(100);
    /** Housekeeping treats a lock as abandoned when its holder's wall clock is this many leases old. */
    private static final int ABANDONED_LEASES = 10;

    private final LockObjects objects;
    private final String prefix;
    private final Duration lease;
    private final ScheduledExecutorService renewals;
    private final ExecutorService releases;

    /**
     * @param prefix where the lock objects go, e.g. {@code resumable-upload/locks/}
     * @param lease  how long a lock outlives its holder's last renewal
     */
    public S3Locker(S3Client s3, String bucket, String prefix, Duration lease) {
        this.objects = new LockObjects(s3, bucket);
        this.prefix = prefix;
        this.lease = lease;
        this.renewals = Executors.newScheduledThreadPool(2, daemon("upload-lock-renewal"));
        this.releases = Executors.newCachedThreadPool(daemon("upload-lock-release"));
    }

    @Override
    public Lock lock(UploadId id, Runnable onReleaseRequested, Duration wait) throws UploadException {
        String key = prefix + id.value();
        String token = newToken();
        long deadline = System.nanoTime() + wait.toNanos();
        boolean announced = false;
        String seen = null;
        long seenSince = 0;
        while (true) {
            LockObjects.Read read = readOrBusy(key).orElse(null);
            LockObjects.State state = read == null ? null : read.state();
            if (announced && state != null && !token.equals(state.wanted())) {
                throw new UploadException(ErrorCode.SUPERSEDED); // a newer request came after this one
            }
            if (state == null || state.free()) {
                Optional<HeldLock> taken = take(key, token, read, onReleaseRequested);
                if (taken.isPresent()) {
                    return taken.get();
                }
                continue; // another write came first: look again
            }
            String holderNow = state.holder() + "@" + state.seq();
            if (!holderNow.equals(seen)) {
                seen = holderNow;
                seenSince = System.nanoTime();
            } else if (System.nanoTime() - seenSince > lease.toNanos()) {
                // The holder stopped renewing a whole lease ago by this node's clock: it is dead.
                Optional<HeldLock> taken = take(key, token, read, onReleaseRequested);
                if (taken.isPresent()) {
                    LOG.fine(() -> "took over the lock of " + id + " from a holder that stopped renewing");
                    return taken.get();
                }
                continue;
            }
            if (!announced) {
                // Ask the holder to let go: its next renewal sees this token.
                announced = writeOrBusy(key, state.wantedBy(token), read.etag()).isPresent();
                if (!announced) {
                    continue;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new UploadException(ErrorCode.BUSY);
            }
            pause();
        }
    }

    @Override
    public Optional<Lock> tryLock(UploadId id) {
        return tryLockKey(prefix + id.value());
    }

    @Override
    public Optional<Lock> tryLockHousekeeping() {
        return tryLockKey(prefix + "housekeeping");
    }

    private Optional<Lock> tryLockKey(String key) {
        try {
            Optional<LockObjects.Read> read = objects.read(key);
            if (read.isPresent() && !read.get().state().free()) {
                LockObjects.State state = read.get().state();
                long age = System.currentTimeMillis() - state.renewedAt();
                if (state.wanted() != null || age < lease.toMillis() * ABANDONED_LEASES) {
                    return Optional.empty(); // held (or wanted): housekeeping disturbs nobody
                }
            }
            return take(key, newToken(), read.orElse(null), () -> { }).map(Lock.class::cast);
        } catch (LockObjects.Unavailable | UploadException e) {
            return Optional.empty();
        }
    }

    /** Writes {@code token} as the holder over {@code read} (null: no object yet); empty if another write won. */
    private Optional<HeldLock> take(String key, String token, LockObjects.Read read, Runnable onReleaseRequested)
            throws UploadException {
        Optional<String> etag = writeOrBusy(key, LockObjects.State.heldBy(token), read == null ? null : read.etag());
        if (etag.isEmpty()) {
            return Optional.empty();
        }
        HeldLock held = new HeldLock(key, token, etag.get(), onReleaseRequested);
        held.schedule();
        return Optional.of(held);
    }

    private Optional<LockObjects.Read> readOrBusy(String key) throws UploadException {
        try {
            return objects.read(key);
        } catch (LockObjects.Unavailable e) {
            throw new UploadException(ErrorCode.BUSY, -1, e);
        }
    }

    private Optional<String> writeOrBusy(String key, LockObjects.State state, String etag) throws UploadException {
        try {
            return objects.write(key, state, etag);
        } catch (LockObjects.Unavailable e) {
            throw new UploadException(ErrorCode.BUSY, -1, e);
        }
    }

    private static void pause() throws UploadException {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadException(ErrorCode.SHUTTING_DOWN);
        }
    }

    /** Stops renewing: held locks expire after the lease (a node shutting down has stopped its writers). */
    @Override
    public void close() {
        renewals.shutdownNow();
        releases.shutdown();
    }

    private static String newToken() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A held lock: renewed until released, and asked to let go when someone wants it. */
    private final class HeldLock implements Lock {
        private final String key;
        private final String token;
        private final Runnable onReleaseRequested;
        private String etag;
        private LockObjects.State state;
        private long lastRenewed = System.nanoTime();
        private boolean released;
        private boolean releaseAsked;
        private java.util.concurrent.ScheduledFuture<?> renewing;

        HeldLock(String key, String token, String etag, Runnable onReleaseRequested) {
            this.key = key;
            this.token = token;
            this.etag = etag;
            this.state = LockObjects.State.heldBy(token);
            this.onReleaseRequested = onReleaseRequested;
        }

        void schedule() {
            long every = Math.max(1, lease.toMillis() / 3);
            renewing = renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        }

        private synchronized void renew() {
            if (released) {
                return;
            }
            try {
                LockObjects.State next = state.renewed();
                Optional<String> written = objects.write(key, next, etag);
                if (written.isPresent()) {
                    etag = written.get();
                    state = next;
                    lastRenewed = System.nanoTime();
                    return;
                }
                Optional<LockObjects.Read> read = objects.read(key);
                if (read.isEmpty() || !token.equals(read.get().state().holder())) {
                    renewing.cancel(false); // taken over: presumed dead after a pause
                    askToLetGo();
                    return;
                }
                etag = read.get().etag();
                state = read.get().state();
                lastRenewed = System.nanoTime();
                if (state.wanted() != null && !token.equals(state.wanted())) {
                    askToLetGo();
                }
            } catch (LockObjects.Unavailable e) {
                if (System.nanoTime() - lastRenewed > lease.toNanos()) {
                    askToLetGo(); // it can no longer be proven held
                }
            }
        }

        private void askToLetGo() {
            if (!releaseAsked) {
                releaseAsked = true;
                releases.execute(onReleaseRequested);
            }
        }

        @Override
        public synchronized void release() {
            if (released) {
                return;
            }
            released = true;
            if (renewing != null) {
                renewing.cancel(false);
            }
            try {
                for (int attempt = 0; attempt < 3; attempt++) {
                    if (objects.write(key, state.released(), etag).isPresent()) {
                        return;
                    }
                    Optional<LockObjects.Read> read = objects.read(key);
                    if (read.isEmpty() || !Objects.equals(token, read.get().state().holder())) {
                        return; // not ours any more
                    }
                    etag = read.get().etag();
                    state = read.get().state();
                }
            } catch (LockObjects.Unavailable e) {
                LOG.log(Level.FINE, "could not free " + key + "; it expires after the lease", e);
            }
        }
    }
}
