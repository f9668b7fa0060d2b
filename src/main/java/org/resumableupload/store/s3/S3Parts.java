package org.resumableupload.store.s3;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * The S3 objects of incomplete uploads: their records (written with compare-and-set), their multipart
 * uploads and parts, their tails. What {@link S3Appender} and {@link S3UploadStore} share.
 */
final class S3Parts {
    private static final Logger LOG = Logger.getLogger(S3Parts.class.getName());

    /** A part's state as read, with the ETag a compare-and-set of its record must match. */
    record Found(S3PartState state, String etag) {
    }

    private final S3Objects objects;
    private final S3Keys keys;
    private final long partSize;
    private final int partsInFlight;
    private final ExecutorService senders;

    S3Parts(S3Objects objects, S3Keys keys, long partSize, int partsInFlight, ExecutorService senders) {
        this.objects = objects;
        this.keys = keys;
        this.partSize = partSize;
        this.partsInFlight = partsInFlight;
        this.senders = senders;
    }

    long partSize() {
        return partSize;
    }

    int partsInFlight() {
        return partsInFlight;
    }

    S3Keys keys() {
        return keys;
    }

    S3Objects objects() {
        return objects;
    }

    Optional<Found> find(UploadId id) throws IOException {
        Optional<S3Objects.Versioned> record = objects.get(keys.partRecord(id));
        if (record.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Found(S3PartState.decode(id, record.get().bytes()), record.get().etag()));
    }

    /** Writes {@code state} if its record is still {@code expectedEtag} (null: if there is none). */
    String writeRecord(S3PartState state, String expectedEtag) throws IOException {
        return objects.putIf(keys.partRecord(state.record().id()), state.encode(), expectedEtag);
    }

    Future<String> sendPart(Callable<String> upload) {
        return senders.submit(upload);
    }

    /** Starts the multipart upload that becomes the completed object, with the object's metadata. */
    String startMultipart(S3PartState state) throws IOException {
        PartRecord record = state.record();
        try {
            return objects.client().createMultipartUpload(b -> b.bucket(objects.bucket()).key(state.completedKey())
                    .metadata(objectMetadata(record)).contentType(contentType(record))
                    .contentDisposition(contentDisposition(record))).uploadId();
        } catch (SdkException e) {
            throw S3Objects.failure("start a multipart upload for " + record.id(), e);
        }
    }

    String uploadPart(String key, String multipartId, int number, byte[] bytes, int length) throws IOException {
        try {
            return S3Objects.unquoted(objects.dataClient().uploadPart(b -> b.bucket(objects.bucket()).key(key)
                    .uploadId(multipartId).partNumber(number).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(bytes, 0, length), length,
                            "application/octet-stream")).eTag());
        } catch (SdkException e) {
            throw S3Objects.failure("send part " + number + " of " + key, e);
        }
    }

    void putTail(UploadId id, String generation, long offset, byte[] bytes) throws IOException {
        objects.put(keys.tail(id, generation, offset), bytes);
    }

    /** The committed tail's bytes (none when the offset ends at a part boundary). */
    byte[] readTail(S3PartState state) throws IOException {
        if (state.tailSize() == 0) {
            return new byte[0];
        }
        PartRecord record = state.record();
        String key = keys.tail(record.id(), state.generation(), record.offset());
        Optional<S3Objects.Versioned> tail = objects.get(key);
        if (tail.isEmpty() || tail.get().bytes().length != state.tailSize()) {
            throw new IOException("the tail of " + record.id() + " is missing or of the wrong size: " + key);
        }
        return tail.get().bytes();
    }

    void deleteTailQuietly(UploadId id, String generation, long offset) {
        try {
            objects.delete(keys.tail(id, generation, offset));
        } catch (IOException e) {
            LOG.log(Level.FINE, "left a tail of " + id + " behind (deleted with the upload)", e);
        }
    }

    /** Aborts the part's multipart upload and deletes its tails: its bytes are gone. */
    void deleteStorage(S3PartState state) throws IOException {
        UploadId id = state.record().id();
        if (state.multipartId() != null) {
            abort(state.completedKey(), state.multipartId());
        }
        for (String tail : objects.list(keys.tails(id, state.generation()))) {
            objects.delete(tail);
        }
    }

    void deleteStorageQuietly(S3PartState state) {
        try {
            deleteStorage(state);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete the replaced storage of " + state.record().id()
                    + "; a bucket lifecycle rule aborts abandoned multipart uploads", e);
        }
    }

    void abortQuietly(String key, String multipartId) {
        try {
            abort(key, multipartId);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not abort an unused multipart upload of " + key, e);
        }
    }

    private void abort(String key, String multipartId) throws IOException {
        try {
            objects.client().abortMultipartUpload(b -> b.bucket(objects.bucket()).key(key).uploadId(multipartId));
        } catch (NoSuchUploadException alreadyGone) {
            // Aborted or completed before: nothing is left to abort.
        } catch (SdkException e) {
            throw S3Objects.failure("abort the multipart upload of " + key, e);
        }
    }

    /** S3 user metadata is ASCII: values are percent-encoded UTF-8. */
    static Map<String, String> objectMetadata(PartRecord record) {
        return Map.of("upload-id", record.id().value(), "filename", URLEncoder.encode(record.name(), StandardCharsets.UTF_8));
    }

    static String contentType(PartRecord record) {
        return record.metadata().text("filetype").filter(type -> type.matches("[\\w.+-]+/[\\w.+-]+"))
                .orElse("application/octet-stream");
    }

    static String contentDisposition(PartRecord record) {
        return attachment(record.name());
    }

    /** {@code Content-Disposition} of a download named {@code name} (RFC 6266, any characters). */
    static String attachment(String name) {
        return "attachment; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
