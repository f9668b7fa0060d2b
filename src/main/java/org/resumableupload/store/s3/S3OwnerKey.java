package org.resumableupload.store.s3;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The key that signs owner cookies, kept in the bucket so that every node accepts every node's
 * cookies. The first node to start creates it (If-None-Match), the others read what it wrote.
 */
public final class S3OwnerKey {
    private static final int KEY_BYTES = 32;

    private S3OwnerKey() {
    }

    /**
     * The key under {@code settings.prefix()}, created if there is none.
     *
     * @throws IOException if S3 cannot be read or written, or the stored key is not {@value #KEY_BYTES} bytes
     */
    public static byte[] loadOrCreate(S3Client s3, S3Settings settings) throws IOException {
        S3Objects objects = new S3Objects(s3, s3, settings.bucket());
        String key = new S3Keys(settings.prefix(), settings.completedKey()).ownerKey();
        Optional<S3Objects.Versioned> stored = objects.get(key);
        if (stored.isEmpty()) {
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            try {
                objects.putIf(key, fresh, null);
                return fresh;
            } catch (S3Objects.ConditionFailed anotherNodeWasFirst) {
                stored = objects.get(key);
            }
        }
        byte[] bytes = stored.orElseThrow(() -> new IOException("the owner key " + key + " vanished")).bytes();
        if (bytes.length != KEY_BYTES) {
            throw new IOException("the owner key " + key + " has " + bytes.length + " bytes, not " + KEY_BYTES);
        }
        return bytes;
    }
}
