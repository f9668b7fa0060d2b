package org.resumableupload.core;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;

/**
 * The upload resources of one application, for every front end: create, look up, append (through a
 * {@link WriteSession}), start over, concatenate, terminate; the completed ones through
 * {@link #completed()}. The store is the
 * truth; this class keeps only the sessions writing on this node.
 *
 * <p>Rules for every front end: ownership is checked first, before anything else happens (another
 * owner's request is told NOT_FOUND and disturbs nobody); then the upload's lock is taken from the
 * {@link Locker}, which asks a running writer to stop (it keeps and commits what it wrote, and is told
 * SUPERSEDED); then the request is checked against what the store holds now. Writers that send
 * nothing for {@link UploadSettings#idleTimeout()} are stopped by {@link #sweep()}.
 *
 * <p>Wherever a method names STORAGE_FAILURE, a store that could not be reached or did not answer in
 * time (a {@link org.resumableupload.store.StoreUnavailableException}) gives STORAGE_UNAVAILABLE
 * instead: nothing of the failed request counts, and it carries the stored offset where that is known.
 */
public final class Uploads implements AutoCloseable {
    /** How long a request waits for a writer it asked to stop (which commits, then lets go). */
    static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    private final UploadStore store;
    private final Locker locker;
    private final UploadSettings settings;
    private final Clock clock;
    private final SpaceBudget space;
    private final Admission admission;
    private final Writers writers = new Writers();
    private final RecordGuards recordGuards = new RecordGuards();
    private final StorageErrors storageErrors;
    private final Expiry expiry;
    private final CompletedUploads completed;

    public Uploads(UploadStore store, Locker locker, UploadSettings settings, Clock clock, FreeSpace freeSpace) {
        this.store = store;
        this.locker = locker;
        this.settings = settings;
        this.clock = clock;
        this.space = new SpaceBudget(freeSpace, settings.diskReserve());
        this.admission = new Admission(this, store, settings, space);
        this.storageErrors = new StorageErrors(freeSpace, settings.diskReserve());
        this.expiry = new Expiry(store, locker);
        this.completed = new CompletedUploads(store, storageErrors);
        // Bouncy Castle loads its native SHA-256 on first use (about a second): here, not in a request.
        RunningSha256.fresh();
    }

    public UploadSettings settings() {
        return settings;
    }

    /**
     * Creates an empty upload with a new unguessable id (256 bits from a {@code SecureRandom}); one of
     * length 0 is complete at once.
     *
     * @throws UploadException METADATA_TOO_LARGE, TOO_LARGE, STORAGE_FAILURE, INSUFFICIENT_STORAGE
     */
    public Upload create(Owner owner, CreateSpec spec) throws UploadException {
        admission.checkCreate(spec);
        UploadId id = UploadId.random();
        Instant now = now();
        PartRecord record = new PartRecord(id, owner.tag(), spec.name(), spec.length(), 0, now, now,
                spec.metadata(), spec.partial() ? Upload.PARTIAL : null, RunningSha256.fresh().state());
        try {
            try (var appender = store.createPart(record)) {
                appender.commit(record);
            }
            if (spec.length() == 0) {
                return Upload.of(store.complete(id, RunningSha256.fresh().sha256(), now));
            }
            return Upload.of(record, expiresAt(record));
        } catch (IOException e) {
            throw storageError(e);
        }
    }

    /**
     * The upload {@code id} of {@code owner}, as stored now.
     *
     * @return empty if there is none, or it belongs to another owner
     * @throws UploadException STORAGE_FAILURE if the store cannot be read
     */
    public Optional<Upload> find(Owner owner, UploadId id) throws UploadException {
        return stored(id).filter(upload -> upload.ownerTag().equals(owner.tag()));
    }

    /** What is stored under {@code id}, whoever owns it (the part while there is one). */
    Optional<Upload> stored(UploadId id) throws UploadException {
        try {
            synchronized (recordGuard(id)) {
                Optional<PartRecord> part = store.findPart(id);
                if (part.isPresent()) {
                    return Optional.of(Upload.of(part.get(), expiresAt(part.get())));
                }
                return store.findCompleted(id).map(Upload::of);
            }
        } catch (IOException e) {
            throw storageError(e);
        }
    }

    /**
     * As {@link #find}, refusing an upload that is not there.
     *
     * @throws UploadException NOT_FOUND, STORAGE_FAILURE
     */
    public Upload get(Owner owner, UploadId id) throws UploadException {
        return find(owner, id).orElseThrow(() -> new UploadException(ErrorCode.NOT_FOUND));
    }

    /**
     * Starts a request's append to {@code owner}'s upload {@code id}, taking over from a writer still
     * running.
     *
     * @param onStopped told (on another thread) if the session is later stopped by a newer request, by
     *                  idleness or by shutdown
     * @throws UploadException NOT_FOUND (another owner's upload: nothing disturbed; or none stored once
     *                         a running writer was stopped), FINAL_UPLOAD_IMMUTABLE, OFFSET_MISMATCH
     *                         (with the stored offset; nothing changed), LENGTH_MISMATCH, PAST_LENGTH,
     *                         TOO_LARGE, ALREADY_COMPLETE, INSUFFICIENT_STORAGE, BUSY, STORAGE_FAILURE
     */
    public WriteSession append(Owner owner, UploadId id, AppendSpec spec, Consumer<UploadException> onStopped)
            throws UploadException {
        // Ownership first: nobody else's request goes further. An id with nothing stored yet may still
        // have a writer: an article start-over shows only from its first commit, and a newer request of
        // its owner takes over from it (only that owner can name the id), then finds what it committed.
        admission.checkAppend(owner, id);
        return underLock(owner, id, lock -> admission.append(owner, id, spec, onStopped, lock));
    }

    /**
     * The article's start-over: the body becomes the upload from byte 0. The upload is created with
     * {@code id} if there is none; else the new bytes replace the stored ones only at their first
     * commit (a start-over refused before that leaves the upload as it was). A complete upload is
     * replaced when the new one completes.
     *
     * @throws UploadException NOT_FOUND if {@code id} is another owner's, TOO_LARGE, PAST_LENGTH,
     *                         INSUFFICIENT_STORAGE, BUSY, STORAGE_FAILURE
     */
    public WriteSession startOver(Owner owner, UploadId id, CreateSpec create, AppendSpec spec,
                                  Consumer<UploadException> onStopped) throws UploadException {
        admission.checkStartOver(owner, id, create, spec);
        return underLock(owner, id, lock -> admission.startOver(owner, id, create, spec, onStopped, lock));
    }

    /**
     * Concatenates {@code owner}'s complete partial uploads, in order, into a new complete upload;
     * the parts are deleted afterwards.
     *
     * @throws UploadException PARTS_NOT_READY (a part missing, another owner's, not partial, or not
     *                         complete), TOO_LARGE, METADATA_TOO_LARGE, BUSY, STORAGE_FAILURE
     */
    public Upload concatenate(Owner owner, List<UploadId> parts, CreateSpec spec) throws UploadException {
        admission.checkCreate(spec);
        return new Concatenation(this, store, locker, settings).concatenate(owner, parts, spec);
    }

    /**
     * {@code owner}'s upload {@code id} once no request writes to it: a request still writing is asked
     * to stop and commits what it wrote first, so the offset answered is the one the next append must
     * give (the IETF draft's offset retrieval, which ends an append still running).
     *
     * @throws UploadException NOT_FOUND, BUSY, STORAGE_FAILURE
     */
    public Upload settled(Owner owner, UploadId id) throws UploadException {
        get(owner, id); // ownership first: another owner's request stops nobody
        Locker.Lock lock = locker.lock(id, () -> { }, LOCK_WAIT);
        try {
            return get(owner, id);
        } finally {
            lock.release();
        }
    }

    /**
     * Terminates {@code owner}'s upload {@code id}: stops its writer, deletes its bytes and records.
     *
     * @throws UploadException NOT_FOUND, BUSY, STORAGE_FAILURE
     */
    public void terminate(Owner owner, UploadId id) throws UploadException {
        get(owner, id);
        Locker.Lock lock = locker.lock(id, () -> { }, LOCK_WAIT);
        try {
            store.deletePart(id);
            store.deleteCompleted(id);
        } catch (IOException e) {
            throw storageError(e);
        } finally {
            lock.release();
        }
    }

    /** The owner's completed uploads: open one's bytes, list them. */
    public CompletedUploads completed() {
        return completed;
    }

    /**
     * Housekeeping, run periodically: stops writers idle longer than the idle timeout and deletes
     * incomplete uploads untouched for longer than the expiry age (skipping any being written); the
     * deleting runs on one node at a time ({@link Locker#tryLockHousekeeping()}).
     *
     * @return how many incomplete uploads were deleted (0 while another node sweeps)
     * @throws IOException if the store cannot be listed
     */
    public int sweep() throws IOException {
        writers.stopIdle(settings.idleTimeout()); // this node's writers
        Optional<Locker.Lock> housekeeping = locker.tryLockHousekeeping();
        if (housekeeping.isEmpty()) {
            return 0; // another node is sweeping the shared store
        }
        try {
            return expiry.deleteOlderThan(now().minus(settings.expireAfter()));
        } finally {
            housekeeping.get().release();
        }
    }

    /** How long the sweep waits between runs. */
    public Duration sweepInterval() {
        return settings.sweepInterval();
    }

    /** Stops every writer on this node (each keeps what it stored and is told SHUTTING_DOWN). */
    @Override
    public void close() {
        writers.stopAll();
    }

    Instant now() {
        return clock.instant();
    }

    Instant expiresAt(PartRecord part) {
        return part.updatedAt().plus(settings.expireAfter());
    }

    void began(WriteSession session) {
        writers.began(session);
    }

    void ended(WriteSession session) {
        writers.ended(session);
    }

    /** Completes {@code id}; the caller holds its lock. */
    CompletedRecord completeLocked(UploadId id, byte[] sha256) throws IOException {
        synchronized (recordGuard(id)) {
            return store.complete(id, sha256, now());
        }
    }

    /** The monitor held around unlocked reads of {@code id}'s records and around its completion. */
    Object recordGuard(UploadId id) {
        return recordGuards.of(id);
    }

    UploadException storageError(IOException e) {
        return storageErrors.refusal(e);
    }

    /** As {@link #storageError(IOException)}, carrying the offset the store holds ({@code -1}: unknown). */
    UploadException storageError(IOException e, long storedOffset) {
        return storageErrors.refusal(e, storedOffset);
    }

    /** Makes a writer's session under the upload's lock, which it then holds until it ends. */
    @FunctionalInterface
    private interface SessionUnderLock {
        WriteSession begin(Locker.Lock lock) throws UploadException;
    }

    /**
     * Takes the upload's lock for a writer (a writer still running is asked to stop) and begins its
     * session. A request refused the lock (a newer one came while it waited, the holder did not let
     * go, shutdown) never wrote: it is told the offset stored now, as every other refusal of a writer
     * is, so that its client can carry on from there.
     */
    private WriteSession underLock(Owner owner, UploadId id, SessionUnderLock session) throws UploadException {
        Takeover takeover = new Takeover();
        Locker.Lock lock;
        try {
            lock = locker.lock(id, takeover::releaseRequested, LOCK_WAIT);
        } catch (UploadException refused) {
            if (refused.storedOffset().isPresent()) {
                throw refused;
            }
            throw new UploadException(refused.code(), find(owner, id).map(Upload::offset).orElse(0L));
        }
        return takeover.begun(session.begin(lock));
    }
}
