package org.resumableupload.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store knows of an upload that is not complete yet. The store keeps every field as given;
 * only the core gives {@code concat} and {@code digestState} a meaning.
 *
 * @param id           the upload
 * @param ownerTag     opaque tag of the owner; only that owner may see or write the upload
 * @param name         sanitized display name the completed file will get
 * @param declaredSize the whole length once declared, else {@link #UNKNOWN_SIZE} (deferred)
 * @param offset       bytes that are durably stored; the first {@code offset} bytes are exactly the
 *                     first {@code offset} bytes the client sent
 * @param createdAt    when the upload was created (or last started over)
 * @param updatedAt    when bytes were last committed; expiry counts from here
 * @param metadata     what the client gave it at creation
 * @param concat       null for a plain upload, else how it takes part in a concatenation
 * @param digestState  the saved state of the running SHA-256 of the first {@code offset} bytes, or
 *                     null if none was saved (then it is rebuilt from the bytes)
 */
public record PartRecord(UploadId id, String ownerTag, String name, long declaredSize, long offset,
                         Instant createdAt, Instant updatedAt, Metadata metadata, String concat,
                         String digestState) {

    public static final long UNKNOWN_SIZE = -1;

    public PartRecord {
        Objects.requireNonNull(metadata, "metadata");
    }

    /** A plain part without metadata or saved digest state. */
    public PartRecord(UploadId id, String ownerTag, String name, long declaredSize, long offset,
                      Instant createdAt, Instant updatedAt) {
        this(id, ownerTag, name, declaredSize, offset, createdAt, updatedAt, Metadata.EMPTY, null, null);
    }

    /** A fresh, empty upload. */
    public static PartRecord start(UploadId id, String ownerTag, String name, long declaredSize, Instant now) {
        return new PartRecord(id, ownerTag, name, declaredSize, 0, now, now);
    }

    public boolean sizeKnown() {
        return declaredSize >= 0;
    }

    public PartRecord withOffset(long newOffset, Instant now) {
        return new PartRecord(id, ownerTag, name, declaredSize, newOffset, createdAt, now, metadata, concat,
                digestState);
    }

    /** This record at {@code newOffset}, whose first bytes' running digest is {@code state}. */
    public PartRecord withOffset(long newOffset, String state, Instant now) {
        return new PartRecord(id, ownerTag, name, declaredSize, newOffset, createdAt, now, metadata, concat,
                state);
    }

    public PartRecord withDeclaredSize(long size) {
        return new PartRecord(id, ownerTag, name, size, offset, createdAt, updatedAt, metadata, concat,
                digestState);
    }

    public PartRecord withMetadata(Metadata newMetadata, String newConcat) {
        return new PartRecord(id, ownerTag, name, declaredSize, offset, createdAt, updatedAt, newMetadata,
                newConcat, digestState);
    }
}
