package org.resumableupload.core;

import java.io.IOException;

/**
 * The free space above the disk reserve, shared by every body being written, so that
 * {@link UploadSettings#diskReserve()} holds after every byte: each admitted body holds a
 * {@link Reservation} of what it may still write, and no body writes a byte it has not reserved.
 *
 * <p>A body of known length reserves all of it when admitted. A body of unknown length reserves
 * {@link #GRANT_BYTES} at a time as it writes; each grant asks the medium for its free space once
 * (a {@code statvfs}), so writing costs one such call per grant, not one per write. Bytes written
 * show in the medium's free space, so a reservation shrinks by what its body wrote; what is left of
 * it is given back when the body ends. Checking the free space and reserving are one step under this
 * budget's lock, so two bodies can never both be admitted against the same free bytes.
 *
 * <p>Thread-safe.
 */
final class SpaceBudget {
    /** What a body of unknown length reserves at a time (less once less is left above the reserve). */
    static final long GRANT_BYTES = 16L << 20;

    private final FreeSpace freeSpace;
    private final long diskReserve;
    private long reserved; // what admitted bodies may still write; not yet in freeSpace

    SpaceBudget(FreeSpace freeSpace, long diskReserve) {
        this.freeSpace = freeSpace;
        this.diskReserve = diskReserve;
    }

    /**
     * Admits a body: reserves {@code coming} bytes (its whole length), or, for a body of unknown length
     * ({@code coming < 0}), a first grant of what is left up to {@link #GRANT_BYTES}.
     *
     * @param storedOffset the upload's stored offset, for the refusal
     * @throws UploadException INSUFFICIENT_STORAGE (with {@code storedOffset}) if the reserve would not
     *                         remain after the whole body, or, for unknown length, is reached already
     * @throws IOException     if the medium cannot tell its free space
     */
    synchronized Reservation admit(long coming, long storedOffset) throws IOException, UploadException {
        long left = leftLocked();
        if (left < Math.max(0, coming)) {
            throw new UploadException(ErrorCode.INSUFFICIENT_STORAGE, storedOffset);
        }
        long grant = coming >= 0 ? coming : Math.min(GRANT_BYTES, left);
        reserved += grant;
        return new Reservation(grant);
    }

    /** Bytes admitted bodies may still write (for tests and diagnostics). */
    synchronized long reserved() {
        return reserved;
    }

    /** Free bytes above the reserve that no admitted body may still write; negative when none. */
    private long leftLocked() throws IOException {
        long aboveReserve = freeSpace.bytes() - diskReserve; // both at least 0: cannot overflow
        return aboveReserve < 0 ? -1 : aboveReserve - reserved;
    }

    /** What one body may still write. Used by its session under the upload's lock. */
    final class Reservation {
        private long remaining;
        private boolean released;

        private Reservation(long granted) {
            this.remaining = granted;
        }

        /**
         * How many of the next {@code length} bytes may be written: all of them, or fewer once the
         * space above the reserve runs out. Asks for a grant (one free-space query) only when this
         * reservation has less than {@code length} left.
         *
         * @throws IOException if the medium cannot tell its free space
         */
        int writable(int length) throws IOException {
            synchronized (SpaceBudget.this) {
                if (released) {
                    return 0;
                }
                if (length > remaining) {
                    long left = leftLocked();
                    long grant = Math.min(Math.max(GRANT_BYTES, length - remaining), Math.max(0, left));
                    remaining += grant;
                    reserved += grant;
                }
                return (int) Math.min(length, remaining);
            }
        }

        /** {@code bytes} were written (after {@link #writable} allowed them): the medium now counts them. */
        void wrote(long bytes) {
            synchronized (SpaceBudget.this) {
                long counted = Math.min(bytes, remaining);
                remaining -= counted;
                reserved -= counted;
            }
        }

        /** The body ended: what it did not write is free for others. Safe to call again. */
        void release() {
            synchronized (SpaceBudget.this) {
                if (!released) {
                    released = true;
                    reserved -= remaining;
                    remaining = 0;
                }
            }
        }
    }
}
