package org.resumableupload.core;

/**
 * The one writer of an upload while a request's body streams in; it holds the upload's lock until it
 * ends. Made by {@link Uploads}; the front end feeds it the body with {@link #write}, then calls
 * {@link #finish} when the body arrived whole or {@link #abort} when it was cut. A newer request for
 * the same upload, the idle sweep or shutdown may stop it from another thread; it then keeps what it
 * stored and tells its front end (the {@code onStopped} given to {@link Uploads#append}).
 *
 * <p>Two kinds: a body appended to an incomplete upload (or a start-over), and an empty body at the end
 * of a complete upload, which answers its completion again. Thread-safe.
 */
public abstract sealed class WriteSession permits BodySession, ReplaySession {

    WriteSession() {
    }

    /**
     * Appends {@code count} bytes of {@code bytes} from {@code offset}.
     *
     * @throws UploadException PAST_LENGTH or TOO_LARGE when the body would pass the length or the
     *                         maximum size (the whole body is discarded); ALREADY_COMPLETE for bytes
     *                         sent to a complete upload; SUPERSEDED, IDLE_TIMEOUT or SHUTTING_DOWN when
     *                         this session was stopped; INSUFFICIENT_STORAGE when the bytes would go below
     *                         the reserve (what fits is kept as for a cut body, unless the body has a
     *                         checksum); INSUFFICIENT_STORAGE or STORAGE_FAILURE when the store failed,
     *                         STORAGE_UNAVAILABLE when it could not be reached (either way, what the
     *                         store had made durable before is kept, and the refusal carries its offset)
     */
    public abstract void write(byte[] bytes, int offset, int count) throws UploadException;

    /**
     * The body arrived whole: checks its checksum, commits it, and completes the upload when it reached
     * the length (or the body was declared the last one).
     *
     * @return the offset now stored and, if complete, the completed upload
     * @throws UploadException CHECKSUM_MISMATCH (the body is discarded), SHORT_OF_LENGTH (a last body
     *                         that ends before the length; discarded), a stop reason, a storage error
     */
    public abstract WriteOutcome finish() throws UploadException;

    /**
     * The body was cut short (connection lost, client gone): keeps what arrived, unless the body has a
     * checksum that can no longer be checked. Never completes the upload. Safe after the session ended.
     *
     * @return the offset stored now, for the answer to the client
     */
    public abstract long abort();

    /** Nanosecond time of the last byte written, for idle detection. */
    abstract long lastActivityNanos();

    /**
     * Stops this session for {@code reason} (a newer request took over, it sat idle, the server is
     * stopping), keeping what it wrote, and tells its front end. Does nothing once it ended.
     */
    abstract void stop(ErrorCode reason);
}
