package org.resumableupload.store.memory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;

/**
 * A store in this JVM's memory, under the same contract as the others: for tests of the core that
 * need no disk, and for embedding where uploads need not outlive the process. Everything written is
 * "durable" at once; a commit publishes a copy of the committed bytes, so uncommitted bytes are never
 * visible. Thread-safe across ids.
 */
public final class MemoryUploadStore implements UploadStore {
    private final Map<UploadId, Part> parts = new ConcurrentHashMap<>();
    private final Map<UploadId, Completed> completed = new ConcurrentHashMap<>();

    /** A part as last committed: its record and exactly its committed bytes. */
    private record Part(PartRecord record, byte[] bytes) {
    }

    private record Completed(CompletedRecord record, byte[] bytes) {
    }

    @Override
    public Optional<PartRecord> findPart(UploadId id) {
        return Optional.ofNullable(parts.get(id)).map(Part::record);
    }

    @Override
    public Optional<CompletedRecord> findCompleted(UploadId id) {
        return Optional.ofNullable(completed.get(id)).map(Completed::record);
    }

    @Override
    public Appender createPart(PartRecord record) {
        if (record.offset() != 0) {
            throw new IllegalArgumentException("a new part starts at offset 0");
        }
        return new MemoryAppender(record, new byte[0]);
    }

    @Override
    public Appender openAppender(UploadId id) throws IOException {
        Part part = parts.get(id);
        if (part == null) {
            throw new NoSuchFileException(id.value());
        }
        return new MemoryAppender(part.record(), part.bytes());
    }

    @Override
    public InputStream readPart(UploadId id) throws IOException {
        Part part = parts.get(id);
        if (part == null) {
            throw new NoSuchFileException(id.value());
        }
        return new ByteArrayInputStream(part.bytes());
    }

    @Override
    public CompletedRecord complete(UploadId id, byte[] sha256, Instant completedAt) throws IOException {
        Part part = parts.get(id);
        if (part == null) {
            throw new NoSuchFileException(id.value());
        }
        PartRecord record = part.record();
        CompletedRecord done = new CompletedRecord(id, record.ownerTag(), record.name(), record.offset(), sha256,
                completedAt, record.metadata(), record.concat());
        completed.put(id, new Completed(done, part.bytes()));
        parts.remove(id, part);
        return done;
    }

    @Override
    public CompletedContent openCompleted(UploadId id) throws IOException {
        Completed done = completed.get(id);
        if (done == null) {
            throw new NoSuchFileException(id.value());
        }
        return new CompletedContent(done.record(), new BytesChannel(done.bytes()));
    }

    @Override
    public void deletePart(UploadId id) {
        parts.remove(id);
    }

    @Override
    public void deleteCompleted(UploadId id) {
        completed.remove(id);
    }

    @Override
    public List<PartRecord> listParts() {
        return parts.values().stream().map(Part::record).toList();
    }

    @Override
    public List<CompletedRecord> listCompleted(String ownerTag) {
        List<CompletedRecord> found = new ArrayList<>();
        for (Completed done : completed.values()) {
            if (done.record().ownerTag().equals(ownerTag)) {
                found.add(done.record());
            }
        }
        found.sort(Comparator.comparing(CompletedRecord::completedAt).reversed());
        return found;
    }

    private final class MemoryAppender implements Appender {
        private PartRecord committed;
        private byte[] bytes;
        private int written;
        private boolean closed;

        MemoryAppender(PartRecord committed, byte[] committedBytes) {
            this.committed = committed;
            this.bytes = Arrays.copyOf(committedBytes, Math.max(16, committedBytes.length));
            this.written = committedBytes.length;
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
        public void write(ByteBuffer source) throws IOException {
            ensureOpen();
            int count = source.remaining();
            if ((long) written + count > Integer.MAX_VALUE - 8) {
                throw new IOException("a memory store holds at most 2 GiB per upload");
            }
            if (written + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(written + count, 2 * bytes.length));
            }
            source.get(bytes, written, count);
            written += count;
        }

        @Override
        public long nextBoundary() {
            return Long.MAX_VALUE;
        }

        @Override
        public long durable() {
            return written;
        }

        @Override
        public PartRecord commit(PartRecord next) throws IOException {
            ensureOpen();
            if (!next.id().equals(committed.id()) || next.offset() < committed.offset() || next.offset() > written) {
                throw new IllegalArgumentException("offset " + next.offset() + " outside " + committed.offset()
                        + ".." + written);
            }
            parts.put(next.id(), new Part(next, Arrays.copyOf(bytes, (int) next.offset())));
            committed = next;
            return next;
        }

        @Override
        public void discardUncommitted() {
            written = (int) committed.offset();
        }

        @Override
        public void close() {
            closed = true;
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("appender closed");
            }
        }
    }

    /** A read-only channel over one completed version's bytes. */
    private static final class BytesChannel implements SeekableByteChannel {
        private final byte[] bytes;
        private long position;
        private boolean open = true;

        BytesChannel(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer into) throws ClosedChannelException {
            ensureOpen();
            if (position >= bytes.length) {
                return -1;
            }
            int count = (int) Math.min(into.remaining(), bytes.length - position);
            into.put(bytes, (int) position, count);
            position += count;
            return count;
        }

        @Override
        public int write(ByteBuffer source) {
            throw new UnsupportedOperationException("completed uploads are read-only");
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException("completed uploads are read-only");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }

        // As a file channel does: a download that closed its channel must not go on reading.
        private void ensureOpen() throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }
}
