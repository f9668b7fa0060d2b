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
 * @param metadata    what the client gave it at creation
 * @param concat      as in {@link PartRecord#concat()}
 */
public record CompletedRecord(UploadId id, String ownerTag, String name, long size, byte[] sha256,
                              Instant completedAt, Metadata metadata, String concat) {

    public CompletedRecord {
        sha256 = sha256.clone();
        Objects.requireNonNull(metadata, "metadata");
    }

    /** A plain completed upload without metadata. */
    public CompletedRecord(UploadId id, String ownerTag, String name, long size, byte[] sha256,
                           Instant completedAt) {
        this(id, ownerTag, name, size, sha256, completedAt, Metadata.EMPTY, null);
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
                && completedAt.equals(that.completedAt) && metadata.equals(that.metadata)
                && Objects.equals(concat, that.concat);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ownerTag, name, size, Arrays.hashCode(sha256), completedAt, metadata, concat);
    }

    @Override
    public String toString() {
        return "CompletedRecord[id=" + id + ", ownerTag=" + ownerTag + ", name=" + name + ", size=" + size
                + ", sha256=" + HexFormat.of().formatHex(sha256) + ", completedAt=" + completedAt + "]";
    }
}
