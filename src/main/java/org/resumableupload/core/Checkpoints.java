package org.resumableupload.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.resumableupload.store.Appender;

/**
 * The running SHA-256's saved state at points of a body, so that an offset the store made durable in
 * the background can be committed with the digest state of exactly that offset. One mark per
 * {@link #MARK_BYTES} written; marks at or below the committed offset are dropped. Not thread-safe
 * (the session's monitor guards it).
 */
final class Checkpoints {
    /** Bytes between two marks: a checkpoint or a failure keeps at most this much less than is durable. */
    static final long MARK_BYTES = 1L << 20;

    /** The digest state as of a position. */
    record Mark(long position, String state) {
    }

    private final RunningSha256 fileHash;
    private final long checkpointBytes;
    private final Deque<Mark> marks = new ArrayDeque<>();
    private long committedOffset;
    private long lastMark;
    private boolean everCommitted;

    Checkpoints(long committedOffset, RunningSha256 fileHash, UploadSettings settings) {
        this.committedOffset = committedOffset;
        this.lastMark = committedOffset;
        this.fileHash = fileHash;
        this.checkpointBytes = settings.checkpointBytes();
    }

    /**
     * Bytes up to {@code position} were written and hashed; {@code atBoundary} when the store commits
     * cheapest there ({@link Appender#nextBoundary()}), which always gets a mark.
     */
    void wrote(long position, boolean atBoundary) {
        if (atBoundary || position - lastMark >= Math.min(MARK_BYTES, checkpointBytes)) {
            marks.addLast(new Mark(position, fileHash.state()));
            lastMark = position;
        }
    }

    /** The mark to commit now: the latest one the store made durable, once it is far enough ahead. */
    Optional<Mark> due(Appender appender) {
        if (lastMark - committedOffset < checkpointBytes) {
            return Optional.empty(); // no need to ask the store
        }
        return latestWithin(appender.durable()).filter(mark -> mark.position() - committedOffset >= checkpointBytes);
    }

    /** The latest mark past the committed offset and at or before {@code durable}. */
    Optional<Mark> latestWithin(long durable) {
        Mark latest = null;
        for (Mark mark : marks) {
            if (mark.position() > durable) {
                break;
            }
            latest = mark;
        }
        return Optional.ofNullable(latest);
    }

    /** The store now holds {@code offset}. */
    void committed(long offset) {
        committedOffset = offset;
        everCommitted = true;
        while (!marks.isEmpty() && marks.peekFirst().position() <= offset) {
            marks.removeFirst();
        }
    }

    /** True once this session committed anything. */
    boolean everCommitted() {
        return everCommitted;
    }
}
