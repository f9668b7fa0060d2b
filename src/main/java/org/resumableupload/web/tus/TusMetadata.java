package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.store.Metadata;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Upload-Metadata} of a tus upload: keys in the order the client sent them, each with its
 * value as raw bytes (tus allows any bytes; a value is text only where {@link #text} can decode it).
 *
 * <p>Values must be canonical Base64 (RFC 4648, standard alphabet, with padding), so that
 * {@link #toHeader} gives back the value as created: the same keys, in the same order, with the same
 * Base64, whitespace around commas aside. Every known tus client sends that form.
 */
public final class TusMetadata {
    /** The largest {@code Upload-Metadata} header value accepted by default, in characters. */
    public static final int DEFAULT_MAX_HEADER_CHARS = 4096;
    private static final int QUOTED_KEY_CHARS = 40;
    private static final TusMetadata EMPTY = new TusMetadata(new LinkedHashMap<>());

    private final Map<String, byte[]> entries;

    private TusMetadata(LinkedHashMap<String, byte[]> entries) {
        this.entries = entries;
    }

    /** No metadata. */
    public static TusMetadata empty() {
        return EMPTY;
    }

    /**
     * Metadata stored earlier, in the given order.
     *
     * @throws IllegalArgumentException if a key is not one {@link #parse} would accept
     */
    public static TusMetadata of(Map<String, byte[]> stored) {
        LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>();
        stored.forEach((key, value) -> {
            if (!isKey(key)) {
                throw new IllegalArgumentException("not an Upload-Metadata key");
            }
            copy.put(key, value.clone());
        });
        return new TusMetadata(copy);
    }

    /**
     * Parses an {@code Upload-Metadata} header value; null or blank is no metadata.
     *
     * @param maxHeaderChars the longest value accepted, in characters
     * @throws UploadException METADATA_TOO_LARGE above {@code maxHeaderChars}; MALFORMED_REQUEST for an
     *                             empty pair, a key that is empty or not visible ASCII, two spaces in a pair,
     *                             a value that is not canonical Base64, or a key given twice
     */
    public static TusMetadata parse(String headerValue, int maxHeaderChars) throws UploadException {
        if (headerValue == null || headerValue.isBlank()) {
            return EMPTY;
        }
        if (headerValue.length() > maxHeaderChars) {
            throw new UploadException(ErrorCode.METADATA_TOO_LARGE,
                    "Upload-Metadata is longer than " + maxHeaderChars + " characters");
        }
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();
        for (String element : headerValue.split(",", -1)) {
            String pair = element.strip();
            int space = pair.indexOf(' ');
            String key = space < 0 ? pair : pair.substring(0, space);
            String encoded = space < 0 ? "" : pair.substring(space + 1);
            if (!isKey(key)) {
                throw malformed(pair.isEmpty() ? "Upload-Metadata has an empty pair"
                        : "Upload-Metadata keys must be visible ASCII without commas");
            }
            byte[] value = decode(key, encoded);
            if (entries.putIfAbsent(key, value) != null) {
                throw malformed("Upload-Metadata has the key " + quoted(key) + " twice");
            }
        }
        return new TusMetadata(entries);
    }

    private static byte[] decode(String key, String encoded) throws UploadException {
        try {
            byte[] value = Base64.getDecoder().decode(encoded);
            if (Base64.getEncoder().encodeToString(value).equals(encoded)) {
                return value;
            }
        } catch (IllegalArgumentException notBase64) {
            // refused below, with the key named
        }
        throw malformed("Upload-Metadata value of " + quoted(key) + " must be Base64 with padding");
    }

    /** Keys: at least one visible ASCII character, none of them a comma (tus: no spaces, no commas). */
    private static boolean isKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c > '~' || c == ',') {
                return false;
            }
        }
        return true;
    }

    private static String quoted(String key) {
        return "'" + (key.length() <= QUOTED_KEY_CHARS ? key : key.substring(0, QUOTED_KEY_CHARS) + "...") + "'";
    }

    private static UploadException malformed(String reason) {
        return new UploadException(ErrorCode.MALFORMED_REQUEST, reason);
    }

    /** As the core keeps it. */
    public Metadata toStored() {
        return Metadata.of(entries);
    }

    /** Metadata the core kept, to send back as created (a key without value has an empty one in tus). */
    public static TusMetadata of(Metadata stored) {
        LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>();
        stored.entries().forEach((key, value) -> copy.put(key, value == null ? new byte[0] : value));
        return new TusMetadata(copy);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The keys and a copy of each value, in the order sent. */
    public Map<String, byte[]> entries() {
        LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>();
        entries.forEach((key, value) -> copy.put(key, value.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /** The raw bytes of {@code key}'s value (empty array for a key sent without a value). */
    public Optional<byte[]> value(String key) {
        return Optional.ofNullable(entries.get(key)).map(byte[]::clone);
    }

    /** {@code key}'s value as UTF-8 text; empty if the key is absent or its bytes are not UTF-8. */
    public Optional<String> text(String key) {
        byte[] value = entries.get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString());
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
    }

    /**
     * The {@code Upload-Metadata} value for a {@code HEAD} answer: {@code key value} pairs joined by
     * commas, a key without a value alone; empty when there is no metadata (then send no header). Only
     * visible ASCII, so no value can smuggle a header.
     */
    public String toHeader() {
        StringBuilder header = new StringBuilder();
        entries.forEach((key, value) -> {
            if (header.length() > 0) {
                header.append(',');
            }
            header.append(key);
            if (value.length > 0) {
                header.append(' ').append(Base64.getEncoder().encodeToString(value));
            }
        });
        return header.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TusMetadata that && toHeader().equals(that.toHeader());
    }

    @Override
    public int hashCode() {
        return toHeader().hashCode();
    }

    @Override
    public String toString() {
        return "TusMetadata[" + toHeader() + "]";
    }
}
