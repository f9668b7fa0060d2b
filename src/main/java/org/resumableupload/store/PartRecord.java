package org.resumableupload.store;

import java.time.Instant;

/**
 * What the store knows of an upload that is not complete yet.
 *
 * @param id           the upload
 * @param ownerTag     opaque tag of the owner; only that owner may see or write the upload
 * @param name         sanitized display name the completed file will get
 * @param declaredSize the whole length if the client declared it, else {@code -1}
 * @param offset       bytes that are durably stored; the first {@code offset} bytes are exactly the
 *                     first {@code offset} bytes the client sent
 * @param createdAt    when the upload was started (or last started over)
 * @param updatedAt    when bytes were last committed; expiry counts from here
 */
public record PartRecord(UploadId id, String ownerTag, String name, long declaredSize, long offset,
                         Instant createdAt, Instant updatedAt) {

    public static final long UNKNOWN_SIZE = -1;

    /** A fresh, empty upload. */
    public static PartRecord start(UploadId id, String ownerTag, String name, long declaredSize, Instant now) {
        return new PartRecord(id, ownerTag, name, declaredSize, 0, now, now);
    }

    public boolean sizeKnown() {
        return declaredSize >= 0;
    }

    public PartRecord withOffset(long newOffset, Instant now) {
        return new PartRecord(id, ownerTag, name, declaredSize, newOffset, createdAt, now);
    }

    public PartRecord withDeclaredSize(long size) {
        return new PartRecord(id, ownerTag, name, size, offset, createdAt, updatedAt);
    }
}
