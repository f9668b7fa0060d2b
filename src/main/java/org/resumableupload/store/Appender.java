package org.resumableupload.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Appends bytes to one incomplete upload. Written bytes count only once a {@link #commit} covering
 * them returns; until then they may be {@link #discardUncommitted() discarded}, and a crash or a power
 * cut discards them too.
 *
 * <p>A store may make written bytes durable in the background while more arrive (a disk store forces
 * its file, an object store uploads a part), so that the final commit has little left to wait for;
 * {@link #durable()} tells how far that got, and a commit up to there waits for nothing.
 *
 * <p>One appender per upload at a time (the core's locker guarantees that); not thread-safe: one
 * thread at a time calls its methods.
 *
 * <p>Every method that throws {@link IOException} MAY throw {@link StoreUnavailableException} when the
 * storage service is transiently unreachable or too slow to answer (an object store's appender does;
 * the disk store's never does): the failed call then had no visible effect (a failed commit leaves
 * the previous commit in force), and the upload can be resumed from its committed offset once the
 * service is back.
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
     * The next position after {@link #position()} at which a commit costs this store the least: it can
     * record that offset without storing any byte a second time (an object store's part boundary).
     * Writers that commit while a body streams mark their progress there. {@link Long#MAX_VALUE} when
     * every position costs the same (a file).
     */
    long nextBoundary();

    /**
     * How many bytes from the start are durable now, without waiting: at least the committed offset,
     * at most {@link #position()}. Never counts bytes after a failed attempt to make them durable.
     */
    long durable();

    /**
     * Makes the first {@code next.offset()} bytes durable (waiting for that if needed), then records
     * {@code next} as the upload's record, atomically: a crash or power cut leaves the previous record
     * or this one, never a record that points past durable bytes.
     *
     * @param next the new record: same id, an offset from {@code committed().offset()} to
     *             {@link #position()}
     * @return the record now durable ({@code next})
     * @throws IllegalArgumentException if the id differs or the offset is outside that range
     * @throws IOException if the bytes or the record could not be made durable; the previous commit
     *                     still holds
     */
    PartRecord commit(PartRecord next) throws IOException;

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
