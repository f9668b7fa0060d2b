package org.resumableupload.store.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.UploadStoreFixture;

/**
 * What the disk store's own tests share: a store in a temporary directory (forcing on the writing
 * thread), and ways to look at and tamper with its files the way a crash or an older version would.
 */
abstract class DiskStoreFixture extends UploadStoreFixture {
    /** The version a completion interrupted by {@link #crashAfterCompletingRecord} installs. */
    static final String CRASHED_VERSION = "00000000000000ab";

    @TempDir
    Path tempDir;

    Path root;

    @Override
    protected UploadStore newStore() throws IOException {
        root = tempDir.resolve("store");
        return new DiskUploadStore(root);
    }

    @Override
    protected UploadStore reopenStore() throws IOException {
        return new DiskUploadStore(root);
    }

    /** The store as its own class, for what only the disk store has. */
    DiskUploadStore disk() {
        return (DiskUploadStore) store;
    }

    Path parts() {
        return root.resolve("parts");
    }

    Path completed() {
        return root.resolve("completed");
    }

    Path partRecord(UploadId id) {
        return parts().resolve(id.value() + ".record");
    }

    Path completedRecord(UploadId id) {
        return completed().resolve(id.value() + ".record");
    }

    List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    /** The store holds exactly the files {@code expected}, nothing else. */
    void assertOnlyFilesAre(Path... expected) throws IOException {
        assertEquals(Stream.of(expected).sorted().toList(), filesUnder(root).stream().sorted().toList());
    }

    static Properties load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties props = new Properties();
            props.load(reader);
            return props;
        }
    }

    static void save(Path file, Properties props) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(writer, null);
        }
    }

    /** The data file the part's record names. */
    Path dataFile(UploadId id) throws IOException {
        return parts().resolve(id.value() + "." + load(partRecord(id)).getProperty("data") + ".data");
    }

    /** The file of the current version of a completed upload, as its record names it. */
    Path completedFile(UploadId id) throws IOException {
        Properties record = load(completedRecord(id));
        return completed().resolve(id.value()).resolve(record.getProperty("version")).resolve(record.getProperty("name"));
    }

    /** Data files of {@code id} in parts/, whichever generation. */
    List<Path> dataFilesOf(UploadId id) throws IOException {
        return filesUnder(parts()).stream().filter(f -> f.getFileName().toString().startsWith(id.value())
                && f.getFileName().toString().endsWith(".data")).toList();
    }

    /**
     * Leaves the part as a crash right after {@code complete} wrote its "completing" record (and before
     * it moved the bytes) would leave it.
     */
    void crashAfterCompletingRecord(UploadId id, byte[] sha256, Instant completedAt) throws IOException {
        Properties props = load(partRecord(id));
        props.setProperty("state", "completing");
        props.setProperty("sha256", HexFormat.of().formatHex(sha256));
        props.setProperty("completedAt", completedAt.toString());
        props.setProperty("version", CRASHED_VERSION);
        save(partRecord(id), props);
    }

    /** A part record as the store wrote it before generations, metadata and digest states existed. */
    static Properties legacyPartRecord(long offset) {
        Properties props = new Properties();
        props.setProperty("format", "1");
        props.setProperty("state", "part");
        props.setProperty("owner", ALICE);
        props.setProperty("name", "legacy.bin");
        props.setProperty("declaredSize", "-1");
        props.setProperty("offset", Long.toString(offset));
        props.setProperty("createdAt", T0.toString());
        props.setProperty("updatedAt", T0.toString());
        return props;
    }

    /** A completed record as the store wrote it before versions and metadata existed. */
    static Properties legacyCompletedRecord(String name, byte[] content) {
        Properties props = new Properties();
        props.setProperty("format", "1");
        props.setProperty("owner", ALICE);
        props.setProperty("name", name);
        props.setProperty("size", Integer.toString(content.length));
        props.setProperty("sha256", HexFormat.of().formatHex(sha256(content)));
        props.setProperty("completedAt", T0.toString());
        return props;
    }
}
