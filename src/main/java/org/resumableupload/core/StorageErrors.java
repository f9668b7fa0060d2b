package org.resumableupload.core;

import java.io.IOException;

/** Turns a store's {@link IOException} into the refusal a client gets: storage full, or failed. */
final class StorageErrors {
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

    /** INSUFFICIENT_STORAGE or STORAGE_FAILURE, carrying {@code e} as the cause (never shown to clients). */
    UploadException refusal(IOException e) {
        return new UploadException(isStorageFull(e) ? ErrorCode.INSUFFICIENT_STORAGE : ErrorCode.STORAGE_FAILURE,
                -1, e);
    }
}
