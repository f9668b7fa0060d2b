package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.resumableupload.store.Appender;
import org.resumableupload.store.PartRecord;

/**
 * Appends to one generation's data file, forcing it in the background every {@link #FORCE_BEHIND_BYTES}
 * while bytes arrive (one force in flight at most), so that a commit has little left to force. A fresh
 * generation (a start-over) becomes the part only at its first commit, which writes the record naming
 * it and then removes the generation it replaced; closed without a commit, it removes its own file and
 * the store is as it was.
 */
final class DiskAppender implements Appender {
    /** Unforced bytes that start the next background force, once the previous one finished. */
    static final long FORCE_BEHIND_BYTES = 1L << 20;

    private final FileChannel data;
    private final Path dataFile;
    private final String generation;
    private final PartFiles files;
    private final Executor forces;
    private PartRecord committed;
    private boolean fresh;
    private long written;
    private long durable;
    // The background force in flight, and the position it makes durable; null when none.
    private CompletableFuture<Void> forcing;
    private AtomicBoolean forcingStarted;
    private long forcingTarget;
    // A failed force may have dropped pages before it: no byte past the last good force counts until
    // the file is cut back to its committed offset.
    private boolean forceFailed;

    DiskAppender(FileChannel data, Path dataFile, String generation, PartRecord committed, boolean fresh,
                 PartFiles files, Executor forces) {
        this.data = data;
        this.dataFile = dataFile;
        this.generation = generation;
        this.committed = committed;
        this.fresh = fresh;
        this.files = files;
        this.forces = forces;
        this.written = committed.offset();
        this.durable = committed.offset();
    }

    @Override
    public PartRecord committed() {
        return committed;
    }

    @Override
    public long position() {
        return written;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            written += data.write(bytes);
        }
        collectForce(false);
        if (forcing == null && !forceFailed && written - durable >= FORCE_BEHIND_BYTES) {
            startForce();
        }
    }

    @Override
    public long nextBoundary() {
        return Long.MAX_VALUE; // a file's offset can be recorded anywhere
    }

    @Override
    public long durable() {
        collectForce(false);
        return durable;
    }

    @Override
    public PartRecord commit(PartRecord next) throws IOException {
        if (!next.id().equals(committed.id()) || next.offset() < committed.offset() || next.offset() > written) {
            throw new IllegalArgumentException("offset " + next.offset() + " outside " + committed.offset()
                    + ".." + written);
        }
        if (next.offset() > durable()) {
            collectForce(true);
            if (forceFailed) {
                throw new IOException("an earlier force of " + dataFile.getFileName() + " failed");
            }
            if (next.offset() > durable) {
                // Data first, record second: a record never points past durable bytes.
                long target = written;
                try {
                    data.force(false);
                } catch (IOException failed) {
                    forceFailed = true; // as for a background force: a retry may succeed without the lost pages
                    throw failed;
                }
                durable = target;
            }
        }
        Optional<Path> replaced = fresh ? files.currentData(next.id()) : Optional.empty();
        DiskRecords.write(files.diskFiles(), files.record(next.id()), DiskRecords.partProperties(next, generation));
        committed = next;
        if (fresh) {
            fresh = false;
            // The new record is durable: the generation it replaced is garbage now.
            if (replaced.isPresent() && !replaced.get().equals(dataFile)) {
                files.diskFiles().deleteIfExists(replaced.get());
                files.diskFiles().syncDirectory(files.dir());
            }
        }
        return next;
    }

    @Override
    public void discardUncommitted() throws IOException {
        collectForce(true);
        data.truncate(committed.offset());
        data.position(committed.offset());
        written = committed.offset();
        durable = committed.offset();
        forceFailed = false; // what is left was covered by a good force or a commit
    }

    @Override
    public void close() throws IOException {
        collectForce(true);
        data.close();
        if (fresh) {
            files.diskFiles().deleteIfExists(dataFile); // a start-over that never committed leaves no trace
        }
    }

    private void startForce() {
        long target = written;
        CompletableFuture<Void> force = new CompletableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        try {
            // FileChannel.force takes no position lock, so it runs beside writes on the request thread.
            forces.execute(() -> {
                if (!started.compareAndSet(false, true)) {
                    return; // cancelled while it was queued
                }
                try {
                    data.force(false);
                    force.complete(null);
                } catch (Throwable failure) {
                    force.completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            return; // the commit forces everything anyway
        }
        forcing = force;
        forcingStarted = started;
        forcingTarget = target;
    }

    /** Takes in the result of the force in flight, waiting for it if {@code wait}. */
    private void collectForce(boolean wait) {
        if (forcing == null || (!wait && !forcing.isDone())) {
            return;
        }
        if (forcingStarted.compareAndSet(false, true)) {
            // Still queued behind other files' forces: cancelled rather than awaited (a commit forces itself).
            forcing = null;
            return;
        }
        try {
            forcing.get();
            durable = Math.max(durable, forcingTarget);
        } catch (ExecutionException failed) {
            forceFailed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            forceFailed = true; // not known to be durable
        } finally {
            forcing = null;
        }
    }
}
