package org.resumableupload.store;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The server's name for one upload: 64 lowercase hex digits, safe as a file name or an object key.
 *
 * <p>Client strings never become ids directly. The core mints ids with {@link #random()}; the article
 * protocol derives its ids from the owner and the client's {@code X-File-Id} (a hash, of the same form).
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

    /** A fresh unguessable id (256 random bits). */
    public static UploadId random() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return new UploadId(HexFormat.of().formatHex(bits));
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
