package org.resumableupload.store.disk.powercut;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A channel on a file of the simulated disk: reads and writes go to the real file, every change is
 * noted on the {@link SimulatedFile} so a force copies it into the durable image, and once the power is
 * out or cut every call throws {@link PowerCutException}. The real channel is always readable (a force
 * reads back what to make durable); the caller gets only the access it asked for.
 */
final class PowerCutChannel extends FileChannel {
    private final SimulatedTree tree;
    private final PowerCutFiles mount;
    private final SimulatedFile file;
    private final FileChannel real;
    private final Path openedAs;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;

    PowerCutChannel(SimulatedTree tree, PowerCutFiles mount, SimulatedFile file, FileChannel real, Path openedAs,
                    boolean readable, boolean writable, boolean append) {
        this.tree = tree;
        this.mount = mount;
        this.file = file;
        this.real = real;
        this.openedAs = openedAs;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
    }

    private void checkReadable() throws IOException {
        checkOpen();
        if (!readable) {
            throw new NonReadableChannelException();
        }
    }

    // A change: counted (the power may fail right here) and only then done.
    private void beginChange(String what) throws IOException {
        checkOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
        mount.operation(what, openedAs);
    }

    private void checkOpen() throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        mount.alive();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkReadable();
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        checkReadable();
        return real.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        checkReadable();
        return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        beginChange("write");
        long start = startOfWrite();
        int written = real.write(src);
        file.changed(start);
        return written;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        beginChange("write");
        long start = startOfWrite();
        long written = real.write(srcs, offset, length);
        file.changed(start);
        return written;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        beginChange("write");
        int written = real.write(src, position);
        file.changed(position);
        return written;
    }

    // The real channel is never in append mode (it could not be readable then): appending is emulated.
    private long startOfWrite() throws IOException {
        if (append) {
            real.position(real.size());
        }
        return real.position();
    }

    @Override
    public long position() throws IOException {
        checkOpen();
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        checkOpen();
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        checkOpen();
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        beginChange("truncate");
        real.truncate(size);
        file.changed(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        checkOpen();
        mount.operation(metaData ? "force" : "force-data", openedAs);
        file.force(real, mount);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        checkReadable();
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        beginChange("write");
        long written = real.transferFrom(src, position, count);
        file.changed(position);
        return written;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("a mapping would write around the simulated disk");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("the simulated disk has no locks");
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("the simulated disk has no locks");
    }

    @Override
    protected void implCloseChannel() throws IOException {
        tree.closed(this);
        real.close();
    }

    /** At a cut: the real file is about to be rewritten, so nothing may reach it through this channel any more. */
    void closeReal() {
        file.closeBetweenForces(real);
    }
}
