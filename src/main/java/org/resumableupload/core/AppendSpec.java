package org.resumableupload.core;

/**
 * One request's append to an upload, as a front end parsed it.
 *
 * @param offset         where the body goes: must equal the stored offset
 * @param contentLength  length of the body if known in advance, else {@link #UNKNOWN}
 * @param declaredLength the upload's whole length if this request declares it (a deferred length, or
 *                       the same length again), else {@link #UNKNOWN}
 * @param ending         whether the body, arrived whole, is the rest of the upload
 * @param checksum       what the body must hash to, or null
 */
public record AppendSpec(long offset, long contentLength, long declaredLength, Ending ending,
                         BodyChecksum checksum) {

    public static final long UNKNOWN = -1;

    /** Whether a body that arrived whole ends the upload. */
    public enum Ending {
        /** More may follow; the upload completes when it reaches its declared length (tus). */
        OPEN,
        /** The body is the rest: it completes the upload, whose length is where it ends (IETF {@code ?1}). */
        LAST,
        /** The rest if the upload has no declared length, else as {@link #OPEN} (the article protocol). */
        LAST_UNLESS_SIZED,
        /**
         * More follows: the upload stays incomplete even at its declared length, until a later
         * {@link #LAST} request (which may have an empty body) completes it (IETF {@code ?0}).
         */
        NOT_LAST
    }
}
