package org.resumableupload.store.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.resumableupload.store.Appender;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;

/**
 * Appends to one upload's S3 multipart upload. Bytes gather in a part-sized buffer; a full buffer is
 * sent as the next part while more arrive (up to {@code partsInFlight} at once). A commit waits for
 * the parts it counts, stores the bytes after the last counted part as a tail object, then writes the
 * record with compare-and-set: a record is never written before the bytes it counts are in S3.
 */
final class S3Appender implements Appender {
    /** A part sent (or being sent), with its bytes until a commit counts it or a tail is cut from it. */
    private record Pending(int number, long start, byte[] bytes, int size, Future<String> etag) {
    }

    private final S3Parts store;
    private final UploadId id;
    private final long partSize;
    private final Semaphore inFlight;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private S3PartState committed;
    private String recordEtag;
    private S3PartState replaced; // the part a start-over replaces at its first commit; null otherwise
    private String multipartId;
    private byte[] buffer;
    private long bufferStart;
    private int bufferLength;
    private boolean closed;

    S3Appender(S3Parts store, S3PartState state, String recordEtag, S3PartState replaced, byte[] tail,
               int partsInFlight) {
        this.store = store;
        this.id = state.record().id();
        this.partSize = store.partSize();
        this.inFlight = new Semaphore(partsInFlight);
        this.committed = state;
        this.recordEtag = recordEtag;
        this.replaced = replaced;
        this.multipartId = state.multipartId();
        this.buffer = new byte[(int) partSize];
        System.arraycopy(tail, 0, buffer, 0, tail.length);
        this.bufferStart = state.partsSize();
        this.bufferLength = tail.length;
    }

    @Override
    public PartRecord committed() {
        return committed.record();
    }

    @Override
    public long position() {
        return bufferStart + bufferLength;
    }

    @Override
    public long nextBoundary() {
        return bufferStart + partSize;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        ensureOpen();
        while (bytes.hasRemaining()) {
            int count = Math.min(bytes.remaining(), buffer.length - bufferLength);
            bytes.get(buffer, bufferLength, count);
            bufferLength += count;
            if (bufferLength == buffer.length) {
                sendFullBuffer();
            }
        }
    }

    private void sendFullBuffer() throws IOException {
        failIfAPartFailed();
        if (multipartId == null) {
            multipartId = store.startMultipart(committed);
        }
        try {
            inFlight.acquire(); // the body waits for S3 rather than buffering without bound
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for S3");
        }
        int number = nextPartNumber();
        byte[] bytes = buffer;
        String upload = multipartId;
        Future<String> etag = store.sendPart(() -> {
            try {
                return store.uploadPart(committed.completedKey(), upload, number, bytes, bytes.length);
            } finally {
                inFlight.release();
            }
        });
        pending.addLast(new Pending(number, bufferStart, bytes, bytes.length, etag));
        buffer = new byte[(int) partSize];
        bufferStart += bytes.length;
        bufferLength = 0;
    }

    private int nextPartNumber() {
        if (!pending.isEmpty()) {
            return pending.peekLast().number() + 1;
        }
        List<S3PartState.Part> parts = committed.parts();
        return parts.isEmpty() ? 1 : parts.get(parts.size() - 1).number() + 1;
    }

    @Override
    public long durable() {
        long durable = committed.partsSize();
        for (Pending part : pending) {
            if (!part.etag().isDone() || failed(part)) {
                break;
            }
            durable += part.size();
        }
        return Math.max(committed.record().offset(), durable);
    }

    @Override
    public PartRecord commit(PartRecord next) throws IOException {
        ensureOpen();
        if (!next.id().equals(id)) {
            throw new IllegalArgumentException("record of another upload: " + next.id());
        }
        if (next.offset() < committed.record().offset() || next.offset() > position()) {
            throw new IllegalArgumentException("offset " + next.offset() + " outside " + committed.record().offset()
                    + ".." + position());
        }
        List<S3PartState.Part> parts = new ArrayList<>(committed.parts());
        long partsEnd = committed.partsSize();
        int counted = 0;
        for (Pending part : pending) {
            if (part.start() + part.size() > next.offset()) {
                break;
            }
            parts.add(new S3PartState.Part(part.number(), awaitEtag(part), part.size()));
            partsEnd += part.size();
            counted++;
        }
        long tailSize = next.offset() - partsEnd;
        boolean sameTail = partsEnd == committed.partsSize() && next.offset() == committed.record().offset();
        if (tailSize > 0 && !sameTail) {
            store.putTail(id, committed.generation(), next.offset(), tailBytes(partsEnd, (int) tailSize));
        }
        S3PartState nextState = committed.with(next, multipartId, parts, tailSize);
        recordEtag = store.writeRecord(nextState, recordEtag);
        S3PartState previous = committed;
        committed = nextState;
        for (int i = 0; i < counted; i++) {
            pending.removeFirst();
        }
        if (previous.tailSize() > 0 && !sameTail) {
            store.deleteTailQuietly(id, previous.generation(), previous.record().offset());
        }
        if (replaced != null) {
            store.deleteStorageQuietly(replaced); // the start-over is the part now
            replaced = null;
        }
        return next;
    }

    /** The {@code size} bytes from {@code start}: in a sent part still held, or in the buffer. */
    private byte[] tailBytes(long start, int size) {
        byte[] tail = new byte[size];
        int copied = 0;
        for (Pending part : pending) {
            long end = part.start() + part.size();
            if (end <= start || copied == size) {
                continue;
            }
            int from = (int) (start + copied - part.start());
            int count = Math.min(size - copied, part.size() - from);
            System.arraycopy(part.bytes(), from, tail, copied, count);
            copied += count;
        }
        if (copied < size) {
            System.arraycopy(buffer, (int) (start + copied - bufferStart), tail, copied, size - copied);
        }
        return tail;
    }

    @Override
    public void discardUncommitted() throws IOException {
        awaitInFlight();
        pending.clear();
        byte[] tail = store.readTail(committed);
        buffer = new byte[(int) partSize];
        System.arraycopy(tail, 0, buffer, 0, tail.length);
        bufferStart = committed.partsSize();
        bufferLength = tail.length;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // No part may still be on its way once closed: a later appender reuses the part numbers.
        awaitInFlight();
        pending.clear();
        if (multipartId != null && committed.multipartId() == null) {
            store.abortQuietly(committed.completedKey(), multipartId); // started here, never counted
        }
    }

    private String awaitEtag(Pending part) throws IOException {
        try {
            return part.etag().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for S3");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("part upload failed", e.getCause());
        }
    }

    private void failIfAPartFailed() throws IOException {
        for (Pending part : pending) {
            if (part.etag().isDone() && failed(part)) {
                awaitEtag(part); // throws its failure
            }
        }
    }

    private static boolean failed(Pending part) {
        try {
            part.etag().get();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private void awaitInFlight() {
        for (Pending part : pending) {
            try {
                part.etag().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException ignored) {
                // A failed part counts for nothing; only its end matters here.
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("appender of " + id + " is closed");
        }
    }

}
