package org.resumableupload.core;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;

/**
 * The read side of completed uploads, for every front end: one owner's list, and the bytes of one of
 * them. Nothing here takes a lock: a completed upload's bytes never change (a re-upload completes as
 * a new version, and an open one stays readable whole). A store that could not be reached gives
 * STORAGE_UNAVAILABLE where STORAGE_FAILURE is named.
 */
public final class CompletedUploads {
    private final UploadStore store;
    private final StorageErrors storageErrors;

    CompletedUploads(UploadStore store, StorageErrors storageErrors) {
        this.store = store;
        this.storageErrors = storageErrors;
    }

    /**
     * Opens {@code owner}'s completed upload {@code id}: the record and the bytes of one version, whole,
     * even if a re-upload completes meanwhile.
     *
     * @throws UploadException NOT_FOUND if there is none for this owner, STORAGE_FAILURE
     */
    public CompletedContent open(Owner owner, UploadId id) throws UploadException {
        CompletedContent content;
        try {
            content = store.openCompleted(id);
        } catch (NoSuchFileException e) {
            throw new UploadException(ErrorCode.NOT_FOUND);
        } catch (IOException e) {
            throw storageErrors.refusal(e);
        }
        if (!content.record().ownerTag().equals(owner.tag())) {
            try {
                content.close();
            } catch (IOException ignored) {
                // Only read from: nothing is lost.
            }
            throw new UploadException(ErrorCode.NOT_FOUND);
        }
        return content;
    }

    /**
     * Every completed upload of {@code owner} except parts of concatenations, newest first.
     *
     * @throws UploadException STORAGE_FAILURE if the store cannot be listed
     */
    public List<CompletedRecord> of(Owner owner) throws UploadException {
        try {
            List<CompletedRecord> files = new ArrayList<>(store.listCompleted(owner.tag()));
            files.removeIf(file -> Upload.PARTIAL.equals(file.concat()));
            return files;
        } catch (IOException e) {
            throw storageErrors.refusal(e);
        }
    }
}
