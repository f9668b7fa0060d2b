package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real file channel whose forces can be made to fail, the way an fsync fails on a dying disk (on
 * Linux a later fsync of the same file may then succeed although the pages it lost never reached the
 * disk). Records which thread ran each force. Everything else goes to the real channel.
 */
final class ForceFaultChannel extends FileChannel {
    static final String FORCE_FAILED = "Input/output error (simulated fsync failure)";

    private final FileChannel real;
    private final AtomicInteger forcesToFail = new AtomicInteger();
    private final List<String> forcingThreads = new CopyOnWriteArrayList<>();

    ForceFaultChannel(FileChannel real) {
        this.real = real;
    }

    /** The next {@code count} forces throw instead of forcing. */
    void failNextForces(int count) {
        forcesToFail.set(count);
    }

    /** The names of the threads that called {@link #force}, successful or not, in order. */
    List<String> forcingThreads() {
        return List.copyOf(forcingThreads);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        forcingThreads.add(Thread.currentThread().getName());
        if (forcesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException(FORCE_FAILED);
        }
        real.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return real.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return real.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return real.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return real.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
