package org.resumableupload.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;

/**
 * The session of a body appended to an incomplete upload (or to a start-over).
 *
 * <p>Rules it keeps:
 * <ul>
 *   <li>A byte counts once committed: the store made it durable, then recorded the offset together
 *       with the running SHA-256's state. Commits happen at the end of the body, when it is cut, when
 *       a newer request takes over, and, for a body of known length without a checksum, whenever the
 *       store has made {@link UploadSettings#checkpointBytes()} more bytes durable (a checkpoint).</li>
 *   <li>A refused body (past the length, bad checksum) changes nothing: its bytes are discarded. A
 *       body with a checksum is never committed before the checksum is checked.</li>
 *   <li>A store failure makes nothing count that the store had not made durable before it.</li>
 *   <li>No byte is written that would take the free space below the reserve ({@link SpaceBudget}):
 *       what fits is written, then the body ends with INSUFFICIENT_STORAGE, kept as a cut body is.</li>
 * </ul>
 * Thread-safe: a newer request stops it from another thread.
 */
final class BodySession extends WriteSession {
    private enum State { ACTIVE, FINISHED, STOPPED }

    private final ReentrantLock monitor = new ReentrantLock();
    private final SessionContext context;
    private final Appender appender;
    private final RunningSha256 fileHash;
    private final Checkpoints checkpoints;
    private final MessageDigest bodyHash;
    private final AppendSpec spec;
    private final Consumer<UploadException> onStopped;
    private final SpaceBudget.Reservation space;
    private long length;
    private State state = State.ACTIVE;
    private boolean ended;
    private UploadException stopReason;
    private volatile long lastActivityNanos = System.nanoTime();

    BodySession(SessionContext context, Appender appender, RunningSha256 fileHash, long length, AppendSpec spec,
                 Consumer<UploadException> onStopped, SpaceBudget.Reservation space) {
        this.context = context;
        this.appender = appender;
        this.fileHash = fileHash;
        this.checkpoints = new Checkpoints(appender.committed().offset(), fileHash, context.settings());
        this.bodyHash = spec.checksum() == null ? null : spec.checksum().newDigest();
        this.length = length;
        this.spec = spec;
        this.onStopped = onStopped;
        this.space = space;
    }

    @Override
    public void write(byte[] bytes, int offset, int count) throws UploadException {
        monitor.lock();
        try {
            ensureActive();
            long position = appender.position();
            // Not one byte past the length (or the maximum) is stored: the body is refused whole.
            long limit = length >= 0 ? length : context.settings().maxUploadSize();
            if (count > limit - position) {
                throw refuse(length >= 0 ? ErrorCode.PAST_LENGTH : ErrorCode.TOO_LARGE);
            }
            // The reserve holds after every byte: what does not fit above it ends the body.
            int fits = space.writable(count);
            writeMarkingBoundaries(bytes, offset, fits);
            space.wrote(fits);
            if (fits < count) {
                throw outOfSpace();
            }
            lastActivityNanos = System.nanoTime();
            if (mayCheckpoint()) {
                checkpoints.due(appender).ifPresent(this::commitAtQuietly);
            }
        } catch (IOException e) {
            throw storageFailed(e);
        } finally {
            monitor.unlock();
        }
    }

    // Split where the store commits cheapest, so a checkpoint can record exactly that offset.
    private void writeMarkingBoundaries(byte[] bytes, int offset, int count) throws IOException {
        int written = 0;
        while (written < count) {
            long boundary = appender.nextBoundary();
            int piece = (int) Math.min(count - written, boundary - appender.position());
            fileHash.update(bytes, offset + written, piece);
            if (bodyHash != null) {
                bodyHash.update(bytes, offset + written, piece);
            }
            appender.write(ByteBuffer.wrap(bytes, offset + written, piece));
            written += piece;
            checkpoints.wrote(appender.position(), appender.position() == boundary);
        }
    }

    @Override
    public WriteOutcome finish() throws UploadException {
        monitor.lock();
        try {
            ensureActive();
            long received = appender.position() - spec.offset();
            if (spec.contentLength() >= 0 && received != spec.contentLength()) {
                // The container should have reported a cut body; never complete on a short one.
                state = State.FINISHED;
                return new WriteOutcome(settle(), Optional.empty());
            }
            if (bodyHash != null && !spec.checksum().matches(bodyHash)) {
                throw refuse(ErrorCode.CHECKSUM_MISMATCH);
            }
            if (spec.ending() == AppendSpec.Ending.LAST
                    || (spec.ending() == AppendSpec.Ending.LAST_UNLESS_SIZED && length < 0)) {
                if (length >= 0 && appender.position() != length) {
                    throw refuse(ErrorCode.SHORT_OF_LENGTH);
                }
                length = appender.position();
            }
            state = State.FINISHED;
            PartRecord committed = commitAt(appender.position(), fileHash.state());
            if (length < 0 || committed.offset() != length || spec.ending() == AppendSpec.Ending.NOT_LAST) {
                end();
                return new WriteOutcome(committed.offset(), Optional.empty());
            }
            appender.close();
            CompletedRecord completed = context.complete(committed.id(), fileHash.sha256());
            end();
            return new WriteOutcome(completed.size(), Optional.of(completed));
        } catch (IOException e) {
            throw storageFailed(e);
        } finally {
            monitor.unlock();
        }
    }

    @Override
    public long abort() {
        monitor.lock();
        try {
            if (state != State.ACTIVE) {
                return storedOffset();
            }
            state = State.STOPPED;
            return settle();
        } finally {
            monitor.unlock();
        }
    }

    @Override
    long lastActivityNanos() {
        return lastActivityNanos;
    }

    @Override
    void stop(ErrorCode reason) {
        UploadException told;
        monitor.lock();
        try {
            if (state != State.ACTIVE) {
                return;
            }
            state = State.STOPPED;
            stopReason = new UploadException(reason, settle());
            told = stopReason;
        } finally {
            monitor.unlock();
        }
        onStopped.accept(told);
    }

    private boolean mayCheckpoint() {
        // A body of unknown length may yet be refused, and a checksum is checked only at the end.
        return spec.contentLength() >= 0 && bodyHash == null;
    }

    private PartRecord commitAt(long offset, String digestState) throws IOException {
        PartRecord next = appender.committed().withDeclaredSize(length).withOffset(offset, digestState,
                context.now());
        PartRecord committed = appender.commit(next);
        checkpoints.committed(committed.offset());
        return committed;
    }

    private void commitAtQuietly(Checkpoints.Mark mark) {
        try {
            commitAt(mark.position(), mark.state());
        } catch (IOException failed) {
            // The last commit holds; the end of the body commits again or reports the failure.
        }
    }

    /** The offset the store holds: a start-over's own record counts only from its first commit. */
    private long storedOffset() {
        return checkpoints.everCommitted() || !context.startsOver() ? appender.committed().offset()
                : context.storedBefore();
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
        // Bodies that may be refused mid-stream (unknown length, or with a checksum) are never
        // checkpointed, so this takes the upload back to where the request started.
        appender.discardUncommitted();
        end();
        return new UploadException(code, storedOffset());
    }

    private UploadException outOfSpace() {
        state = State.FINISHED;
        return new UploadException(ErrorCode.INSUFFICIENT_STORAGE, settle());
    }

    private UploadException storageFailed(IOException cause) {
        state = State.FINISHED;
        keepDurableThenDiscard();
        end();
        return context.storageError(cause, storedOffset());
    }

    /** Keeps what arrived (never a body's unverified bytes), ends the session, returns the stored offset. */
    private long settle() {
        try {
            if (appender.position() == appender.committed().offset()) {
                // Nothing new to keep; a start-over that wrote nothing must not replace what is stored.
            } else if (bodyHash != null) {
                appender.discardUncommitted(); // unverified bytes never count
            } else {
                commitAt(appender.position(), fileHash.state());
            }
        } catch (IOException e) {
            keepDurableThenDiscard();
        }
        end();
        return storedOffset();
    }

    /** After a failure: bytes the store made durable before it still count if their record can be written. */
    private void keepDurableThenDiscard() {
        try {
            Optional<Checkpoints.Mark> durable = checkpoints.latestWithin(appender.durable());
            if (bodyHash == null && durable.isPresent()) {
                commitAt(durable.get().position(), durable.get().state());
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

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            appender.close();
        } catch (IOException ignored) {
            // Closing an appender after its commits loses nothing.
        }
        space.release();
        context.ended(this);
    }
}
