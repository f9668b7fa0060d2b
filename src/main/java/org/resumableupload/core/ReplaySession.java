package org.resumableupload.core;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.resumableupload.store.CompletedRecord;

/**
 * The session of a request at the end of a complete upload: an empty body answers the completion
 * again (the article client's last empty POST, tus-java-client's final empty PATCH); any byte is
 * ALREADY_COMPLETE. Nothing is written; the upload's lock is held until the body ends.
 */
final class ReplaySession extends WriteSession {
    private final SessionContext context;
    private final CompletedRecord completed;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final long startedNanos = System.nanoTime();

    ReplaySession(SessionContext context, CompletedRecord completed) {
        this.context = context;
        this.completed = completed;
    }

    @Override
    public void write(byte[] bytes, int offset, int count) throws UploadException {
        if (ended.get()) {
            throw new UploadException(ErrorCode.SUPERSEDED, completed.size());
        }
        if (count > 0) {
            end();
            throw new UploadException(ErrorCode.ALREADY_COMPLETE, completed.size());
        }
    }

    @Override
    public WriteOutcome finish() throws UploadException {
        if (!end()) {
            throw new UploadException(ErrorCode.SUPERSEDED, completed.size());
        }
        return new WriteOutcome(completed.size(), Optional.of(completed));
    }

    @Override
    public long abort() {
        end();
        return completed.size();
    }

    @Override
    long lastActivityNanos() {
        return startedNanos;
    }

    @Override
    void stop(ErrorCode reason) {
        end(); // the request then finds it ended; nothing was written, so nothing is kept or lost
    }

    /** Ends it once, releasing the upload's lock; false if it had ended already. */
    private boolean end() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        context.ended(this);
        return true;
    }
}
