package org.resumableupload.store;

import java.time.Instant;

/**
 * A finished upload: its bytes are durable in the store's completed area.
 *
 * @param id          the upload
 * @param ownerTag    opaque tag of the owner
 * @param name        sanitized file name
 * @param size        length in bytes
 * @param sha256      SHA-256 of the whole file (32 bytes)
 * @param completedAt when it completed
 */
public record CompletedRecord(UploadId id, String ownerTag, String name, long size, byte[] sha256,
                              Instant completedAt) {

    public CompletedRecord {
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }
}
