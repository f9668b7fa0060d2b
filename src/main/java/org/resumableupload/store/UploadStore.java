package org.resumableupload.store;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where upload bytes and their records live. The store is the truth about every upload: offsets are
 * read back from it, never from memory. An upload is either a <em>part</em> (incomplete, growing) or
 * <em>completed</em>; one id may have both while a completed upload is being uploaded again.
 *
 * <p>Implementations are thread-safe across different ids; the caller serializes access to one id
 * (except {@link #listParts()} and {@link #listCompleted}, which may run at any time).
 * Every method may throw {@link IOException} when the medium fails. Every method MAY also throw
 * {@link StoreUnavailableException} (an {@code IOException}) when the storage service is transiently
 * unreachable or too slow to answer: nothing of the failed operation is then visible, and the same
 * call may succeed later. An object store (S3) throws it; the disk store never does.
 */
public interface UploadStore {

    /**
     * The incomplete upload {@code id}, as last committed. Finishes a completion that a crash or a
     * failure interrupted (then the part is gone and {@link #findCompleted} has it).
     *
     * @return empty if there is no such part
     * @throws IOException if the record exists but cannot be read
     */
    Optional<PartRecord> findPart(UploadId id) throws IOException;

    /**
     * The completed upload {@code id}.
     *
     * @return empty if {@code id} never completed (or was deleted)
     * @throws IOException if the record exists but cannot be read
     */
    Optional<CompletedRecord> findCompleted(UploadId id) throws IOException;

    /**
     * Starts the part {@code record.id()} over, empty, without changing anything anyone can see yet:
     * the returned appender writes into new storage, and its first commit makes that the part of the
     * id, replacing any earlier part (a start-over). Until then {@link #findPart} and
     * {@link #findCompleted} answer as before, and closing the appender without a commit leaves the
     * store exactly as it was, so a start-over whose body is refused changes nothing. A completed
     * upload of the same id is left alone until the new part completes.
     *
     * @param record the new part; its offset must be 0
     * @return an appender at offset 0 whose {@link Appender#committed()} is {@code record}
     * @throws IllegalArgumentException if the record's offset is not 0
     * @throws IOException if the new storage cannot be created
     */
    Appender createPart(PartRecord record) throws IOException;

    /**
     * Opens the part for appending at its committed offset. Bytes past the committed offset (left by a
     * crash) are cut off first.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such part
     * @throws IOException if it cannot be opened
     */
    Appender openAppender(UploadId id) throws IOException;

    /**
     * Reads the committed bytes of the part from the start. The core needs this only when a part's
     * saved digest state cannot be resumed (a record written before states were saved, or a state of a
     * SHA-256 variant this runtime lacks) and the digest must be rebuilt.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such part
     * @throws IOException if it cannot be opened
     */
    InputStream readPart(UploadId id) throws IOException;

    /**
     * Turns the part into a completed upload, atomically: readers see either the part or the
     * completed file, and a crash in between is finished by the store (on the next {@link #findPart}
     * at the latest). The part's committed offset is the completed size; its name, metadata and concat
     * carry over. Replaces an earlier completed upload of the same id.
     *
     * @param sha256      digest of the whole file
     * @param completedAt completion time
     * @return the completed record
     * @throws java.nio.file.NoSuchFileException if there is no such part
     * @throws IOException if the move fails; the part then remains as it was
     */
    CompletedRecord complete(UploadId id, byte[] sha256, Instant completedAt) throws IOException;

    /**
     * Opens the bytes of a completed upload for reading at any position, together with the record of
     * exactly those bytes: a completion of the same id running meanwhile never mixes two versions, and
     * the opened version stays readable until the channel is closed, even if a newer completion
     * replaces it.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such completed upload
     * @throws IOException if it cannot be opened
     */
    CompletedContent openCompleted(UploadId id) throws IOException;

    /**
     * Deletes the part {@code id} (bytes and record). Does nothing if there is none.
     *
     * @throws IOException if it exists and cannot be deleted
     */
    void deletePart(UploadId id) throws IOException;

    /**
     * Every incomplete upload in the store, as its record says (an interrupted completion may be
     * listed as a part until {@link #findPart} finishes it).
     *
     * @throws IOException if the store cannot be listed
     */
    List<PartRecord> listParts() throws IOException;

    /**
     * The completed uploads of one owner, newest first.
     *
     * @throws IOException if the store cannot be listed
     */
    List<CompletedRecord> listCompleted(String ownerTag) throws IOException;

    /**
     * Deletes the completed upload {@code id} (record and bytes); a download already open keeps its
     * version until it closes. Does nothing if there is none.
     *
     * @throws IOException if it exists and cannot be deleted
     */
    void deleteCompleted(UploadId id) throws IOException;
}
