package org.resumableupload.web.tus;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An {@code Upload-Checksum} request header: the algorithm the client used and the digest it expects
 * of the request's body.
 */
public final class TusChecksum {
    /** The algorithms this server checks, as {@code Tus-Checksum-Algorithm} lists them. */
    public static final List<String> ALGORITHMS = List.of("sha1", "md5", "sha256");
    private static final Map<String, String> JDK_NAMES = Map.of("sha1", "SHA-1", "md5", "MD5", "sha256", "SHA-256");
    private static final Map<String, Integer> DIGEST_BYTES = Map.of("sha1", 20, "md5", 16, "sha256", 32);
    private static final int QUOTED_CHARS = 20;

    private final String algorithm;
    private final byte[] expected;

    private TusChecksum(String algorithm, byte[] expected) {
        this.algorithm = algorithm;
        this.expected = expected;
    }

    /**
     * Parses {@code algorithm base64-digest}.
     *
     * @throws TusRequestException UNSUPPORTED_CHECKSUM for an algorithm not in {@link #ALGORITHMS} (names
     *                             are lowercase: {@code SHA1} is unsupported); MALFORMED_REQUEST if there is
     *                             no space, the digest is not Base64, or it has the wrong length
     */
    public static TusChecksum parse(String headerValue) throws TusRequestException {
        int space = headerValue.indexOf(' ');
        if (space <= 0) {
            throw malformed("Upload-Checksum must be an algorithm and a Base64 digest separated by a space");
        }
        String algorithm = headerValue.substring(0, space);
        if (!JDK_NAMES.containsKey(algorithm)) {
            throw new TusRequestException(TusRefusal.UNSUPPORTED_CHECKSUM, "Upload-Checksum algorithm "
                    + quoted(algorithm) + " is not supported; use one of " + String.join(", ", ALGORITHMS));
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(headerValue.substring(space + 1));
        } catch (IllegalArgumentException notBase64) {
            throw malformed("Upload-Checksum digest is not Base64");
        }
        if (expected.length != DIGEST_BYTES.get(algorithm)) {
            throw malformed("Upload-Checksum " + algorithm + " digest must be " + DIGEST_BYTES.get(algorithm) + " bytes");
        }
        return new TusChecksum(algorithm, expected);
    }

    private static String quoted(String token) {
        String printable = token.chars().allMatch(c -> c > ' ' && c <= '~') ? token : "?";
        return "'" + (printable.length() <= QUOTED_CHARS ? printable : printable.substring(0, QUOTED_CHARS) + "...") + "'";
    }

    private static TusRequestException malformed(String reason) {
        return new TusRequestException(TusRefusal.MALFORMED_REQUEST, reason);
    }

    /** The tus name of the algorithm, such as {@code sha1}. */
    public String algorithm() {
        return algorithm;
    }

    /** The name {@link MessageDigest#getInstance} knows the algorithm by, such as {@code SHA-1}. */
    public String jdkName() {
        return JDK_NAMES.get(algorithm);
    }

    /** A new digest of this algorithm, to feed the body through. */
    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jdkName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + jdkName(), e);
        }
    }

    /** A copy of the digest the client expects. */
    public byte[] expected() {
        return expected.clone();
    }

    /** True if {@code digest} (of the whole body) is the one the client sent, compared in constant time. */
    public boolean matches(byte[] digest) {
        return MessageDigest.isEqual(expected, digest);
    }

    @Override
    public String toString() {
        return algorithm + " " + Base64.getEncoder().encodeToString(expected);
    }
}
