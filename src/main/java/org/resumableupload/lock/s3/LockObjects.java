package org.resumableupload.lock.s3;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import java.util.Optional;
import java.util.Properties;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The lock objects: one small text object per lock, read with its ETag and written only with
 * compare-and-set, so two nodes can never both think their write won.
 */
final class LockObjects {
    /**
     * What a lock object says.
     *
     * @param holder    the token of the request holding it; null when free
     * @param seq       bumped by every renewal of its holder: a holder whose seq stands still is dead
     * @param wanted    the token of the newest request waiting for it, or null
     * @param renewedAt the holder's wall clock at its last renewal (millis), only for housekeeping
     */
    record State(String holder, long seq, String wanted, long renewedAt) {
        static final State FREE = new State(null, 0, null, 0);

        boolean free() {
            return holder == null;
        }

        State wantedBy(String token) {
            return new State(holder, seq, token, renewedAt);
        }

        State renewed() {
            return new State(holder, seq + 1, wanted, System.currentTimeMillis());
        }

        State released() {
            return new State(null, seq + 1, wanted, System.currentTimeMillis());
        }

        static State heldBy(String token) {
            return new State(token, 0, null, System.currentTimeMillis());
        }
    }

    /** A state as read, with the ETag a write must match. */
    record Read(State state, String etag) {
    }

    /** S3 could not be reached or refused: the lock's state is unknown. */
    static final class Unavailable extends Exception {
        Unavailable(Throwable cause) {
            super("S3 is unavailable for locking: " + cause.getMessage(), cause);
        }
    }

    private final S3Client s3;
    private final String bucket;

    LockObjects(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    Optional<Read> read(String key) throws Unavailable {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Read(decode(object.asByteArray()), unquoted(object.response().eTag())));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new Unavailable(e);
        }
    }

    /**
     * Writes {@code state} if the object is still at {@code etag} (null: if it does not exist).
     *
     * @return the new ETag, or empty if another write came first
     */
    Optional<String> write(String key, State state, String etag) throws Unavailable {
        try {
            String written = s3.putObject(b -> {
                b.bucket(bucket).key(key);
                if (etag == null) {
                    b.ifNoneMatch("*");
                } else {
                    b.ifMatch(etag);
                }
            }, RequestBody.fromBytes(encode(state))).eTag();
            return Optional.of(unquoted(written));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return Optional.empty();
            }
            throw new Unavailable(e);
        } catch (SdkException e) {
            throw new Unavailable(e);
        }
    }

    private static byte[] encode(State state) {
        Properties props = new Properties();
        if (state.holder() != null) {
            props.setProperty("holder", state.holder());
        }
        if (state.wanted() != null) {
            props.setProperty("wanted", state.wanted());
        }
        props.setProperty("seq", Long.toString(state.seq()));
        props.setProperty("renewedAt", Long.toString(state.renewedAt()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            props.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static State decode(byte[] bytes) {
        Properties props = new Properties();
        try {
            props.load(new ByteArrayInputStream(bytes));
            return new State(props.getProperty("holder"), Long.parseLong(props.getProperty("seq", "0")),
                    props.getProperty("wanted"), Long.parseLong(props.getProperty("renewedAt", "0")));
        } catch (IOException | NumberFormatException unreadable) {
            return State.FREE; // not a lock we wrote: treated as free, and overwritten by CAS
        }
    }

    // Ceph RGW matches If-Match only against an unquoted ETag; S3 and S3Proxy accept either.
    private static String unquoted(String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

}
