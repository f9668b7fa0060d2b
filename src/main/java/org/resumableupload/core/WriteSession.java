package org.resumableupload.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedRecord;

/**
 * The one writer of an upload while a request's body streams in. Made by
 * {@link UploadRegistry#begin}; the front end feeds it the body with {@link #write}, then calls
 * {@link #finish} when the body arrived whole or {@link #abort} when it was cut.
 *
 * <p>Rules it keeps:
 * <ul>
 *   <li>A byte counts once committed: data forced, then the offset recorded. Commits happen at the end
 *       of the body, when the body is cut, when another request takes over, and, for a body of known
 *       length without a digest, once a background force has covered
 *       {@link UploadSettings#checkpointBytes()} uncommitted bytes (a checkpoint).</li>
 *   <li>While the body streams in, written bytes are forced in the background every
 *       {@link #FLUSH_BEHIND_BYTES} (at most one force in flight), so reading does not wait for those
 *       forces (only a checkpoint's record is written on the reading thread) and the force before the
 *       answer has little left to do. A checkpoint records only an offset that such a force covered.
 *       The same background task keeps the file's SHA-256 (and the body's, when it carries a digest)
 *       up to date by reading back what was written; the session hashes only the rest at its end.</li>
 *   <li>A force that failed makes nothing after the last successful force count: a later force of the
 *       same file may succeed without the lost pages.</li>
 *   <li>A refused body (past the size, bad digest) changes nothing: its bytes are discarded.</li>
 *   <li>A body with a digest is never committed before the digest is checked.</li>
 *   <li>No byte is written that would take the free space below the disk reserve ({@link SpaceBudget}):
 *       what fits is written, then the body ends with 507, keeping what it wrote as a cut body does.</li>
 * </ul>
 * Thread-safe: every method takes the upload's lock, which {@link UploadRegistry} also takes to stop
 * this session when a newer request arrives.
 */
public final class WriteSession {
    /**
     * Unforced bytes that start the next background force, once the previous one finished (fewer when
     * the checkpoint interval is smaller). Forces run back to back on a fast body, so what is left for
     * the final force is about what arrives during one force.
     */
    static final long FLUSH_BEHIND_BYTES = 1L << 20;
    private static final int HASH_BUFFER_BYTES = 64 * 1024;

    private enum State { ACTIVE, FINISHED, STOPPED }

    /** The file digest as of a position: what a checkpoint at that position remembers. */
    private record Mark(long position, MessageDigest digest) {
    }

    private final UploadRegistry.Entry entry;
    private final UploadRegistry registry;
    private final Appender appender;
    private final MessageDigest fileHasher;
    private final MessageDigest chunkHasher;
    private final AppendRequest request;
    private final Consumer<UploadException> onStopped;
    private final CompletedRecord alreadyCompleted;
    private final SpaceBudget.Reservation space; // what this body may still write above the disk reserve
    private long declaredSize;
    private final long agreedSize; // as begun; declaredSize may be inferred from a whole body at its end
    private MessageDigest committedFileHasher;
    private State state = State.ACTIVE;
    private boolean committedOnce;
    private UploadException stopReason;
    private volatile long lastActivityNanos = System.nanoTime();
    // Background force in flight (null if none) and the mark it makes durable; the last mark a
    // finished force made durable.
    private Flush flushing;
    private Mark forcedMark;
    // The file digest (and this body's, if it has one) covers the bytes before hashedUpTo. The digests
    // and hashedUpTo belong to the background force while one is in flight, else to the thread
    // holding the upload's lock.
    private long hashedUpTo;
    private ByteBuffer hashBuffer; // made on first use, dropped at the end: only sessions that hash hold one

    WriteSession(UploadRegistry registry, UploadRegistry.Entry entry, Appender appender, MessageDigest fileHasher,
                 long declaredSize, AppendRequest request, Consumer<UploadException> onStopped,
                 SpaceBudget.Reservation space) {
        this.registry = registry;
        this.space = space;
        this.entry = entry;
        this.appender = appender;
        this.fileHasher = fileHasher;
        this.committedFileHasher = Digests.copy(fileHasher);
        this.declaredSize = declaredSize;
        this.agreedSize = declaredSize;
        this.request = request;
        this.chunkHasher = request.chunkSha256() == null ? null : Digests.sha256();
        this.onStopped = onStopped;
        this.alreadyCompleted = null;
        this.forcedMark = new Mark(appender.committed().offset(), committedFileHasher);
        this.hashedUpTo = appender.committed().offset();
    }

    /** A session on an upload that is already complete: only an empty body at its end is accepted. */
    WriteSession(UploadRegistry.Entry entry, CompletedRecord completed, AppendRequest request) {
        this.registry = null;
        this.space = null;
        this.entry = entry;
        this.appender = null;
        this.fileHasher = null;
        this.chunkHasher = null;
        this.onStopped = ignored -> { };
        this.request = request;
        this.alreadyCompleted = completed;
        this.declaredSize = completed.size();
        this.agreedSize = completed.size();
    }

    /**
     * Appends {@code length} bytes of {@code bytes}.
     *
     * @throws UploadException PAST_DECLARED_SIZE or TOO_LARGE when the body would pass the declared or
     *                         maximum size (the whole body is discarded); SUPERSEDED, IDLE_TIMEOUT or
     *                         SHUTTING_DOWN when this session was stopped; INSUFFICIENT_STORAGE when
     *                         the bytes would go below the disk reserve (what fits is written and, as for
     *                         a cut body, kept unless the body carries a digest); INSUFFICIENT_STORAGE or
     *                         STORAGE_FAILURE when the disk failed (bytes the last successful force
     *                         covered are kept, unless the body carries a digest; the rest discarded)
     */
    public void write(byte[] bytes, int offset, int length) throws UploadException {
        entry.lock.lock();
        try {
            ensureActive();
            if (alreadyCompleted != null) {
                if (length > 0) {
                    state = State.FINISHED;
                    throw new UploadException(ErrorCode.PAST_DECLARED_SIZE, alreadyCompleted.size());
                }
                return;
            }
            long position = appender.position();
            // Not one byte past the declared size (or the maximum) is stored: the body is refused whole.
            long limit = declaredSize >= 0 ? declaredSize : registry.settings().maxUploadSize();
            if (length > limit - position) {
                throw refuse(declaredSize >= 0 ? ErrorCode.PAST_DECLARED_SIZE : ErrorCode.TOO_LARGE);
            }
            // The disk reserve holds after every byte: what does not fit above it is refused with 507.
            int fits = space.writable(length);
            appender.write(ByteBuffer.wrap(bytes, offset, fits));
            space.wrote(fits);
            if (fits < length) {
                throw outOfSpace();
            }
            lastActivityNanos = System.nanoTime();
            startFlushIfDue();
            collectFlush(false);
            if (mayCheckpoint() && forcedMark.position() - appender.committed().offset()
                    >= registry.settings().checkpointBytes()) {
                commitForced(forcedMark, declaredSize);
            }
        } catch (IOException e) {
            throw storageFailed(e);
        } finally {
            entry.lock.unlock();
        }
    }

    /**
     * The body arrived whole: checks its digest, commits it, and completes the upload when it reached
     * the declared size (or, with no declared size, because a whole body is the rest of the file).
     *
     * @return the offset now stored and, if complete, the completed upload
     * @throws UploadException DIGEST_MISMATCH (the body is discarded), a stop reason, or a storage error
     */
    public WriteOutcome finish() throws UploadException {
        entry.lock.lock();
        try {
            ensureActive();
            state = State.FINISHED;
            if (alreadyCompleted != null) {
                return new WriteOutcome(alreadyCompleted.size(), Optional.of(alreadyCompleted));
            }
            long received = appender.position() - startOffset();
            if (request.contentLength() >= 0 && received != request.contentLength()) {
                // The container should have reported a cut body; never complete on a short one, and
                // never count a short body whose digest cannot match.
                settleQuietly();
                return end(new WriteOutcome(storedOffset(), Optional.empty()));
            }
            catchUp();
            if (chunkHasher != null && !MessageDigest.isEqual(chunkHasher.digest(), request.chunkSha256())) {
                throw refuse(ErrorCode.DIGEST_MISMATCH);
            }
            boolean complete = declaredSize < 0 || appender.position() == declaredSize;
            if (complete && declaredSize < 0) {
                declaredSize = appender.position();
            }
            commit();
            if (!complete) {
                return end(new WriteOutcome(storedOffset(), Optional.empty()));
            }
            appender.close();
            CompletedRecord completed = registry.completeLocked(entry, appender.committed().id(),
                    fileHasher.digest());
            return end(new WriteOutcome(completed.size(), Optional.of(completed)));
        } catch (IOException e) {
            throw storageFailed(e);
        } finally {
            entry.lock.unlock();
        }
    }

    /**
     * The body was cut short (connection lost, client gone): keeps what arrived, unless the body
     * carried a digest that can no longer be checked. Never completes the upload. Safe to call after
     * the session ended.
     *
     * @return the offset stored now, for the answer to the client
     */
    public long abort() {
        entry.lock.lock();
        try {
            if (state == State.ACTIVE) {
                state = State.STOPPED;
                settleQuietly();
            }
            return alreadyCompleted != null ? alreadyCompleted.size() : storedOffset();
        } finally {
            entry.lock.unlock();
        }
    }

    /** Nanosecond time of the last byte written, for idle detection. */
    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /**
     * Stops this session for {@code reason} (another request took over, it sat idle, the server is
     * stopping), keeping what it wrote. Caller holds the upload's lock.
     *
     * @return the notification to run once the lock is released, or null if it had ended already
     */
    Runnable stopLocked(ErrorCode reason) {
        if (state != State.ACTIVE) {
            return null;
        }
        state = State.STOPPED;
        settleQuietly();
        stopReason = new UploadException(reason, storedOffset());
        UploadException told = stopReason;
        return () -> onStopped.accept(told);
    }

    /**
     * The offset the store holds now, for answers. A start-over's appender holds its own record from the
     * start, but that record replaces what was stored only at its first commit.
     */
    private long storedOffset() {
        return request.startsOver() && !committedOnce ? registry.storedOffsetLocked(appender.committed().id())
                : appender.committed().offset();
    }

    private long startOffset() {
        return request.startsOver() ? 0 : request.startByte();
    }

    private boolean mayCheckpoint() {
        // A body of unknown length may yet be refused, and a digest is checked only at the end.
        return request.contentLength() >= 0 && chunkHasher == null;
    }

    private void commit() throws IOException {
        catchUp();
        appender.commit(declaredSize);
        committedOnce = true;
        committedFileHasher = Digests.copy(fileHasher);
        entry.rememberDigest(committedFileHasher, appender.committed().offset());
    }

    /** Ends the background force in flight and hashes the rest: the digests then cover every byte written. */
    private void catchUp() throws IOException {
        collectFlush(true);
        hashUpTo(appender.position());
    }

    private void commitForced(Mark forced, long size) throws IOException {
        appender.commitForced(forced.position(), size);
        committedOnce = true;
        committedFileHasher = forced.digest();
        entry.rememberDigest(committedFileHasher, forced.position());
    }

    private void startFlushIfDue() {
        long every = Math.min(FLUSH_BEHIND_BYTES, registry.settings().checkpointBytes());
        if (flushing != null || appender.position() - forcedMark.position() < every) {
            return;
        }
        Flush force = new Flush(appender.position());
        try {
            registry.forces().execute(force);
            flushing = force;
        } catch (RejectedExecutionException shuttingDown) {
            flushing = null; // the final commit forces everything anyway
        }
    }

    /** A background force (and hash) up to a target, which the session may take back until it starts. */
    private final class Flush implements Runnable {
        private final long target;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CompletableFuture<Mark> result = new CompletableFuture<>();

        Flush(long target) {
            this.target = target;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return; // the session took it back and did it itself
            }
            try {
                result.complete(forceUpTo(target));
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        }

        /** True if it had not started: then the caller must do it. */
        boolean takeBack() {
            return claimed.compareAndSet(false, true);
        }
    }

    private Mark forceUpTo(long target) throws IOException {
        hashUpTo(target);
        appender.force();
        return new Mark(target, Digests.copy(fileHasher));
    }

    /**
     * Takes the result of the background force if it finished (or, with {@code wait}, once it has):
     * its mark becomes the forced one.
     *
     * @throws IOException the force's failure
     */
    private void collectFlush(boolean wait) throws IOException {
        if (flushing == null || (!wait && !flushing.result.isDone())) {
            return;
        }
        Flush pending = flushing;
        if (pending.takeBack()) {
            // Still queued behind other uploads' forces: do it here instead of waiting (under the lock).
            flushing = null;
            forcedMark = forceUpTo(pending.target);
            return;
        }
        try {
            forcedMark = awaitForce(pending.result);
        } finally {
            flushing = null;
        }
    }

    /** The running force's result; an interrupt does not end the wait, the file is still in use. */
    private static Mark awaitForce(Future<Mark> force) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return force.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Brings the file digest, and the body's own digest if it has one, up to {@code target} by reading
     * back what was written (from the page cache, in practice): the background force does most of it,
     * the session only the rest at its end, and a body with a digest is read back once for both. The
     * body's bytes start where the session started hashing, so both digests take the same bytes.
     */
    private void hashUpTo(long target) throws IOException {
        while (hashedUpTo < target) {
            if (hashBuffer == null) {
                hashBuffer = ByteBuffer.allocate(HASH_BUFFER_BYTES);
            }
            ByteBuffer buffer = hashBuffer;
            buffer.clear().limit((int) Math.min(buffer.capacity(), target - hashedUpTo));
            int bytesRead = appender.read(buffer, hashedUpTo);
            if (bytesRead <= 0) {
                throw new IOException("written bytes could not be read back at " + hashedUpTo);
            }
            fileHasher.update(buffer.array(), 0, bytesRead);
            if (chunkHasher != null) {
                chunkHasher.update(buffer.array(), 0, bytesRead);
            }
            hashedUpTo += bytesRead;
        }
    }

    /** Waits for a background force before the file is cut or closed; its failure no longer matters. */
    private void awaitFlushQuietly() {
        try {
            collectFlush(true);
        } catch (IOException ignored) {
            // Whatever comes next discards or commits again, and a commit forces again.
        }
    }

    private void ensureActive() throws UploadException {
        if (state == State.STOPPED && stopReason != null) {
            throw stopReason;
        }
        if (state != State.ACTIVE) {
            throw new UploadException(ErrorCode.SUPERSEDED, "this request's upload has ended");
        }
    }

    private UploadException refuse(ErrorCode code) throws IOException {
        state = State.FINISHED;
        awaitFlushQuietly();
        // Bodies that may be refused mid-stream (unknown length, or with a digest) are never
        // checkpointed, so this takes the upload back to where the request started.
        appender.discardUncommitted();
        end(null);
        return new UploadException(code, storedOffset());
    }

    /** The reserve was reached mid-body: what was written is kept as for a cut body (never unverified bytes). */
    private UploadException outOfSpace() {
        state = State.FINISHED;
        settleQuietly();
        return new UploadException(ErrorCode.INSUFFICIENT_STORAGE, storedOffset());
    }

    private UploadException storageFailed(IOException cause) {
        state = State.FINISHED;
        awaitFlushQuietly();
        keepForcedThenDiscardQuietly();
        end(null);
        long committed = storedOffset();
        return new UploadException(registry.isStorageFull(cause) ? ErrorCode.INSUFFICIENT_STORAGE
                : ErrorCode.STORAGE_FAILURE, committed, cause);
    }

    private void settleQuietly() {
        if (appender == null) {
            return; // an already completed upload: nothing was written
        }
        try {
            if (appender.position() == appender.committed().offset()) {
                // Nothing new to keep; a start-over that wrote nothing must not replace what is stored.
                awaitFlushQuietly();
            } else if (chunkHasher != null) {
                awaitFlushQuietly();
                appender.discardUncommitted(); // unverified bytes never count
            } else {
                commit(); // fails if the force in flight failed: then only earlier forces count
            }
        } catch (IOException e) {
            keepForcedThenDiscardQuietly();
        }
        end(null);
    }

    /**
     * After a failure: the bytes the last successful force covered still count if their record can be
     * written (never a body's unverified bytes); everything after them is cut off.
     */
    private void keepForcedThenDiscardQuietly() {
        try {
            if (chunkHasher == null && forcedMark.position() > appender.committed().offset()) {
                commitForced(forcedMark, agreedSize);
            }
        } catch (IOException ignored) {
            // The last commit holds.
        }
        try {
            appender.discardUncommitted();
        } catch (IOException ignored) {
            // The committed record still holds; the tail is cut off when the upload is next opened.
        }
    }

    private WriteOutcome end(WriteOutcome outcome) {
        if (appender != null) {
            awaitFlushQuietly();
            try {
                appender.close();
            } catch (IOException ignored) {
                // Closing a file we only appended to and committed loses nothing.
            }
            hashBuffer = null;
            space.release();
        }
        if (entry.active == this) {
            entry.active = null;
        }
        return outcome;
    }
}
