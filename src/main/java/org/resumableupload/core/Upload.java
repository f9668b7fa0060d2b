package org.resumableupload.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;

/**
 * An upload resource as every front end sees it, read from the store.
 *
 * @param id        server-minted (or, for the article protocol, derived from the owner's key)
 * @param ownerTag  the owner's tag
 * @param name      the sanitized file name
 * @param length    the whole length, or {@link AppendSpec#UNKNOWN} while it is deferred
 * @param offset    bytes durably stored
 * @param completed the completed record once the upload is complete, else empty
 * @param createdAt when it was created
 * @param expiresAt when it is deleted unless more bytes arrive; empty once complete
 * @param metadata  as given at creation
 * @param concat    null, {@link #PARTIAL}, or {@link #FINAL_PREFIX} and the parts' ids
 */
public record Upload(UploadId id, String ownerTag, String name, long length, long offset,
                     Optional<CompletedRecord> completed, Instant createdAt, Optional<Instant> expiresAt,
                     Metadata metadata, String concat) {

    /** The concat of a part of a later concatenation. */
    public static final String PARTIAL = "partial";
    /** The concat of a concatenated upload starts with this, followed by its parts' ids. */
    public static final String FINAL_PREFIX = "final;";

    static Upload of(PartRecord part, Instant expiresAt) {
        return new Upload(part.id(), part.ownerTag(), part.name(), part.declaredSize(), part.offset(),
                Optional.empty(), part.createdAt(), Optional.of(expiresAt), part.metadata(), part.concat());
    }

    static Upload of(CompletedRecord done) {
        return new Upload(done.id(), done.ownerTag(), done.name(), done.size(), done.size(), Optional.of(done),
                done.completedAt(), Optional.empty(), done.metadata(), done.concat());
    }

    public boolean isComplete() {
        return completed.isPresent();
    }

    public boolean isPartial() {
        return PARTIAL.equals(concat);
    }

    /** The parts of a concatenated upload, in order; empty for any other upload. */
    public List<UploadId> finalParts() {
        List<UploadId> parts = new ArrayList<>();
        if (concat != null && concat.startsWith(FINAL_PREFIX)) {
            for (String part : concat.substring(FINAL_PREFIX.length()).split(" ")) {
                if (UploadId.isValid(part)) {
                    parts.add(UploadId.of(part));
                }
            }
        }
        return parts;
    }
}
