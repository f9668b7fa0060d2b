package org.resumableupload.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The key/value pairs a client gave an upload when it created it (tus {@code Upload-Metadata}), kept
 * as given and in order: keys are printable ASCII without spaces or commas, values arbitrary bytes
 * (or absent, for a key alone). Immutable. Front ends bound the size before building one
 * ({@link #encodedSize()}).
 */
public final class Metadata {
    /** No metadata. */
    public static final Metadata EMPTY = new Metadata(new LinkedHashMap<>());
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x2b\\x2d-\\x7e]+");

    private final Map<String, byte[]> entries;

    private Metadata(LinkedHashMap<String, byte[]> entries) {
        this.entries = entries;
    }

    /**
     * Metadata with these entries, in their iteration order; a null value is a key without value.
     *
     * @throws IllegalArgumentException if a key is empty or has characters other than printable ASCII
     *                                  without space and comma
     */
    public static Metadata of(Map<String, byte[]> entries) {
        LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            if (!isValidKey(key)) {
                throw new IllegalArgumentException("bad metadata key");
            }
            copy.put(key, value == null ? null : value.clone());
        });
        return new Metadata(copy);
    }

    /** True when {@code key} may be a metadata key. */
    public static boolean isValidKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** This metadata with {@code key} set to the UTF-8 bytes of {@code value}. */
    public Metadata with(String key, String value) {
        LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>(entries);
        copy.put(key, value.getBytes(StandardCharsets.UTF_8));
        return of(copy);
    }

    /** Every entry, in order (values are copies; null for a key without value). */
    public Map<String, byte[]> entries() {
        LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>();
        entries.forEach((key, value) -> copy.put(key, value == null ? null : value.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /** The value of {@code key} read as UTF-8, if the key is there with a value. */
    public Optional<String> text(String key) {
        byte[] value = entries.get(key);
        return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Bytes of keys and values together: what a size limit counts. */
    public int encodedSize() {
        int size = 0;
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            size += entry.getKey().length() + (entry.getValue() == null ? 0 : entry.getValue().length);
        }
        return size;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Metadata that) || entries.size() != that.entries.size()) {
            return false;
        }
        var mine = entries.entrySet().iterator();
        var theirs = that.entries.entrySet().iterator();
        while (mine.hasNext()) {
            var a = mine.next();
            var b = theirs.next();
            if (!a.getKey().equals(b.getKey()) || !Arrays.equals(a.getValue(), b.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            hash = 31 * hash + entry.getKey().hashCode() + Arrays.hashCode(entry.getValue());
        }
        return hash;
    }

    @Override
    public String toString() {
        return "Metadata" + entries.keySet();
    }
}
