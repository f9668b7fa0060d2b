package org.resumableupload.store;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The appender of a {@link FaultInjectingUploadStore}: a real appender, failing as its store arms it. */
final class FaultyAppender implements Appender {
    private final FaultInjectingUploadStore faults;
    private final Appender appender;
    // Durable as far as this appender has reported it: a failed force loses what lies beyond.
    private volatile long reportedDurable;
    // While forces are stalled, durable() answers no more than this.
    private volatile long forcedUpTo;
    // Where durable() stays after a failed force, until the file is cut back; -1 when no force failed.
    private long failedForceAt = -1;

    FaultyAppender(FaultInjectingUploadStore faults, Appender appender) {
        this.faults = faults;
        this.appender = appender;
        this.reportedDurable = appender.committed().offset();
        this.forcedUpTo = reportedDurable;
        faults.opened(this);
    }

    /** The background forces made everything up to {@code position} durable. */
    void markForced(long position) {
        forcedUpTo = Math.max(forcedUpTo, position);
    }

    @Override
    public PartRecord committed() {
        return appender.committed();
    }

    @Override
    public long position() {
        return appender.position();
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        long before = appender.position();
        try {
            int fits = faults.writable(bytes.remaining());
            if (fits > 0) {
                ByteBuffer part = bytes.slice(bytes.position(), fits);
                appender.write(part);
                bytes.position(bytes.position() + fits);
            }
            if (bytes.hasRemaining()) {
                throw faults.injected(faults.writeFault()); // what fitted is written, as on a full disk
            }
        } finally {
            faults.occupied(appender.position() - before);
        }
    }

    @Override
    public long nextBoundary() {
        return appender.nextBoundary();
    }

    @Override
    public long durable() {
        forceFailsIfArmed();
        if (failedForceAt >= 0) {
            return failedForceAt;
        }
        long durable = appender.durable();
        if (faults.forcesStalled()) {
            durable = Math.min(durable, Math.max(forcedUpTo, appender.committed().offset()));
        }
        reportedDurable = Math.max(reportedDurable, durable);
        return durable;
    }

    @Override
    public PartRecord commit(PartRecord next) throws IOException {
        if (faults.commitsFail()) {
            throw faults.injected(FaultInjectingUploadStore.IO_ERROR);
        }
        forceFailsIfArmed();
        if (failedForceAt >= 0 && next.offset() > failedForceAt) {
            // What the failed force lost cannot be made durable any more.
            throw faults.injected(FaultInjectingUploadStore.IO_ERROR);
        }
        PartRecord committed = appender.commit(next);
        reportedDurable = Math.max(reportedDurable, committed.offset());
        markForced(committed.offset());
        return committed;
    }

    /** An armed force failure hits the first appender asked with bytes still to be made durable. */
    private void forceFailsIfArmed() {
        if (failedForceAt < 0 && appender.position() > reportedDurable && faults.forceFailsNow()) {
            failedForceAt = reportedDurable;
        }
    }

    @Override
    public void discardUncommitted() throws IOException {
        long before = appender.position();
        try {
            appender.discardUncommitted();
            failedForceAt = -1; // cut back to the committed offset: nothing lost remains
            reportedDurable = appender.committed().offset();
        } finally {
            faults.occupied(appender.position() - before);
        }
    }

    @Override
    public void close() throws IOException {
        faults.closed(this);
        appender.close();
    }
}
