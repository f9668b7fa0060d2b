package org.resumableupload.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A completed object, read with ranged GETs: one stream from the position read last, a new one after
 * a seek. Each completion has its own key, so the bytes cannot change under an open channel.
 */
final class S3CompletedChannel implements SeekableByteChannel {
    private final S3Objects objects;
    private final String key;
    private final long size;
    private InputStream stream;
    private long streamPosition = -1;
    private long position;
    private boolean open = true;

    S3CompletedChannel(S3Objects objects, String key, long size) {
        this.objects = objects;
        this.key = key;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (stream == null || streamPosition != position) {
            closeStream();
            stream = objects.open(key, position);
            streamPosition = position;
        }
        int wanted = (int) Math.min(dst.remaining(), size - position);
        int read;
        if (dst.hasArray()) {
            read = stream.read(dst.array(), dst.arrayOffset() + dst.position(), wanted);
            if (read > 0) {
                dst.position(dst.position() + read);
            }
        } else {
            byte[] chunk = new byte[Math.min(wanted, 64 * 1024)];
            read = stream.read(chunk);
            if (read > 0) {
                dst.put(chunk, 0, read);
            }
        }
        if (read < 0) {
            throw new IOException(key + " ended at " + position + " of " + size + " bytes");
        }
        position += read;
        streamPosition += read;
        return read;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        closeStream();
    }

    private void closeStream() throws IOException {
        if (stream != null) {
            // Abort rather than drain: the rest of a large object is not worth reading to reuse a connection.
            if (stream instanceof software.amazon.awssdk.core.ResponseInputStream<?> response) {
                response.abort();
            }
            stream.close();
            stream = null;
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
