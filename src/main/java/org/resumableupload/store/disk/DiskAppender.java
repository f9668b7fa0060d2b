package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.resumableupload.store.Appender;
import org.resumableupload.store.PartRecord;

/**
 * Appends to one generation's data file. A fresh generation (a start-over) becomes the part only at its
 * first commit, which writes the record naming it and then removes the generation it replaced; closed
 * without a commit, it removes its own file and the store is as it was.
 */
final class DiskAppender implements Appender {
    private final FileChannel data;
    private final Path dataFile;
    private final String generation;
    private final PartFiles files;
    private final Clock clock;
    private PartRecord committed;
    private boolean fresh;
    // The channel's position, readable without taking its lock: read and force run beside write.
    private volatile long written;

    DiskAppender(FileChannel data, Path dataFile, String generation, PartRecord committed, boolean fresh,
                 PartFiles files, Clock clock) {
        this.data = data;
        this.dataFile = dataFile;
        this.generation = generation;
        this.committed = committed;
        this.fresh = fresh;
        this.files = files;
        this.clock = clock;
        this.written = committed.offset();
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
    }

    @Override
    public int read(ByteBuffer into, long position) throws IOException {
        long end = written;
        if (position >= end) {
            return -1;
        }
        if (into.remaining() > end - position) {
            into.limit(into.position() + (int) (end - position));
        }
        return data.read(into, position);
    }

    @Override
    public void force() throws IOException {
        // FileChannel.force takes no position lock, so it runs beside a write on the reading thread.
        data.force(false);
    }

    @Override
    public PartRecord commitForced(long offset, long declaredSize) throws IOException {
        if (offset < committed.offset() || offset > written) {
            throw new IllegalArgumentException("offset " + offset + " outside " + committed.offset() + ".." + written);
        }
        PartRecord next = committed.withDeclaredSize(declaredSize).withOffset(offset, clock.instant());
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
    public PartRecord commit(long declaredSize) throws IOException {
        // Data first, record second: a record never points past durable bytes.
        data.force(false);
        return commitForced(written, declaredSize);
    }

    @Override
    public void discardUncommitted() throws IOException {
        data.truncate(committed.offset());
        data.position(committed.offset());
        written = committed.offset();
    }

    @Override
    public void close() throws IOException {
        data.close();
        if (fresh) {
            files.diskFiles().deleteIfExists(dataFile); // a start-over that never committed leaves no trace
        }
    }
}
