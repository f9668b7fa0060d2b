package org.resumableupload.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.resumableupload.store.StoreUnavailableException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The few object operations the store uses, on one bucket, with S3's failures turned into the store
 * contract's: a missing key is empty or {@link NoSuchFileException}, a failed condition is
 * {@link ConditionFailed}, and an unreachable, slow or overloaded service is
 * {@link StoreUnavailableException}.
 */
final class S3Objects {
    /** An object's bytes and the ETag to compare-and-set against. */
    record Versioned(byte[] bytes, String etag) {
    }

    /** A conditional write lost: the object changed (or appeared) since it was read. */
    static final class ConditionFailed extends StoreUnavailableException {
        ConditionFailed(String key, Throwable cause) {
            super("another writer changed " + key + " first", cause);
        }
    }

    private final S3Client s3;
    private final S3Client data;
    private final String bucket;

    /**
     * @param s3   for records and other small or server-side operations
     * @param data for streams of bytes (parts, downloads), on connections of their own: slow
     *             downloads then never hold up the records every request reads
     */
    S3Objects(S3Client s3, S3Client data, String bucket) {
        this.s3 = s3;
        this.data = data;
        this.bucket = bucket;
    }

    S3Client client() {
        return s3;
    }

    S3Client dataClient() {
        return data;
    }

    String bucket() {
        return bucket;
    }

    Optional<Versioned> get(String key) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Versioned(object.asByteArray(), unquoted(object.response().eTag())));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("read " + key, e);
        }
    }

    /** Writes {@code bytes} only if {@code key} does not exist ({@code expected} null) or still has ETag {@code expected}. */
    String putIf(String key, byte[] bytes, String expected) throws IOException {
        return put(key, bytes, b -> {
            if (expected == null) {
                b.ifNoneMatch("*");
            } else {
                b.ifMatch(expected);
            }
        });
    }

    String put(String key, byte[] bytes) throws IOException {
        return put(key, bytes, b -> { });
    }

    private String put(String key, byte[] bytes, java.util.function.Consumer<PutObjectRequest.Builder> condition)
            throws IOException {
        try {
            return unquoted(s3.putObject(b -> condition.accept(b.bucket(bucket).key(key)), body(bytes))
                    .eTag());
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) { // 409: a concurrent conditional write won
                throw new ConditionFailed(key, e);
            }
            throw failure("write " + key, e);
        } catch (SdkException e) {
            throw failure("write " + key, e);
        }
    }

    /** Writes an object with user metadata (a completed upload's small body). */
    String put(String key, byte[] bytes, Map<String, String> metadata, String contentType) throws IOException {
        try {
            return unquoted(s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).contentType(contentType)
                            .contentLength((long) bytes.length),
                    body(bytes)).eTag());
        } catch (SdkException e) {
            throw failure("write " + key, e);
        }
    }

    // Ceph RGW refuses an empty PutObject unless its body says plainly it has no bytes.
    private static RequestBody body(byte[] bytes) {
        return bytes.length == 0 ? RequestBody.empty() : RequestBody.fromBytes(bytes);
    }

    InputStream open(String key, long from) throws IOException {
        try {
            return data.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + from + "-"));
        } catch (NoSuchKeyException missing) {
            throw new NoSuchFileException(key);
        } catch (SdkException e) {
            throw failure("read " + key, e);
        }
    }

    void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException alreadyGone) {
            // Deleting is idempotent.
        } catch (SdkException e) {
            throw failure("delete " + key, e);
        }
    }

    /** Every key under {@code prefix}, in key order. */
    List<String> list(String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                keys.add(object.key());
            }
            return keys;
        } catch (SdkException e) {
            throw failure("list " + prefix, e);
        }
    }

    /** S3's failure as the contract's: transient (unreachable, timeout, 5xx, throttled) or not. */
    static IOException failure(String what, SdkException e) {
        if (e instanceof SdkClientException || (e instanceof S3Exception s3 && (s3.statusCode() >= 500
                || s3.statusCode() == 429 || s3.statusCode() == 408))) {
            return new StoreUnavailableException("S3 is unavailable: could not " + what, e);
        }
        return new IOException("S3 refused to " + what + ": " + e.getMessage(), e);
    }

    // Ceph RGW matches If-Match only against an unquoted ETag; S3 and S3Proxy accept either.
    static String unquoted(String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }
}
