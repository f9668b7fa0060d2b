package org.resumableupload.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Consumer;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;

/**
 * The checks a request passes before its body may be written, and the session it then gets. Every
 * check under the lock reads the store once, and refuses with the offset it found.
 */
final class Admission {
    private final Uploads uploads;
    private final UploadStore store;
    private final UploadSettings settings;
    private final SpaceBudget space;

    Admission(Uploads uploads, UploadStore store, UploadSettings settings, SpaceBudget space) {
        this.uploads = uploads;
        this.store = store;
        this.settings = settings;
        this.space = space;
    }

    void checkCreate(CreateSpec spec) throws UploadException {
        if (spec.metadata().encodedSize() > settings.maxMetadataBytes()) {
            throw new UploadException(ErrorCode.METADATA_TOO_LARGE,
                    "upload metadata is larger than " + settings.maxMetadataBytes() + " bytes");
        }
        if (spec.length() > settings.maxUploadSize()) {
            throw new UploadException(ErrorCode.TOO_LARGE);
        }
    }

    /**
     * Before an append takes the lock: the owner's upload as stored now, or none if nothing is stored
     * under {@code id} (the append then finds out under the lock).
     *
     * @throws UploadException NOT_FOUND if {@code id} is another owner's; STORAGE_FAILURE
     */
    void checkAppend(Owner owner, UploadId id) throws UploadException {
        Optional<Upload> upload = ownedOrNothing(owner, id);
        // A concatenated upload is made whole from its parts: nothing is ever appended to it.
        if (upload.isPresent() && upload.get().concat() != null
                && upload.get().concat().startsWith(Upload.FINAL_PREFIX)) {
            throw new UploadException(ErrorCode.FINAL_UPLOAD_IMMUTABLE, upload.get().offset());
        }
    }

    /** Before a start-over takes the lock: it must be the owner's id, and not too large for anyone. */
    void checkStartOver(Owner owner, UploadId id, CreateSpec create, AppendSpec spec) throws UploadException {
        long stored = ownedOrNothing(owner, id).map(Upload::offset).orElse(0L);
        // Refused before it stops anyone; answered with what is stored, which stays as it was.
        refuseOversized(create.length(), 0, spec.contentLength(), stored);
    }

    /**
     * The owner's upload as stored now, read once; empty if nothing is stored under {@code id}.
     *
     * @throws UploadException NOT_FOUND if {@code id} is another owner's; STORAGE_FAILURE
     */
    private Optional<Upload> ownedOrNothing(Owner owner, UploadId id) throws UploadException {
        Optional<Upload> stored = uploads.stored(id);
        if (stored.isPresent() && !stored.get().ownerTag().equals(owner.tag())) {
            throw new UploadException(ErrorCode.NOT_FOUND);
        }
        return stored;
    }

    WriteSession append(Owner owner, UploadId id, AppendSpec spec, Consumer<UploadException> onStopped,
                        Locker.Lock lock) throws UploadException {
        SpaceBudget.Reservation reserved = null; // released below unless a session took it
        boolean handedOver = false;
        long known = -1; // the stored offset, once read: a later store failure changed nothing
        try {
            Optional<PartRecord> part = store.findPart(id).filter(p -> p.ownerTag().equals(owner.tag()));
            Optional<CompletedRecord> completed = part.isPresent() ? Optional.empty()
                    : store.findCompleted(id).filter(c -> c.ownerTag().equals(owner.tag()));
            if (part.isEmpty() && completed.isEmpty()) {
                throw new UploadException(ErrorCode.NOT_FOUND); // terminated or expired meanwhile
            }
            long stored = part.map(PartRecord::offset).orElseGet(() -> completed.get().size());
            known = stored;
            // The offset must equal what is stored, else 409 and nothing changes.
            if (spec.offset() != stored) {
                throw new UploadException(ErrorCode.OFFSET_MISMATCH, stored);
            }
            if (part.isEmpty()) {
                // An empty append at the end of a complete upload answers its completion again.
                if (spec.contentLength() > 0) {
                    throw new UploadException(ErrorCode.ALREADY_COMPLETE, stored);
                }
                handedOver = true;
                return started(new ReplaySession(new SessionContext(uploads, lock, false, stored), completed.get()));
            }
            long length = agreedLength(part.get(), spec.declaredLength());
            refuseOversized(length, spec.offset(), spec.contentLength(), stored);
            // A body that completes the upload must end exactly at its length: refused before it is read.
            if (spec.ending() == AppendSpec.Ending.LAST && length >= 0 && spec.contentLength() >= 0
                    && spec.offset() + spec.contentLength() < length) {
                throw new UploadException(ErrorCode.SHORT_OF_LENGTH, stored);
            }
            reserved = space.admit(comingBytes(spec, length), stored);
            Appender appender = store.openAppender(id);
            RunningSha256 digest;
            try {
                digest = digestOf(part.get(), appender);
            } catch (IOException | RuntimeException e) {
                appender.close();
                throw e;
            }
            WriteSession session = new BodySession(new SessionContext(uploads, lock, false, stored), appender,
                    digest, length, spec, onStopped, reserved);
            reserved = null;
            handedOver = true;
            return started(session);
        } catch (IOException e) {
            throw uploads.storageError(e, known);
        } finally {
            release(reserved, handedOver ? null : lock);
        }
    }

    WriteSession startOver(Owner owner, UploadId id, CreateSpec create, AppendSpec spec,
                           Consumer<UploadException> onStopped, Locker.Lock lock) throws UploadException {
        SpaceBudget.Reservation reserved = null;
        boolean handedOver = false;
        long known = -1;
        try {
            long stored = ownedOrNothing(owner, id).map(Upload::offset).orElse(0L);
            known = stored;
            reserved = space.admit(comingBytes(spec, create.length()), stored);
            Appender appender = store.createPart(new PartRecord(id, owner.tag(), create.name(), create.length(), 0,
                    uploads.now(), uploads.now(), create.metadata(), null, null));
            WriteSession session = new BodySession(new SessionContext(uploads, lock, true, stored), appender,
                    RunningSha256.fresh(), create.length(), spec, onStopped, reserved);
            reserved = null;
            handedOver = true;
            return started(session);
        } catch (IOException e) {
            throw uploads.storageError(e, known);
        } finally {
            release(reserved, handedOver ? null : lock);
        }
    }

    private WriteSession started(WriteSession session) {
        uploads.began(session);
        return session;
    }

    private static void release(SpaceBudget.Reservation reserved, Locker.Lock lock) {
        if (reserved != null) {
            reserved.release(); // admitted, then failed before a session could write
        }
        if (lock != null) {
            lock.release();
        }
    }

    /**
     * The digest of the part's committed bytes: resumed from the state saved with the offset, else
     * (a record from before states were saved, or another SHA-256 variant) rebuilt from the bytes.
     */
    private RunningSha256 digestOf(PartRecord part, Appender appender) throws IOException {
        if (part.offset() == 0) {
            return RunningSha256.fresh();
        }
        Optional<RunningSha256> resumed = RunningSha256.resume(part.digestState());
        if (resumed.isPresent()) {
            return resumed.get();
        }
        RunningSha256 rebuilt;
        try (InputStream prefix = store.readPart(part.id())) {
            rebuilt = RunningSha256.of(prefix);
        }
        // Saved at once (expiry unchanged): a session stopped before its first commit would otherwise
        // leave the next request to read the whole prefix again.
        PartRecord committed = appender.committed();
        try {
            appender.commit(committed.withOffset(committed.offset(), rebuilt.state(), committed.updatedAt()));
        } catch (IOException notSaved) {
            // Rebuilt again by the next request; this one goes on with the digest it has.
        }
        return rebuilt;
    }

    private long agreedLength(PartRecord part, long requested) throws UploadException {
        if (requested < 0) {
            return part.declaredSize();
        }
        // A length, once declared, cannot change; one declared late cannot be below what is stored.
        if ((part.sizeKnown() && requested != part.declaredSize()) || requested < part.offset()) {
            throw new UploadException(ErrorCode.LENGTH_MISMATCH, part.offset());
        }
        if (requested > settings.maxUploadSize()) {
            throw new UploadException(ErrorCode.TOO_LARGE, part.offset());
        }
        return requested;
    }

    private void refuseOversized(long length, long offset, long contentLength, long stored) throws UploadException {
        if (length > settings.maxUploadSize()) {
            throw new UploadException(ErrorCode.TOO_LARGE, stored);
        }
        if (contentLength < 0) {
            return;
        }
        if (length >= 0 && contentLength > length - offset) {
            throw new UploadException(ErrorCode.PAST_LENGTH, stored);
        }
        if (contentLength > settings.maxUploadSize() - offset) {
            throw new UploadException(ErrorCode.TOO_LARGE, stored);
        }
    }

    /**
     * The most this body may write, or -1 if unknown (chunked, no length). The reserve must remain
     * after all of it, else INSUFFICIENT_STORAGE before anything is written; a body of unknown length
     * is held to the reserve while it writes ({@link SpaceBudget}).
     */
    private static long comingBytes(AppendSpec spec, long length) {
        return spec.contentLength() >= 0 ? spec.contentLength() : length >= 0 ? length - spec.offset() : -1;
    }
}
