package org.resumableupload.store;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The one encoding of part and completed records, as Java properties (text any store can keep: a
 * file, an object, a row). Stores add keys of their own (a data file's generation, an object's part
 * list) beside these; unknown keys are ignored when reading, so older records stay readable.
 */
public final class RecordCodec {
    private static final String FORMAT = "1";

    private RecordCodec() {
    }

    /** The properties of {@code record}. */
    public static Properties encode(PartRecord record) {
        Properties props = new Properties();
        props.setProperty("format", FORMAT);
        props.setProperty("owner", record.ownerTag());
        props.setProperty("name", record.name());
        props.setProperty("declaredSize", Long.toString(record.declaredSize()));
        props.setProperty("offset", Long.toString(record.offset()));
        props.setProperty("createdAt", record.createdAt().toString());
        props.setProperty("updatedAt", record.updatedAt().toString());
        putShared(props, record.metadata(), record.concat());
        if (record.digestState() != null) {
            props.setProperty("sha256State", record.digestState());
        }
        return props;
    }

    /** The properties of {@code record}. */
    public static Properties encode(CompletedRecord record) {
        Properties props = new Properties();
        props.setProperty("format", FORMAT);
        props.setProperty("owner", record.ownerTag());
        props.setProperty("name", record.name());
        props.setProperty("size", Long.toString(record.size()));
        props.setProperty("sha256", HexFormat.of().formatHex(record.sha256()));
        props.setProperty("completedAt", record.completedAt().toString());
        putShared(props, record.metadata(), record.concat());
        return props;
    }

    /**
     * The part record of {@code id} in {@code props}.
     *
     * @throws IOException if a field is missing or malformed (a damaged record)
     */
    public static PartRecord decodePart(UploadId id, Properties props) throws IOException {
        return parsed(id, () -> new PartRecord(id, required(props, "owner"), required(props, "name"),
                number(props, "declaredSize", PartRecord.UNKNOWN_SIZE), number(props, "offset", 0),
                Instant.parse(required(props, "createdAt")), Instant.parse(required(props, "updatedAt")),
                metadata(props.getProperty("metadata")), props.getProperty("concat"),
                props.getProperty("sha256State")));
    }

    /**
     * The completed record of {@code id} in {@code props}.
     *
     * @throws IOException if a field is missing or malformed (a damaged record)
     */
    public static CompletedRecord decodeCompleted(UploadId id, Properties props) throws IOException {
        return parsed(id, () -> new CompletedRecord(id, required(props, "owner"), required(props, "name"),
                number(props, "size", 0), sha256(props),
                Instant.parse(required(props, "completedAt")), metadata(props.getProperty("metadata")),
                props.getProperty("concat")));
    }

    /** {@code props} as UTF-8 text. */
    public static byte[] toBytes(Properties props) {
        StringWriter text = new StringWriter();
        try {
            props.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The properties in UTF-8 {@code bytes}.
     *
     * @throws IOException if they are not properties text
     */
    public static Properties fromBytes(byte[] bytes) throws IOException {
        Properties props = new Properties();
        try {
            props.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException malformed) {
            throw new IOException("unreadable record", malformed);
        }
        return props;
    }

    private static void putShared(Properties props, Metadata metadata, String concat) {
        if (!metadata.isEmpty()) {
            props.setProperty("metadata", encodeMetadata(metadata));
        }
        if (concat != null) {
            props.setProperty("concat", concat);
        }
    }

    // Same shape as tus's Upload-Metadata: "key base64,key,key base64".
    private static String encodeMetadata(Metadata metadata) {
        StringBuilder text = new StringBuilder();
        metadata.entries().forEach((key, value) -> {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(key);
            if (value != null) {
                text.append(' ').append(Base64.getEncoder().encodeToString(value));
            }
        });
        return text.toString();
    }

    private static Metadata metadata(String text) {
        if (text == null || text.isEmpty()) {
            return Metadata.EMPTY;
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String pair : text.split(",", -1)) {
            int space = pair.indexOf(' ');
            entries.put(space < 0 ? pair : pair.substring(0, space),
                    space < 0 ? null : Base64.getDecoder().decode(pair.substring(space + 1)));
        }
        return Metadata.of(entries);
    }

    private static String required(Properties props, String key) {
        String value = props.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value;
    }

    // Out of range is damage too: a negative offset would reach the store's files as a position.
    private static long number(Properties props, String key, long least) {
        long value = Long.parseLong(required(props, key));
        if (value < least) {
            throw new IllegalArgumentException(key + " below " + least);
        }
        return value;
    }

    private static byte[] sha256(Properties props) {
        byte[] digest = HexFormat.of().parseHex(required(props, "sha256"));
        if (digest.length != 32) {
            throw new IllegalArgumentException("sha256 of " + digest.length + " bytes");
        }
        return digest;
    }

    // A record that exists but cannot be understood is an I/O failure, as UploadStore documents.
    private static <T> T parsed(UploadId id, Supplier<T> parser) throws IOException {
        try {
            return parser.get();
        } catch (RuntimeException e) {
            throw new IOException("unreadable record of upload " + id, e);
        }
    }
}
