package org.resumableupload.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;

/**
 * The only place that knows upload state, for one web application. It serializes writers per upload,
 * hands each request a {@link WriteSession}, and keeps the running SHA-256 of each upload between
 * requests. The store is the truth: offsets are read back from it; this registry only caches digests
 * and locks. Every access to one upload's stored state happens under that upload's lock.
 *
 * <p>Takeover rule: a newer request for an upload stops the older one at once (the older keeps and
 * commits what it wrote unless its body carried a digest, and is told {@link ErrorCode#SUPERSEDED});
 * then the newer request's start byte is checked against the offset now stored. Requests that send
 * nothing for {@link UploadSettings#idleTimeout()} are stopped the same way by {@link #sweep()}.
 */
public final class UploadRegistry implements AutoCloseable {
    private final UploadStore store;
    private final UploadSettings settings;
    private final Clock clock;
    private final Map<UploadId, Entry> entries = new ConcurrentHashMap<>();
    private final Executor forces;
    private final SpaceBudget space;

    /** Lock, current writer and cached digest of one upload. */
    static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        WriteSession active;
        private MessageDigest committedDigest;
        private long digestedBytes = -1;
        // The one rebuild of this upload's digest in flight, which other requests wait for.
        private CompletableFuture<Void> rebuilding;
        private boolean removed;

        void rememberDigest(MessageDigest digest, long bytes) {
            committedDigest = digest;
            digestedBytes = bytes;
        }
    }

    /**
     * A registry whose sessions force written bytes in the background on {@code forces} while bodies
     * stream in (see {@link WriteSession}). The caller owns {@code forces} and shuts it down after
     * {@link #close()}; a force it rejects is skipped (the final commit forces everything anyway).
     */
    public UploadRegistry(UploadStore store, UploadSettings settings, Clock clock, Executor forces) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.forces = forces;
        this.space = new SpaceBudget(store::usableSpace, settings.diskReserve());
    }

    /** A registry whose sessions force on the writing thread itself, as each flush falls due. */
    public UploadRegistry(UploadStore store, UploadSettings settings, Clock clock) {
        this(store, settings, clock, Runnable::run);
    }

    public UploadSettings settings() {
        return settings;
    }

    /**
     * The upload that {@code owner} calls {@code clientFileId}. Ids are derived (hashed) from both, so
     * one owner can never name another's upload and the client string never becomes a path.
     *
     * @throws UploadException MISSING_FILE_ID if empty, FILE_ID_TOO_LONG above the limit
     */
    public UploadId idFor(Owner owner, String clientFileId) throws UploadException {
        if (clientFileId == null || clientFileId.isEmpty()) {
            throw new UploadException(ErrorCode.MISSING_FILE_ID);
        }
        if (clientFileId.length() > settings.maxIdLength()) {
            throw new UploadException(ErrorCode.FILE_ID_TOO_LONG,
                    "X-File-Id is longer than " + settings.maxIdLength() + " characters");
        }
        return UploadId.derive(owner.tag(), clientFileId);
    }

    /**
     * Bytes durably stored for the upload: its committed offset, its size once complete, 0 if unknown.
     *
     * @throws UploadException STORAGE_FAILURE if the store cannot be read
     */
    public long storedOffset(Owner owner, UploadId id) throws UploadException {
        Entry entry = lockedEntry(id);
        try {
            Optional<PartRecord> part = ownedPart(owner, id);
            if (part.isPresent()) {
                return part.get().offset();
            }
            return ownedCompleted(owner, id).map(CompletedRecord::size).orElse(0L);
        } catch (IOException e) {
            throw new UploadException(ErrorCode.STORAGE_FAILURE, -1, e);
        } finally {
            unlock(entry, id);
        }
    }

    /**
     * Starts a request's write to an upload. Stops an older writer of the same upload first.
     *
     * @param onStopped told (on another thread) if this session is later stopped by a newer request, by
     *                  idleness or by shutdown
     * @throws UploadException TOO_LARGE, PAST_DECLARED_SIZE, OFFSET_MISMATCH (with the stored offset),
     *                         SIZE_MISMATCH, INSUFFICIENT_STORAGE (the disk reserve would not remain after
     *                         the body and what other bodies may still write), STORAGE_FAILURE; nothing changed
     */
    public WriteSession begin(Owner owner, UploadId id, AppendRequest request, Consumer<UploadException> onStopped)
            throws UploadException {
        long startByte = request.startsOver() ? 0 : request.startByte();
        if (request.startsOver()) {
            // A start-over too large is refused before it stops anyone. A resuming request is checked
            // under the lock after its start byte, so a wrong offset answers 409 before any 413.
            try {
                refuseOversized(request.declaredSize(), 0, request.contentLength(), -1);
            } catch (UploadException tooLarge) {
                throw new UploadException(tooLarge.code(), storedOffset(owner, id));
            }
        } else {
            rebuildDigestUnlocked(owner, id);
        }
        Entry entry = lockedEntry(id);
        Runnable tellStopped = null;
        SpaceBudget.Reservation reserved = null; // released below unless a session took it
        try {
            if (entry.active != null) {
                tellStopped = entry.active.stopLocked(ErrorCode.SUPERSEDED);
            }
            Optional<PartRecord> part = ownedPart(owner, id);
            // Checked on a start-over too: it would replace the completed upload when it completes.
            Optional<CompletedRecord> completed = part.isPresent() ? Optional.empty() : ownedCompleted(owner, id);
            long stored = part.map(PartRecord::offset).orElse(completed.map(CompletedRecord::size).orElse(0L));
            long declaredSize = request.declaredSize();
            if (!request.startsOver()) {
                // The offset must equal what is stored, else 409 and nothing changes.
                if (startByte != stored) {
                    throw new UploadException(ErrorCode.OFFSET_MISMATCH, stored);
                }
                if (part.isEmpty()) {
                    // Posting again at the end of a completed upload answers its completion again.
                    refuseOversized(completed.get().size(), startByte, request.contentLength(), stored);
                    return new WriteSession(entry, completed.get(), request);
                }
                declaredSize = agreedSize(part.get(), declaredSize);
                refuseOversized(declaredSize, startByte, request.contentLength(), stored);
            }
            reserved = space.admit(comingBytes(request, declaredSize, startByte), stored);
            Appender appender;
            MessageDigest digest;
            if (request.startsOver()) {
                // A start-over replaces nothing until its first commit: refused, it leaves the upload as it was.
                appender = store.createPart(PartRecord.start(id, owner.tag(), request.name(), declaredSize,
                        clock.instant()));
                digest = Digests.sha256();
            } else {
                appender = store.openAppender(id);
                try {
                    digest = digestAt(entry, id, appender.committed().offset());
                } catch (IOException e) {
                    appender.close();
                    throw e;
                }
            }
            WriteSession session = new WriteSession(this, entry, appender, digest, declaredSize, request, onStopped,
                    reserved);
            reserved = null;
            entry.active = session;
            return session;
        } catch (IOException e) {
            throw new UploadException(isStorageFull(e) ? ErrorCode.INSUFFICIENT_STORAGE : ErrorCode.STORAGE_FAILURE,
                    -1, e);
        } finally {
            if (reserved != null) {
                reserved.release(); // admitted, then failed before a session could write
            }
            unlock(entry, id);
            if (tellStopped != null) {
                tellStopped.run();
            }
        }
    }

    /**
     * The completed upload {@code id} of {@code owner}.
     *
     * @throws UploadException STORAGE_FAILURE if the store cannot be read
     */
    public Optional<CompletedRecord> completed(Owner owner, UploadId id) throws UploadException {
        try {
            return ownedCompleted(owner, id);
        } catch (IOException e) {
            throw new UploadException(ErrorCode.STORAGE_FAILURE, -1, e);
        }
    }

    /**
     * Every completed upload of {@code owner}, newest first.
     *
     * @throws UploadException STORAGE_FAILURE if the store cannot be listed
     */
    public List<CompletedRecord> completedUploads(Owner owner) throws UploadException {
        try {
            return store.listCompleted(owner.tag());
        } catch (IOException e) {
            throw new UploadException(ErrorCode.STORAGE_FAILURE, -1, e);
        }
    }

    /**
     * Opens {@code owner}'s completed upload {@code id}: the record and the bytes of one version, whole,
     * even if a re-upload completes meanwhile.
     *
     * @throws UploadException NOT_FOUND if there is none for this owner, STORAGE_FAILURE
     */
    public CompletedContent openCompleted(Owner owner, UploadId id) throws UploadException {
        CompletedContent content;
        try {
            content = store.openCompleted(id);
        } catch (NoSuchFileException e) {
            throw new UploadException(ErrorCode.NOT_FOUND);
        } catch (IOException e) {
            throw new UploadException(ErrorCode.STORAGE_FAILURE, -1, e);
        }
        if (!content.record().ownerTag().equals(owner.tag())) {
            closeQuietly(content);
            throw new UploadException(ErrorCode.NOT_FOUND);
        }
        return content;
    }

    private static void closeQuietly(CompletedContent content) {
        try {
            content.close();
        } catch (IOException ignored) {
            // Only read from: nothing is lost.
        }
    }

    /**
     * Housekeeping, run periodically: stops writers idle longer than the idle timeout and deletes
     * incomplete uploads untouched for longer than the expiry age.
     *
     * @return how many incomplete uploads were deleted
     * @throws IOException if the store cannot be listed
     */
    public int sweep() throws IOException {
        long idleNanos = settings.idleTimeout().toNanos();
        long now = System.nanoTime();
        for (Entry entry : entries.values()) {
            WriteSession active = entry.active;
            if (active != null && now - active.lastActivityNanos() > idleNanos) {
                stop(entry, active, ErrorCode.IDLE_TIMEOUT);
            }
        }
        Instant cutoff = clock.instant().minus(settings.expireAfter());
        int deleted = 0;
        for (PartRecord part : store.listParts()) {
            if (part.updatedAt().isBefore(cutoff) && deleteIfIdle(part.id(), cutoff)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Stops every writer (each keeps what it stored and is told SHUTTING_DOWN). */
    @Override
    public void close() {
        for (Entry entry : new ArrayList<>(entries.values())) {
            WriteSession active = entry.active;
            if (active != null) {
                stop(entry, active, ErrorCode.SHUTTING_DOWN);
            }
        }
    }

    /** How long the sweep waits between runs. */
    public Duration sweepInterval() {
        return settings.sweepInterval();
    }

    /** Runs the sessions' background forces. */
    Executor forces() {
        return forces;
    }

    CompletedRecord completeLocked(Entry entry, UploadId id, byte[] sha256) throws IOException {
        CompletedRecord completed = store.complete(id, sha256, clock.instant());
        entry.removed = true;
        entries.remove(id, entry);
        return completed;
    }

    /** What the store holds for {@code id} now (the caller holds its lock); -1 if it cannot be read. */
    long storedOffsetLocked(UploadId id) {
        try {
            Optional<PartRecord> part = store.findPart(id);
            return part.isPresent() ? part.get().offset()
                    : store.findCompleted(id).map(CompletedRecord::size).orElse(0L);
        } catch (IOException unreadable) {
            return -1;
        }
    }

    boolean isStorageFull(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left") || message.contains("Disk quota exceeded")) {
            return true;
        }
        try {
            return store.usableSpace() < settings.diskReserve();
        } catch (IOException unknown) {
            return false;
        }
    }

    private void stop(Entry entry, WriteSession session, ErrorCode reason) {
        Runnable tellStopped;
        entry.lock.lock();
        try {
            tellStopped = entry.active == session ? session.stopLocked(reason) : null;
        } finally {
            entry.lock.unlock();
        }
        if (tellStopped != null) {
            tellStopped.run();
        }
    }

    private boolean deleteIfIdle(UploadId id, Instant cutoff) throws IOException {
        Entry entry = lockedEntry(id);
        try {
            Optional<PartRecord> current = store.findPart(id);
            if (entry.active != null || current.isEmpty() || !current.get().updatedAt().isBefore(cutoff)) {
                return false;
            }
            store.deletePart(id);
            entry.removed = true;
            entries.remove(id, entry);
            return true;
        } finally {
            entry.lock.unlock();
        }
    }

    /** Unlocks, dropping the entry if it holds nothing worth keeping (so unknown ids leave no trace). */
    private void unlock(Entry entry, UploadId id) {
        if (entry.active == null && entry.committedDigest == null && entry.rebuilding == null && !entry.removed) {
            entry.removed = true;
            entries.remove(id, entry);
        }
        entry.lock.unlock();
    }

    private Entry lockedEntry(UploadId id) {
        while (true) {
            Entry entry = entries.computeIfAbsent(id, ignored -> new Entry());
            entry.lock.lock();
            if (!entry.removed) {
                return entry;
            }
            entry.lock.unlock(); // removed while we waited: take the fresh one
        }
    }

    /**
     * After a restart the running digest of a resumed upload is gone and must be rebuilt from the
     * stored prefix (about 1 s per GiB). Done here without holding the upload's lock, so that status
     * and other requests are answered meanwhile, and once per upload: requests arriving during the
     * rebuild wait for it instead of reading the prefix again. Kept only if the part is still the same
     * part at the same offset afterwards (a commit or a start-over in between makes {@link #digestAt}
     * rebuild it under the lock instead).
     */
    private void rebuildDigestUnlocked(Owner owner, UploadId id) throws UploadException {
        PartRecord before;
        CompletableFuture<Void> rebuilt = new CompletableFuture<>();
        Entry entry = lockedEntry(id);
        try {
            if (entry.committedDigest != null) {
                return; // the usual case: no I/O on the way to every resumed request
            }
            if (entry.rebuilding != null) {
                rebuilt = entry.rebuilding;
                before = null; // another request rebuilds it: wait for that one below
            } else {
                Optional<PartRecord> part = store.findPart(id);
                if (part.isEmpty() || part.get().offset() == 0 || !part.get().ownerTag().equals(owner.tag())) {
                    return;
                }
                before = part.get();
                entry.rebuilding = rebuilt;
            }
        } catch (IOException e) {
            return; // begin meets the same failure under the lock and reports it
        } finally {
            unlock(entry, id);
        }
        if (before == null) {
            rebuilt.join();
            return;
        }
        try {
            rememberRebuilt(entry, id, before);
        } finally {
            rebuilt.complete(null);
        }
    }

    private void rememberRebuilt(Entry entry, UploadId id, PartRecord before) {
        MessageDigest digest = null;
        try {
            digest = prefixDigest(id);
        } catch (IOException e) {
            // begin meets the same failure under the lock and reports it
        }
        Entry current = lockedEntry(id);
        try {
            Optional<PartRecord> now = store.findPart(id);
            if (current == entry && digest != null && entry.committedDigest == null && now.isPresent()
                    && now.get().offset() == before.offset() && now.get().createdAt().equals(before.createdAt())) {
                entry.rememberDigest(digest, before.offset());
            }
        } catch (IOException e) {
            // begin meets the same failure under the lock and reports it
        } finally {
            entry.rebuilding = null; // if the entry was dropped meanwhile, nobody takes it any more
            unlock(current, id);
        }
    }

    private MessageDigest digestAt(Entry entry, UploadId id, long offset) throws IOException {
        if (entry.committedDigest == null || entry.digestedBytes != offset) {
            // Gone (a restart) or stale, and no unlocked rebuild could be kept: rebuild it here, locked.
            entry.rememberDigest(prefixDigest(id), offset);
        }
        return Digests.copy(entry.committedDigest);
    }

    /** The SHA-256 of the upload's committed bytes, read from the store. */
    private MessageDigest prefixDigest(UploadId id) throws IOException {
        try (InputStream prefix = store.readPart(id)) {
            return Digests.of(prefix);
        }
    }

    private long agreedSize(PartRecord part, long requested) throws UploadException {
        if (requested < 0) {
            return part.declaredSize();
        }
        // A size, once declared, cannot change; a size declared late cannot be below what is stored.
        if ((part.sizeKnown() && requested != part.declaredSize()) || requested < part.offset()) {
            throw new UploadException(ErrorCode.SIZE_MISMATCH, part.offset());
        }
        return requested;
    }

    private void refuseOversized(long declaredSize, long startByte, long contentLength, long stored)
            throws UploadException {
        if (declaredSize > settings.maxUploadSize()) {
            throw new UploadException(ErrorCode.TOO_LARGE, stored);
        }
        if (contentLength < 0) {
            return;
        }
        if (declaredSize >= 0 && contentLength > declaredSize - startByte) {
            throw new UploadException(ErrorCode.PAST_DECLARED_SIZE, stored);
        }
        if (contentLength > settings.maxUploadSize() - startByte) {
            throw new UploadException(ErrorCode.TOO_LARGE, stored);
        }
    }

    /**
     * The most this body may write, or -1 if unknown (chunked, no declared size). The reserve must
     * remain after all of it, else 507 before anything is written; a body of unknown length is held
     * to the reserve while it writes ({@link SpaceBudget}).
     */
    private static long comingBytes(AppendRequest request, long declaredSize, long startByte) {
        return request.contentLength() >= 0 ? request.contentLength()
                : declaredSize >= 0 ? declaredSize - startByte : -1;
    }

    private Optional<PartRecord> ownedPart(Owner owner, UploadId id) throws IOException, UploadException {
        Optional<PartRecord> part = store.findPart(id);
        if (part.isPresent() && !part.get().ownerTag().equals(owner.tag())) {
            throw new UploadException(ErrorCode.NOT_FOUND);
        }
        return part;
    }

    private Optional<CompletedRecord> ownedCompleted(Owner owner, UploadId id) throws IOException, UploadException {
        Optional<CompletedRecord> completed = store.findCompleted(id);
        if (completed.isPresent() && !completed.get().ownerTag().equals(owner.tag())) {
            throw new UploadException(ErrorCode.NOT_FOUND);
        }
        return completed;
    }
}
