package org.resumableupload.core;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;

/** Deletes incomplete uploads whose last commit is older than a cutoff, disturbing no writer. */
final class Expiry {
    private final UploadStore store;
    private final Locker locker;

    Expiry(UploadStore store, Locker locker) {
        this.store = store;
        this.locker = locker;
    }

    /**
     * Deletes every incomplete upload last committed before {@code cutoff} that nobody is writing.
     *
     * @return how many were deleted
     * @throws IOException if the store cannot be listed, or an expired upload cannot be deleted
     */
    int deleteOlderThan(Instant cutoff) throws IOException {
        int deleted = 0;
        for (PartRecord part : store.listParts()) {
            if (part.updatedAt().isBefore(cutoff) && deleteIfExpired(part.id(), cutoff)) {
                deleted++;
            }
        }
        return deleted;
    }

    private boolean deleteIfExpired(UploadId id, Instant cutoff) throws IOException {
        Optional<Locker.Lock> lock = locker.tryLock(id);
        if (lock.isEmpty()) {
            return false; // being written: not idle
        }
        try {
            // Read again under the lock: a commit since the listing keeps it.
            Optional<PartRecord> current = store.findPart(id);
            if (current.isEmpty() || !current.get().updatedAt().isBefore(cutoff)) {
                return false;
            }
            store.deletePart(id);
            return true;
        } finally {
            lock.get().release();
        }
    }
}
