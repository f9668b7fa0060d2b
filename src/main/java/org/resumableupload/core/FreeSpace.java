package org.resumableupload.core;

import java.io.IOException;

/** The storage medium's free space, which the disk reserve is kept above ({@link SpaceBudget}). */
@FunctionalInterface
public interface FreeSpace {
    /** A medium without a practical limit (memory in tests, an object store): the reserve never applies. */
    FreeSpace UNLIMITED = () -> Long.MAX_VALUE;

    /**
     * Bytes that can still be written, as the medium reports it now.
     *
     * @throws IOException if the medium cannot tell
     */
    long bytes() throws IOException;
}
