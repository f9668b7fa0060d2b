package org.resumableupload.store;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/**
 * One version of a completed upload, opened: its record and a channel on exactly the bytes that record
 * describes (same size, same SHA-256), whatever completes later under the same id.
 *
 * @param record  the completed upload as of the moment it was opened
 * @param channel its bytes, readable at any position; closed by {@link #close()}
 * @param direct  where a client may fetch exactly these bytes straight from the medium for a while (an
 *                object store's presigned URL), when the store is set to hand such addresses out
 */
public record CompletedContent(CompletedRecord record, SeekableByteChannel channel, Optional<URI> direct)
        implements Closeable {

    /** Bytes that are read through the application only. */
    public CompletedContent(CompletedRecord record, SeekableByteChannel channel) {
        this(record, channel, Optional.empty());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
