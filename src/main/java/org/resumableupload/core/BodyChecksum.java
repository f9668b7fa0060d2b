package org.resumableupload.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A checksum one request's body must have (tus {@code Upload-Checksum}, the article's
 * {@code Content-Digest}): a body that does not match is discarded whole.
 *
 * @param algorithm one of {@link #ALGORITHMS}, lower case
 * @param expected  the digest the body must have
 */
public record BodyChecksum(String algorithm, byte[] expected) {
    /** Supported algorithms, by their tus names, with the JDK names. */
    private static final Map<String, String> JDK_NAMES = Map.of("sha1", "SHA-1", "md5", "MD5", "sha256", "SHA-256");
    /** The algorithms a request may name. */
    public static final Set<String> ALGORITHMS = Set.of("sha1", "md5", "sha256");

    /**
     * A checksum of {@code algorithm} (case-insensitive).
     *
     * @throws UploadException UNSUPPORTED_CHECKSUM for another algorithm; MALFORMED_REQUEST if the
     *                         digest's length is not the algorithm's
     */
    public static BodyChecksum of(String algorithm, byte[] expected) throws UploadException {
        String name = algorithm.toLowerCase(Locale.ROOT);
        if (!JDK_NAMES.containsKey(name)) {
            throw new UploadException(ErrorCode.UNSUPPORTED_CHECKSUM, "unsupported checksum algorithm "
                    + "(supported: sha1, md5, sha256)");
        }
        BodyChecksum checksum = new BodyChecksum(name, expected.clone());
        if (checksum.newDigest().getDigestLength() != expected.length) {
            throw new UploadException(ErrorCode.MALFORMED_REQUEST, "the checksum has the wrong length for " + name);
        }
        return checksum;
    }

    @Override
    public byte[] expected() {
        return expected.clone();
    }

    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(JDK_NAMES.get(algorithm));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }

    boolean matches(MessageDigest bodyDigest) {
        return MessageDigest.isEqual(bodyDigest.digest(), expected);
    }
}
