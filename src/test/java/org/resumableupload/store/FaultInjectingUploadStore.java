package org.resumableupload.store;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.resumableupload.store.disk.DiskUploadStore;

/**
 * An {@link UploadStore} that passes everything to a real store until a fault is armed, then fails
 * the way a medium does at the store's boundary (the {@link Appender} contract):
 * <ul>
 *   <li>{@link #fillDiskAfter}: appenders write that many more bytes, then every write throws
 *       {@code IOException("No space left on device")} (the bytes of the failing write that fit are
 *       written first, as a real full disk does);</li>
 *   <li>{@link #failWritesAfter}: the same with a plain {@code IOException("Input/output error")};</li>
 *   <li>{@link #failCommits}: every {@link Appender#commit} throws an I/O error before it makes
 *       anything durable (an fsync that fails);</li>
 *   <li>{@link #failNextForce}: the next background force of an appender with bytes not yet durable
 *       fails (on Linux a later fsync of the same file may then succeed without the lost pages): that
 *       appender's {@link Appender#durable()} stays where it was, and every commit past it throws an
 *       I/O error, until {@link Appender#discardUncommitted()} cuts the file back;</li>
 *   <li>{@link #stallBackgroundForces}: no background force finishes: {@link Appender#durable()}
 *       stays where it is (a commit still makes its own bytes durable, waiting for them) until
 *       {@link #finishBackgroundForces()} makes every open appender's written bytes durable;</li>
 *   <li>{@link #beforeReadPart}: a hook run as {@link #readPart} starts (not a fault: a way to hold a
 *       reader there, or to fail it); {@link #readPartCalls()} counts the calls;</li>
 *   <li>{@link #failCompletions}: every {@link #complete} throws an I/O error before it touches the
 *       part (the move to the completed area fails);</li>
 *   <li>{@link #reportUsableSpace}: {@link #usableSpace()} answers a fixed number;</li>
 *   <li>{@link #reportShrinkingSpace}: {@link #usableSpace()} answers a number that shrinks by every
 *       byte appenders write and grows by every byte they discard, as a small file system's free space
 *       does; {@link #lowestUsableSpace()} is the least it answered or reached since.</li>
 * </ul>
 * {@link #heal()} switches every fault off. The core takes the free space from {@link #usableSpace()}
 * ({@code store::usableSpace} is a {@code FreeSpace}). Thread-safe.
 */
public final class FaultInjectingUploadStore implements UploadStore {
    public static final String DISK_FULL = "No space left on device";
    public static final String IO_ERROR = "Input/output error";
    private static final long OFF = -1;

    /** The delegate's own free space. */
    @FunctionalInterface
    public interface SpaceReport {
        long bytes() throws IOException;
    }

    private final UploadStore delegate;
    private final SpaceReport realSpace;
    private final AtomicLong writeBudget = new AtomicLong(OFF);
    private volatile String writeFault = DISK_FULL;
    private volatile boolean commitsFail;
    private final AtomicBoolean nextForceFails = new AtomicBoolean();
    private volatile boolean forcesStalled;
    private final Set<FaultyAppender> open = ConcurrentHashMap.newKeySet();
    private volatile Runnable beforeReadPart = () -> { };
    private final AtomicLong readPartCalls = new AtomicLong();
    private volatile boolean completionsFail;
    private volatile long usableSpace = OFF;
    private volatile boolean spaceShrinks;
    private final AtomicLong bytesOnDisk = new AtomicLong(); // written less discarded, while space shrinks
    private final AtomicLong lowestUsableSpace = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong faultsInjected = new AtomicLong();
    private final AtomicLong writeCalls = new AtomicLong();

    /**
     * Around {@code delegate}: unfaked, {@link #usableSpace()} is the file system's for a
     * {@link DiskUploadStore}, else unlimited (memory).
     */
    public FaultInjectingUploadStore(UploadStore delegate) {
        this(delegate, delegate instanceof DiskUploadStore disk ? disk::usableSpace : () -> Long.MAX_VALUE);
    }

    /** Around any store: unfaked, {@link #usableSpace()} is {@code realSpace}'s answer. */
    public FaultInjectingUploadStore(UploadStore delegate, SpaceReport realSpace) {
        this.delegate = delegate;
        this.realSpace = realSpace;
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

    /** The next background force fails (see the class comment); later ones succeed. */
    public void failNextForce() {
        nextForceFails.set(true);
    }

    /** No background force finishes until {@link #finishBackgroundForces()} or {@link #heal()}. */
    public void stallBackgroundForces() {
        forcesStalled = true;
    }

    /** Every open appender's bytes written so far are durable now; forces stay stalled for later bytes. */
    public void finishBackgroundForces() {
        for (FaultyAppender appender : open) {
            appender.markForced(appender.position());
        }
    }

    /** Runs {@code hook} at the start of every {@link #readPart} (to hold a reader at that point, or fail it). */
    public void beforeReadPart(Runnable hook) {
        beforeReadPart = hook;
    }

    /** How many times {@link #readPart} was called. */
    public long readPartCalls() {
        return readPartCalls.get();
    }

    /** Every completion fails with an I/O error until {@link #heal()}. */
    public void failCompletions() {
        completionsFail = true;
    }

    /** {@link #usableSpace()} answers {@code bytes} until {@link #heal()}. */
    public void reportUsableSpace(long bytes) {
        spaceShrinks = false;
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

    /** Space is back and the medium works again. */
    public void heal() {
        writeBudget.set(OFF);
        commitsFail = false;
        nextForceFails.set(false);
        forcesStalled = false;
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

    /**
     * Bytes that can still be written: the faked figure while one is reported, else the delegate's.
     *
     * @throws IOException if the delegate's medium cannot tell
     */
    public long usableSpace() throws IOException {
        long reported = usableSpace;
        if (reported < 0) {
            return realSpace.bytes();
        }
        return spaceShrinks ? reported - bytesOnDisk.get() : reported;
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
        return new FaultyAppender(this, delegate.createPart(record));
    }

    @Override
    public Appender openAppender(UploadId id) throws IOException {
        return new FaultyAppender(this, delegate.openAppender(id));
    }

    @Override
    public InputStream readPart(UploadId id) throws IOException {
        readPartCalls.incrementAndGet();
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

    @Override
    public void deleteCompleted(UploadId id) throws IOException {
        delegate.deleteCompleted(id);
    }

    // ---- for FaultyAppender -------------------------------------------------------------------------

    /** Counts bytes an appender added to (or, negative, cut from) the disk, while space shrinks. */
    void occupied(long bytes) {
        if (spaceShrinks && bytes != 0) {
            long free = usableSpace - bytesOnDisk.addAndGet(bytes);
            lowestUsableSpace.accumulateAndGet(free, Math::min);
        }
    }

    IOException injected(String fault) {
        faultsInjected.incrementAndGet();
        return new IOException(fault);
    }

    /**
     * Takes {@code requested} bytes from the write budget: how many of them may be written before the
     * armed write fault strikes (all of them when none is armed).
     */
    int writable(int requested) {
        writeCalls.incrementAndGet();
        while (true) {
            long budget = writeBudget.get();
            if (budget < 0) {
                return requested;
            }
            int fits = (int) Math.min(budget, requested);
            if (writeBudget.compareAndSet(budget, budget - fits)) {
                return fits;
            }
        }
    }

    String writeFault() {
        return writeFault;
    }

    boolean commitsFail() {
        return commitsFail;
    }

    /** True once, for the first caller after {@link #failNextForce()}. */
    boolean forceFailsNow() {
        if (nextForceFails.compareAndSet(true, false)) {
            faultsInjected.incrementAndGet();
            return true;
        }
        return false;
    }

    boolean forcesStalled() {
        return forcesStalled;
    }

    void opened(FaultyAppender appender) {
        open.add(appender);
    }

    void closed(FaultyAppender appender) {
        open.remove(appender);
    }
}
