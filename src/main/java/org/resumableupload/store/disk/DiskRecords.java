package org.resumableupload.store.disk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.RecordCodec;
import org.resumableupload.store.UploadId;

/**
 * How the disk store keeps its records: Java properties files, replaced atomically and made durable
 * (data forced, renamed over the old record, directory forced), and their encoding.
 */
final class DiskRecords {
    static final String TEMP = ".tmp";
    static final String STATE = "state";
    static final String STATE_PART = "part";
    // The record says COMPLETING before the bytes move; recovery finishes the move.
    static final String STATE_COMPLETING = "completing";
    /** Part records: the generation of the data file that holds the part's bytes. */
    static final String DATA = "data";
    /** Completed records: the version folder that holds the file. */
    static final String VERSION = "version";

    private DiskRecords() {
    }

    static Optional<Properties> read(DiskFiles files, Path file) throws IOException {
        try (Reader reader = new BufferedReader(Channels.newReader(files.open(file, StandardOpenOption.READ),
                StandardCharsets.UTF_8.newDecoder(), -1))) {
            Properties props = new Properties();
            props.load(reader);
            return Optional.of(props);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    // Write to a temporary file, force it, rename over the old record, force the directory:
    // a reader (or a crash) sees the old record or the new one, never half of one.
    static void write(DiskFiles files, Path file, Properties props) throws IOException {
        StringWriter text = new StringWriter();
        props.store(text, null);
        Path temp = file.resolveSibling(file.getFileName() + TEMP);
        try (FileChannel channel = files.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        files.moveAtomically(temp, file);
        files.syncDirectory(file.getParent());
    }

    /** The ids of the records in {@code dir} ({@code ID.record}); other files are ignored. */
    static List<UploadId> idsIn(DiskFiles files, Path dir) throws IOException {
        String suffix = PartFiles.RECORD_SUFFIX;
        List<UploadId> ids = new ArrayList<>();
        try (DirectoryStream<Path> records = files.list(dir, "*" + suffix)) {
            for (Path record : records) {
                String file = record.getFileName().toString();
                String id = file.substring(0, file.length() - suffix.length());
                if (UploadId.isValid(id)) {
                    ids.add(UploadId.of(id));
                }
            }
        }
        return ids;
    }

    /** The record's properties ({@link RecordCodec}) with the disk store's own: state, data generation. */
    static Properties partProperties(PartRecord record, String generation) {
        Properties props = RecordCodec.encode(record);
        props.setProperty(STATE, STATE_PART);
        if (generation != null) {
            props.setProperty(DATA, generation);
        }
        return props;
    }

    static PartRecord toPartRecord(UploadId id, Properties props) throws IOException {
        return RecordCodec.decodePart(id, props);
    }

    /** The record's properties ({@link RecordCodec}) with the version folder that holds the file. */
    static Properties completedProperties(CompletedRecord record, String version) {
        Properties props = RecordCodec.encode(record);
        if (version != null) {
            props.setProperty(VERSION, version);
        }
        return props;
    }

    static CompletedRecord toCompletedRecord(UploadId id, Properties props) throws IOException {
        return RecordCodec.decodeCompleted(id, props);
    }

    /**
     * A generation or version named by a record: null if the record predates them, else the
     * store's own 16 hex digits (anything else in a record is damage, never a path).
     *
     * @throws IOException if the value is not one the store writes
     */
    static String token(UploadId id, Properties props, String key) throws IOException {
        String value = props.getProperty(key);
        if (value != null && !Generations.isValid(value)) {
            throw new IOException("unreadable record of upload " + id + ": bad " + key);
        }
        return value;
    }
}
