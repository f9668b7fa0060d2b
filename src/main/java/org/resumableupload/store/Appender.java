package org.resumableupload.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Appends bytes to one incomplete upload. Written bytes count only once a {@link #commit} (or a
 * {@link #commitForced} covering them) returns;
 * until then they may be {@link #discardUncommitted() discarded}, and a crash discards them too.
 *
 * <p>One appender per upload at a time; the caller (the registry) guarantees that. Not thread-safe,
 * with one exception: one other thread may call {@link #read} and {@link #force()} while the owning
 * thread calls {@link #write}, {@link #position()}, {@link #committed()} or {@link #commitForced};
 * the owner waits for that thread before it calls {@link #commit}, {@link #discardUncommitted()} or
 * {@link #close()}.
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
     * Reads bytes written so far, committed or not, starting at {@code position}, into {@code into}
     * (as many as fit and exist). Like {@link #force()}, may run on one other thread while
     * {@link #write} runs, for bytes whose write returned before this call.
     *
     * @return bytes read, 0 if {@code into} is full, -1 if {@code position} is at or past {@link #position()}
     * @throws IOException if the bytes could not be read
     */
    int read(ByteBuffer into, long position) throws IOException;

    /**
     * Makes durable every byte whose {@link #write} returned before this call, without changing the
     * committed offset: the front end forces in the background while the body streams in, so that the
     * final {@link #commit} has little left to force. May run on one other thread beside the owner's
     * calls (see the class comment).
     *
     * @throws IOException if the bytes could not be made durable; the committed offset still holds
     */
    void force() throws IOException;

    /**
     * Records {@code offset} as the upload's committed offset without forcing anything: every byte
     * before it must already be durable through {@link #force()} or an earlier commit.
     *
     * @param offset       from {@code committed().offset()} to {@link #position()}
     * @param declaredSize the whole length, or {@link PartRecord#UNKNOWN_SIZE}
     * @return the record now on disk
     * @throws IllegalArgumentException if {@code offset} is outside that range
     * @throws IOException if the record could not be made durable; the previous commit still holds
     */
    PartRecord commitForced(long offset, long declaredSize) throws IOException;

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
