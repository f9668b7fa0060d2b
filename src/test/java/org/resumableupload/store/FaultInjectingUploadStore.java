package org.resumableupload.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.resumableupload.store.disk.DiskUploadStore;

/**
 * An {@link UploadStore} that passes everything to a real store until a fault is armed, then fails
 * the way a disk does at the storage boundary:
 * <ul>
 *   <li>{@link #fillDiskAfter}: appenders write that many more bytes, then every write throws
 *       {@code IOException("No space left on device")} (the bytes of the failing write that fit are
 *       written first, as a real full disk does);</li>
 *   <li>{@link #failWritesAfter}: the same with a plain {@code IOException("Input/output error")};</li>
 *   <li>{@link #failCommits}: every {@link Appender#commit} throws an I/O error before it forces
 *       anything, and background forces fail too (an fsync that fails): {@link Appender#durable()}
 *       stops growing;</li>
 *   <li>{@link #failNextForce}: the next background force alone fails (an fsync that fails once; on
 *       Linux a later fsync of the same file may then succeed without the lost pages). The store forces
 *       inside its appenders, so the failure is shown the way the {@link Appender} contract reports it:
 *       the first time an appender's {@link Appender#durable()} would grow, it does not, and from then on
 *       no byte past that point counts (a commit beyond it throws) until
 *       {@link Appender#discardUncommitted()};</li>
 *   <li>{@link #beforeReadPart}: a hook run as {@link #readPart} starts (not a fault: a way to hold a
 *       reader there);</li>
 *   <li>{@link #failCompletions}: every {@link #complete} throws an I/O error before it touches the
 *       part (the move to the completed area fails);</li>
 *   <li>{@link #reportUsableSpace}: {@link #usableSpace()} (the free space a test hands the core)
 *       answers a fixed number;</li>
 *   <li>{@link #reportShrinkingSpace}: {@link #usableSpace()} answers a number that shrinks by every
 *       byte appenders write and grows by every byte they discard, as a small file system's free space
 *       does; {@link #lowestUsableSpace()} is the least it answered or reached since.</li>
 * </ul>
 * {@link #heal()} switches every fault off. Thread-safe.
 */
public final class FaultInjectingUploadStore implements UploadStore {
    public static final String DISK_FULL = "No space left on device";
    public static final String IO_ERROR = "Input/output error";
    private static final long OFF = -1;

    private final UploadStore delegate;
    private final AtomicLong writeBudget = new AtomicLong(OFF);
    private volatile String writeFault = DISK_FULL;
    private volatile boolean commitsFail;
    private final AtomicBoolean nextForceFails = new AtomicBoolean();
    private volatile Runnable beforeReadPart = () -> { };
    private volatile boolean completionsFail;
    private volatile long usableSpace = OFF;
    private volatile boolean spaceShrinks;
    private final AtomicLong bytesOnDisk = new AtomicLong(); // written less discarded, while space shrinks
    private final AtomicLong lowestUsableSpace = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong faultsInjected = new AtomicLong();
    private final AtomicLong writeCalls = new AtomicLong();

    public FaultInjectingUploadStore(UploadStore delegate) {
        this.delegate = delegate;
    }

    /** From now on appenders may write {@code bytes} more bytes in all; then the disk is full. */
    public void fillDiskAfter(long bytes) {
        writeFault = DISK_FULL;
        writeBudget.set(bytes);
    }

    /** From now on appenders may write {@code bytes} more bytes in all; then every write is an I/O error. */
    public void failWritesAfter(long bytes) {
        writeFault = IO_ERROR;
        writeBudget.set(bytes);
    }

    /** Every commit fails with an I/O error until {@link #heal()}. */
    public void failCommits() {
        commitsFail = true;
    }

    /** The next background force fails; later ones succeed. */
    public void failNextForce() {
        nextForceFails.set(true);
    }

    /** Runs {@code hook} at the start of every {@link #readPart} (to hold a reader at that point). */
    public void beforeReadPart(Runnable hook) {
        beforeReadPart = hook;
    }

    /** Every completion fails with an I/O error until {@link #heal()}. */
    public void failCompletions() {
        completionsFail = true;
    }

    /** {@link #usableSpace()} answers {@code bytes} until {@link #heal()}. */
    public void reportUsableSpace(long bytes) {
        usableSpace = bytes;
    }

    /**
     * {@link #usableSpace()} answers {@code bytes} less what appenders write from now on (plus what they
     * discard again), until {@link #heal()}. Deleting or replacing a part gives nothing back.
     */
    public void reportShrinkingSpace(long bytes) {
        bytesOnDisk.set(0);
        lowestUsableSpace.set(bytes);
        usableSpace = bytes;
        spaceShrinks = true;
    }

    /** The least free space {@link #reportShrinkingSpace} reported or reached; may be negative. */
    public long lowestUsableSpace() {
        return lowestUsableSpace.get();
    }

    /** Space is back and the disk works again. */
    public void heal() {
        writeBudget.set(OFF);
        commitsFail = false;
        nextForceFails.set(false);
        completionsFail = false;
        usableSpace = OFF;
        spaceShrinks = false;
    }

    /** How many times appenders were asked to write: shows how a front end batches a body. */
    public long writeCalls() {
        return writeCalls.get();
    }

    /** How many operations failed because of an armed fault. */
    public long faultsInjected() {
        return faultsInjected.get();
    }

    @Override
    public Optional<PartRecord> findPart(UploadId id) throws IOException {
        return delegate.findPart(id);
    }

    @Override
    public Optional<CompletedRecord> findCompleted(UploadId id) throws IOException {
        return delegate.findCompleted(id);
    }

    @Override
    public Appender createPart(PartRecord record) throws IOException {
        return new FaultyAppender(delegate.createPart(record));
    }

    @Override
    public Appender openAppender(UploadId id) throws IOException {
        return new FaultyAppender(delegate.openAppender(id));
    }

    @Override
    public InputStream readPart(UploadId id) throws IOException {
        beforeReadPart.run();
        return delegate.readPart(id);
    }

    @Override
    public CompletedRecord complete(UploadId id, byte[] sha256, Instant completedAt) throws IOException {
        if (completionsFail) {
            faultsInjected.incrementAndGet();
            throw new IOException(IO_ERROR);
        }
        return delegate.complete(id, sha256, completedAt);
    }

    @Override
    public CompletedContent openCompleted(UploadId id) throws IOException {
        return delegate.openCompleted(id);
    }

    @Override
    public void deletePart(UploadId id) throws IOException {
        delegate.deletePart(id);
    }

    @Override
    public List<PartRecord> listParts() throws IOException {
        return delegate.listParts();
    }

    @Override
    public List<CompletedRecord> listCompleted(String ownerTag) throws IOException {
        return delegate.listCompleted(ownerTag);
    }

    /**
     * The free space to hand the core ({@code store::usableSpace}): as armed, else the disk's for a
     * {@link DiskUploadStore}, else unlimited.
     */
    public long usableSpace() throws IOException {
        long reported = usableSpace;
        if (reported < 0) {
            return delegate instanceof DiskUploadStore disk ? disk.usableSpace() : Long.MAX_VALUE;
        }
        return spaceShrinks ? reported - bytesOnDisk.get() : reported;
    }

    /** Counts bytes an appender added to (or, negative, cut from) the disk, while space shrinks. */
    private void occupied(long bytes) {
        if (spaceShrinks && bytes != 0) {
            long free = usableSpace - bytesOnDisk.addAndGet(bytes);
            lowestUsableSpace.accumulateAndGet(free, Math::min);
        }
    }

    @Override
    public void deleteCompleted(UploadId id) throws IOException {
        delegate.deleteCompleted(id);
    }

    private final class FaultyAppender implements Appender {
        private final Appender appender;
        // The durable offset as last seen, and whether a (simulated) force failed after it: then
        // nothing past it counts until the uncommitted bytes are discarded.
        private long durableSeen;
        private boolean forceFailed;

        FaultyAppender(Appender appender) {
            this.appender = appender;
            this.durableSeen = appender.committed().offset();
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
            writeCalls.incrementAndGet();
            long before = appender.position();
            try {
                writeWithinBudget(bytes);
            } finally {
                occupied(appender.position() - before);
                observeForces();
            }
        }

        /** A force the store finished shows as a durable offset that grew; an armed fault fails it. */
        private void observeForces() {
            if (forceFailed) {
                return;
            }
            long durable = appender.durable();
            if (durable <= durableSeen) {
                return;
            }
            if (commitsFail || nextForceFails.compareAndSet(true, false)) {
                faultsInjected.incrementAndGet();
                forceFailed = true;
                return;
            }
            durableSeen = durable;
        }

        private void writeWithinBudget(ByteBuffer bytes) throws IOException {
            while (true) {
                long budget = writeBudget.get();
                if (budget < 0) {
                    appender.write(bytes);
                    return;
                }
                int fits = (int) Math.min(budget, bytes.remaining());
                if (!writeBudget.compareAndSet(budget, budget - fits)) {
                    continue;
                }
                if (fits > 0) {
                    ByteBuffer part = bytes.slice(bytes.position(), fits);
                    appender.write(part);
                    bytes.position(bytes.position() + fits);
                }
                if (bytes.hasRemaining()) {
                    faultsInjected.incrementAndGet();
                    throw new IOException(writeFault);
                }
                return;
            }
        }

        @Override
        public long durable() {
            observeForces();
            return durableSeen;
        }

        @Override
        public PartRecord commit(PartRecord next) throws IOException {
            failIfCommitsFail();
            observeForces();
            if (forceFailed && next.offset() > durableSeen) {
                throw new IOException(IO_ERROR + " (an earlier force failed)");
            }
            PartRecord committed = appender.commit(next);
            durableSeen = Math.max(durableSeen, committed.offset());
            return committed;
        }

        private void failIfCommitsFail() throws IOException {
            if (commitsFail) {
                faultsInjected.incrementAndGet();
                throw new IOException(IO_ERROR);
            }
        }

        @Override
        public void discardUncommitted() throws IOException {
            long before = appender.position();
            try {
                appender.discardUncommitted();
                // What is left was covered by a good force or a commit, as after the store's own discard.
                forceFailed = false;
                durableSeen = appender.committed().offset();
            } finally {
                occupied(appender.position() - before);
            }
        }

        @Override
        public void close() throws IOException {
            appender.close();
        }
    }
}
