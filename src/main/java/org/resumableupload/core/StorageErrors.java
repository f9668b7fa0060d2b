package org.resumableupload.core;

import java.io.IOException;
import org.resumableupload.store.StoreUnavailableException;

/**
 * Turns a store's {@link IOException} into the refusal a client gets: storage unavailable (for now),
 * full, or failed. Every place the core refuses because of a store failure goes through here.
 */
final class StorageErrors {
    /** How deep a cause chain is searched for an unavailable store (chains are short; cycles are possible). */
    private static final int MAX_CAUSES = 8;

    private final FreeSpace freeSpace;
    private final long diskReserve;

    StorageErrors(FreeSpace freeSpace, long diskReserve) {
        this.freeSpace = freeSpace;
        this.diskReserve = diskReserve;
    }

    /** True when {@code e} (or the medium now) says the storage is full, not broken. */
    boolean isStorageFull(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left") || message.contains("Disk quota exceeded")) {
            return true;
        }
        try {
            return freeSpace.bytes() < diskReserve;
        } catch (IOException unknown) {
            return false;
        }
    }

    /** True when {@code e} is, or was caused by, a {@link StoreUnavailableException}. */
    static boolean isUnavailable(Throwable e) {
        Throwable cause = e;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof StoreUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** As {@link #refusal(IOException, long)}, when the stored offset is not known. */
    UploadException refusal(IOException e) {
        return refusal(e, -1);
    }

    /**
     * STORAGE_UNAVAILABLE, INSUFFICIENT_STORAGE or STORAGE_FAILURE, carrying {@code e} as the cause
     * (never shown to clients) and {@code storedOffset} when it is known (not negative).
     */
    UploadException refusal(IOException e, long storedOffset) {
        // Unavailable first: a store that cannot be reached says nothing about the free space.
        ErrorCode code = isUnavailable(e) ? ErrorCode.STORAGE_UNAVAILABLE
                : isStorageFull(e) ? ErrorCode.INSUFFICIENT_STORAGE : ErrorCode.STORAGE_FAILURE;
        return new UploadException(code, storedOffset, e);
    }
}
