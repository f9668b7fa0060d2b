package org.resumableupload.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes {@code length} bytes of an open file from {@code first} to the response as fast as the client
 * takes them, with non-blocking I/O, so a client that reads slowly or not at all holds no container
 * thread. A stalled client is ended by the connection's idle timeout, which fails the pending write.
 * The file is closed however the download ends.
 */
public final class FileSender implements WriteListener, AsyncListener {
    private static final Logger LOG = Logger.getLogger(FileSender.class.getName());
    private static final int BUFFER_BYTES = 64 * 1024;

    private final SeekableByteChannel file;
    private final AsyncContext async;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private ServletOutputStream out;
    private long left;
    private boolean ended;

    private FileSender(SeekableByteChannel file, long length, AsyncContext async) {
        this.file = file;
        this.left = length;
        this.async = async;
    }

    /** Takes over {@code file} (closing it at the end) and starts sending; the headers are set already. */
    public static void send(SeekableByteChannel file, long first, long length, AsyncContext async) throws IOException {
        file.position(first);
        FileSender sender = new FileSender(file, length, async);
        // No overall deadline: a large download takes as long as it takes; idleness is the container's.
        async.setTimeout(0);
        async.addListener(sender);
        sender.out = async.getResponse().getOutputStream();
        sender.out.setWriteListener(sender);
    }

    @Override
    public void onWritePossible() throws IOException {
        while (out.isReady()) {
            if (left == 0) {
                end();
                return;
            }
            buffer.clear().limit((int) Math.min(buffer.capacity(), left));
            int bytesRead = file.read(buffer);
            if (bytesRead < 0) {
                throw new IOException("completed file is shorter than its record");
            }
            out.write(buffer.array(), 0, bytesRead);
            left -= bytesRead;
        }
    }

    /** The write failed: the client went away or stalled past the idle timeout. */
    @Override
    public void onError(Throwable failure) {
        LOG.log(Level.FINE, "download ended early", failure);
        end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end();
    }

    @Override
    public void onError(AsyncEvent event) {
        end();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        closeFile(); // however it completed
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    private void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        try {
            closeFile();
        } finally {
            async.complete();
        }
    }

    private void closeFile() {
        try {
            file.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not close a downloaded file", e);
        }
    }
}
