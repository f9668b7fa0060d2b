package org.resumableupload.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

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

    // Two records of the same upload are equal when their digests hold the same bytes.
    @Override
    public boolean equals(Object other) {
        return other instanceof CompletedRecord that && id.equals(that.id) && ownerTag.equals(that.ownerTag)
                && name.equals(that.name) && size == that.size && Arrays.equals(sha256, that.sha256)
                && completedAt.equals(that.completedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ownerTag, name, size, Arrays.hashCode(sha256), completedAt);
    }

    @Override
    public String toString() {
        return "CompletedRecord[id=" + id + ", ownerTag=" + ownerTag + ", name=" + name + ", size=" + size
                + ", sha256=" + HexFormat.of().formatHex(sha256) + ", completedAt=" + completedAt + "]";
    }
}
