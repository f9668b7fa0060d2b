package org.resumableupload.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Appends bytes to one incomplete upload. Written bytes count only once {@link #commit()} returns;
 * until then they may be {@link #discardUncommitted() discarded}, and a crash discards them too.
 *
 * <p>One appender per upload at a time; the caller (the registry) guarantees that. Not thread-safe.
 */
public interface Appender extends Closeable {

    /** The record as of the last commit (or as opened). */
    PartRecord committed();

    /** Bytes written so far, committed or not: where the next byte goes. */
    long position();

    /**
     * Writes all remaining bytes of {@code bytes} at {@link #position()}.
     *
     * @throws IOException if the bytes could not be written; some of them may have been. Call
     *                     {@link #discardUncommitted()} to get back to a known state.
     */
    void write(ByteBuffer bytes) throws IOException;

    /**
     * Makes every written byte durable, then records {@code position()} as the upload's offset
     * (and {@code declaredSize}, which may have become known).
     *
     * @param declaredSize the whole length, or {@link PartRecord#UNKNOWN_SIZE}
     * @return the record now on disk
     * @throws IOException if the bytes or the record could not be made durable; the previous commit
     *                     still holds
     */
    PartRecord commit(long declaredSize) throws IOException;

    /**
     * Forgets every byte written since the last commit: {@code position()} goes back to the committed
     * offset.
     *
     * @throws IOException if the store could not cut the bytes off; the committed offset still holds
     */
    void discardUncommitted() throws IOException;

    /** Releases the appender. Uncommitted bytes are not committed. */
    @Override
    void close() throws IOException;
}
