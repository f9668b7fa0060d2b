package org.resumableupload.store.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Turns a part whose record says "completing" into its completed object. Every step may run twice
 * (after a crash, or on two nodes that read the record at once) and ends the same: the tail becomes
 * the last part by a server-side copy, the multipart upload completes (or the small object is
 * copied into place), the completed record is written, then the part's record and tails go.
 */
final class S3Completion {
    private final S3Parts parts;
    private final S3Completed completed;

    S3Completion(S3Parts parts, S3Completed completed) {
        this.parts = parts;
        this.completed = completed;
    }

    CompletedRecord finish(S3PartState state) throws IOException {
        PartRecord part = state.record();
        UploadId id = part.id();
        try {
            if (state.multipartId() == null) {
                placeSmallObject(state);
            } else {
                completeMultipart(state);
            }
        } catch (SdkException e) {
            throw S3Objects.failure("complete " + id, e);
        }
        CompletedRecord record = new CompletedRecord(id, part.ownerTag(), part.name(), part.offset(),
                state.completing().sha256(), state.completing().completedAt(), part.metadata(), part.concat());
        completed.record(record, state.completedKey());
        parts.objects().delete(parts.keys().partRecord(id));
        for (String tail : parts.objects().list(parts.keys().tails(id, state.generation()))) {
            parts.objects().delete(tail);
        }
        return record;
    }

    // Everything fits in the tail (or nothing was sent): the tail is copied into place.
    private void placeSmallObject(S3PartState state) throws IOException {
        PartRecord part = state.record();
        S3Client s3 = parts.objects().client();
        String bucket = parts.objects().bucket();
        if (state.tailSize() == 0) {
            parts.objects().put(state.completedKey(), new byte[0], S3Parts.objectMetadata(part),
                    S3Parts.contentType(part));
            return;
        }
        String tail = parts.keys().tail(part.id(), state.generation(), part.offset());
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(tail).destinationBucket(bucket)
                    .destinationKey(state.completedKey()).metadataDirective("REPLACE")
                    .metadata(S3Parts.objectMetadata(part)).contentType(S3Parts.contentType(part))
                    .contentDisposition(S3Parts.contentDisposition(part)));
        } catch (NoSuchKeyException tailGone) {
            ensureCompletedObject(state); // an earlier finisher copied it and deleted the tail
        }
    }

    private void completeMultipart(S3PartState state) throws IOException {
        PartRecord part = state.record();
        S3Client s3 = parts.objects().client();
        String bucket = parts.objects().bucket();
        String key = state.completedKey();
        List<CompletedPart> completedParts = new ArrayList<>();
        for (S3PartState.Part sent : state.parts()) {
            completedParts.add(CompletedPart.builder().partNumber(sent.number()).eTag(sent.etag()).build());
        }
        try {
            if (state.tailSize() > 0) {
                int number = state.parts().get(state.parts().size() - 1).number() + 1;
                String tail = parts.keys().tail(part.id(), state.generation(), part.offset());
                String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(tail).destinationBucket(bucket)
                        .destinationKey(key).uploadId(state.multipartId()).partNumber(number)).copyPartResult().eTag();
                completedParts.add(CompletedPart.builder().partNumber(number).eTag(S3Objects.unquoted(etag)).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(state.multipartId())
                    .multipartUpload(m -> m.parts(completedParts)));
        } catch (NoSuchUploadException | NoSuchKeyException finishedBefore) {
            ensureCompletedObject(state);
        }
    }

    private void ensureCompletedObject(S3PartState state) throws IOException {
        try {
            long size = parts.objects().client().headObject(b -> b.bucket(parts.objects().bucket())
                    .key(state.completedKey())).contentLength();
            if (size != state.record().offset()) {
                throw new IOException("completed object of " + state.record().id() + " has " + size + " bytes, not "
                        + state.record().offset());
            }
        } catch (NoSuchKeyException lost) {
            throw new IOException("the bytes of " + state.record().id() + " are gone: neither its parts nor its"
                    + " completed object exist", lost);
        } catch (SdkException e) {
            throw S3Objects.failure("check the completed object of " + state.record().id(), e);
        }
    }
}
