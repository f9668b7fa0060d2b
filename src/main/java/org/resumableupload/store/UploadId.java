package org.resumableupload.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The server's name for one upload: 64 lowercase hex digits, safe as a file name or an object key.
 *
 * <p>Client strings never become ids directly. The article protocol derives the id from the owner and
 * the client's {@code X-File-Id} ({@link #derive}); front ends that make their own ids (tus, the IETF
 * draft) use {@link #random()}.
 */
public final class UploadId {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;

    private UploadId(String value) {
        this.value = value;
    }

    /**
     * Parses an id that the server made earlier.
     *
     * @throws IllegalArgumentException if {@code value} is not 64 lowercase hex digits
     */
    public static UploadId of(String value) {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not an upload id");
        }
        return new UploadId(value);
    }

    /** True when {@code value} has the form of an id ({@link #of} would accept it). */
    public static boolean isValid(String value) {
        return value != null && FORM.matcher(value).matches();
    }

    /** The id of the upload that {@code ownerTag} names {@code clientFileId}: SHA-256 of both. */
    public static UploadId derive(String ownerTag, String clientFileId) {
        MessageDigest sha256 = sha256();
        sha256.update(ownerTag.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(clientFileId.getBytes(StandardCharsets.UTF_8));
        return new UploadId(HexFormat.of().formatHex(sha256.digest()));
    }

    /** A fresh unguessable id (256 random bits). */
    public static UploadId random() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return new UploadId(HexFormat.of().formatHex(bits));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UploadId that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
