package org.resumableupload.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * One version of a completed upload, opened: its record and a channel on exactly the bytes that record
 * describes (same size, same SHA-256), whatever completes later under the same id.
 *
 * @param record  the completed upload as of the moment it was opened
 * @param channel its bytes, readable at any position; closed by {@link #close()}
 */
public record CompletedContent(CompletedRecord record, SeekableByteChannel channel) implements Closeable {

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
