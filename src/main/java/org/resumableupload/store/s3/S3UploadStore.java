package org.resumableupload.store.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The store on an S3-compatible object store, so that several nodes serve the same uploads: nothing
 * lives in a node's memory between calls. An incomplete upload is one S3 multipart upload plus a small
 * tail object and a record; each completion is one object of its own (see {@link S3Settings#completedKey()}).
 * Records are written with compare-and-set ({@code If-Match} / {@code If-None-Match}), so a writer
 * that lost its lock cannot overwrite a newer commit.
 *
 * <p>Incomplete bytes cannot be read back: S3 offers no read of a multipart upload's parts. {@link
 * #readPart} reads a part whose bytes are all in its tail, and otherwise fails; the core needs it only
 * for a record without a usable digest state, which this store never writes.
 */
public final class S3UploadStore implements UploadStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a presigned download URL stays valid. */
    static final Duration PRESIGNED_FOR = Duration.ofMinutes(15);

    private final S3Parts parts;
    private final S3Completed completed;
    private final S3Completion completion;
    private final S3Presigner presigner; // null: downloads stream through the application
    private final String bucket;

    /**
     * A store in {@code settings.bucket()} under {@code settings.prefix()}.
     *
     * @param s3      for records and small operations
     * @param data    for parts and downloads (a client of its own, or {@code s3} again)
     * @param senders runs the part uploads of all appenders (each has at most {@code partsInFlight})
     */
    public S3UploadStore(S3Client s3, S3Client data, S3Settings settings, ExecutorService senders) {
        S3Objects objects = new S3Objects(s3, data, settings.bucket());
        S3Keys keys = new S3Keys(settings.prefix(), settings.completedKey());
        this.parts = new S3Parts(objects, keys, settings.partSize(), settings.partsInFlight(), senders);
        this.completed = new S3Completed(objects, keys);
        this.completion = new S3Completion(parts, completed);
        this.presigner = settings.redirectDownloads() ? S3Clients.presigner(settings) : null;
        this.bucket = settings.bucket();
    }

    @Override
    public Optional<PartRecord> findPart(UploadId id) throws IOException {
        Optional<S3Parts.Found> found = parts.find(id);
        if (found.isPresent() && found.get().state().completing() != null) {
            completion.finish(found.get().state()); // interrupted: finished here, by whichever node reads first
            return Optional.empty();
        }
        return found.map(part -> part.state().record());
    }

    @Override
    public Optional<CompletedRecord> findCompleted(UploadId id) throws IOException {
        return completed.find(id).map(S3Completed.Found::record);
    }

    @Override
    public Appender createPart(PartRecord record) throws IOException {
        if (record.offset() != 0) {
            throw new IllegalArgumentException("a new part starts at offset 0, not " + record.offset());
        }
        Optional<S3Parts.Found> earlier = parts.find(record.id());
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String generation = HexFormat.of().formatHex(random);
        S3PartState fresh = new S3PartState(record, generation,
                parts.keys().completed(record.id(), generation, record.ownerTag(), record.name()), null, List.of(), 0,
                null);
        return new S3Appender(parts, fresh, earlier.map(S3Parts.Found::etag).orElse(null),
                earlier.map(S3Parts.Found::state).orElse(null), new byte[0], parts.partsInFlight());
    }

    @Override
    public Appender openAppender(UploadId id) throws IOException {
        S3Parts.Found found = foundPart(id);
        return new S3Appender(parts, found.state(), found.etag(), null, parts.readTail(found.state()),
                parts.partsInFlight());
    }

    @Override
    public InputStream readPart(UploadId id) throws IOException {
        S3PartState state = foundPart(id).state();
        if (!state.parts().isEmpty()) {
            throw new IOException("the bytes of " + id + " are in S3 multipart parts, which cannot be read before"
                    + " completion; this store always keeps the digest state instead");
        }
        return new ByteArrayInputStream(parts.readTail(state));
    }

    @Override
    public CompletedRecord complete(UploadId id, byte[] sha256, Instant completedAt) throws IOException {
        S3Parts.Found found = foundPart(id);
        S3PartState completing = found.state().completing(sha256, completedAt);
        // Recorded first: whichever node reads the part next finishes what a crash interrupts.
        parts.writeRecord(completing, found.etag());
        return completion.finish(completing);
    }

    @Override
    public CompletedContent openCompleted(UploadId id) throws IOException {
        S3Completed.Found found = completed.find(id).orElseThrow(() -> new NoSuchFileException(id.value()));
        return new CompletedContent(found.record(),
                new S3CompletedChannel(parts.objects(), found.key(), found.record().size()),
                Optional.ofNullable(presigner).map(signer -> presigned(signer, found)));
    }

    @Override
    public void deletePart(UploadId id) throws IOException {
        Optional<S3Parts.Found> found = parts.find(id);
        if (found.isEmpty()) {
            return;
        }
        if (found.get().state().completing() != null) {
            completion.finish(found.get().state());
            return;
        }
        parts.deleteStorage(found.get().state());
        parts.objects().delete(parts.keys().partRecord(id));
    }

    @Override
    public List<PartRecord> listParts() throws IOException {
        List<PartRecord> records = new ArrayList<>();
        String prefix = parts.keys().partRecords();
        for (String key : parts.objects().list(prefix)) {
            String id = key.substring(prefix.length());
            if (UploadId.isValid(id)) {
                parts.find(UploadId.of(id)).ifPresent(found -> records.add(found.state().record()));
            }
        }
        return records;
    }

    @Override
    public List<CompletedRecord> listCompleted(String ownerTag) throws IOException {
        return completed.of(ownerTag);
    }

    @Override
    public void deleteCompleted(UploadId id) throws IOException {
        completed.delete(id);
    }

    /**
     * Deletes the objects of completed versions that were replaced or deleted before {@code before}
     * (a download that began earlier may still be reading them until then).
     *
     * @return how many objects were deleted
     * @throws IOException if S3 cannot be listed or an object cannot be deleted
     */
    public int purgeRetiredBefore(Instant before) throws IOException {
        return completed.purgeRetiredBefore(before);
    }

    private URI presigned(S3Presigner signer, S3Completed.Found found) {
        String disposition = S3Parts.attachment(found.record().name());
        try {
            return signer.presignGetObject(request -> request.signatureDuration(PRESIGNED_FOR)
                    .getObjectRequest(get -> get.bucket(bucket).key(found.key()).responseContentDisposition(disposition)))
                    .url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned an invalid URL", e);
        }
    }

    private S3Parts.Found foundPart(UploadId id) throws IOException {
        Optional<S3Parts.Found> found = parts.find(id);
        if (found.isEmpty()) {
            throw new NoSuchFileException(id.value());
        }
        if (found.get().state().completing() != null) {
            completion.finish(found.get().state());
            throw new NoSuchFileException(id.value());
        }
        return found.get();
    }
}
