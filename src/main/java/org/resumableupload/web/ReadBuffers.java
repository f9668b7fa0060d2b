package org.resumableupload.web;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Read buffers lent to one {@code onDataAvailable} call at a time. A body's bytes are written before
 * the call returns, so a buffer is only needed while a thread reads: memory follows the threads
 * reading, not the uploads open (1,000 slow uploads would otherwise hold 1,000 buffers).
 */
public final class ReadBuffers {
    private final int bufferBytes;
    private final BlockingQueue<byte[]> idle;

    /**
     * @param bufferBytes size of each buffer
     * @param keepIdle    buffers kept for reuse; more are made when needed and dropped when returned
     */
    public ReadBuffers(int bufferBytes, int keepIdle) {
        this.bufferBytes = bufferBytes;
        this.idle = new ArrayBlockingQueue<>(keepIdle);
    }

    /** A buffer of {@code bufferBytes}, to be {@linkplain #release released} when the call ends. */
    byte[] take() {
        byte[] reused = idle.poll();
        return reused != null ? reused : new byte[bufferBytes];
    }

    void release(byte[] buffer) {
        idle.offer(buffer); // dropped if enough are idle already
    }
}
