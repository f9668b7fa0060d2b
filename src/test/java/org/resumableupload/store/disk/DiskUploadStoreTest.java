package org.resumableupload.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.UploadStoreContractTest;

class DiskUploadStoreTest extends UploadStoreContractTest {
    @TempDir
    Path tempDir;

    private Path root;

    @Override
    protected UploadStore newStore() throws IOException {
        root = tempDir.resolve("store");
        return new DiskUploadStore(root);
    }

    @Override
    protected UploadStore reopenStore() throws IOException {
        return new DiskUploadStore(root);
    }

    private Path parts() {
        return root.resolve("parts");
    }

    private Path completed() {
        return root.resolve("completed");
    }

    private List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    /** The store holds exactly the files {@code expected}, nothing else. */
    private void assertOnlyFilesAre(Path... expected) throws IOException {
        assertEquals(Stream.of(expected).sorted().toList(), filesUnder(root).stream().sorted().toList());
    }

    private static Properties load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties props = new Properties();
            props.load(reader);
            return props;
        }
    }

    private static void save(Path file, Properties props) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(writer, null);
        }
    }

    /** The version a completion interrupted by {@link #crashAfterCompletingRecord} installs. */
    private static final String CRASHED_VERSION = "00000000000000ab";

    /**
     * Leaves the part as a crash right after {@code complete} wrote its "completing" record (and before
     * it moved the bytes) would leave it.
     */
    private void crashAfterCompletingRecord(UploadId id, byte[] sha256, Instant completedAt) throws IOException {
        Path record = parts().resolve(id.value() + ".record");
        Properties props = load(record);
        props.setProperty("state", "completing");
        props.setProperty("sha256", HexFormat.of().formatHex(sha256));
        props.setProperty("completedAt", completedAt.toString());
        props.setProperty("version", CRASHED_VERSION);
        save(record, props);
    }

    /** The data file the part's record names. */
    private Path dataFile(UploadId id) throws IOException {
        return parts().resolve(id.value() + "." + load(parts().resolve(id.value() + ".record")).getProperty("data")
                + ".data");
    }

    /** The file of the current version of a completed upload, as its record names it. */
    private Path completedFile(UploadId id) throws IOException {
        Properties record = load(completed().resolve(id.value() + ".record"));
        return completed().resolve(id.value()).resolve(record.getProperty("version")).resolve(record.getProperty("name"));
    }

    /** Data files of {@code id} in parts/, whichever generation. */
    private List<Path> dataFilesOf(UploadId id) throws IOException {
        return filesUnder(parts()).stream().filter(f -> f.getFileName().toString().startsWith(id.value())
                && f.getFileName().toString().endsWith(".data")).toList();
    }

    // ---- layout --------------------------------------------------------------------------------

    @Test
    void constructorCreatesThePartsAndCompletedDirectories() {
        assertTrue(Files.isDirectory(parts()));
        assertTrue(Files.isDirectory(completed()));
    }

    @Test
    void aPartIsARecordNamedByItsIdAndTheDataFileOfTheGenerationItNames() throws IOException {
        UploadId id = UploadId.random();

        partWith(id, ALICE, "report.pdf", "12345");

        Path record = parts().resolve(id.value() + ".record");
        String generation = load(record).getProperty("data");
        assertTrue(generation.matches("[0-9a-f]{16}"), generation);
        Path data = parts().resolve(id.value() + "." + generation + ".data");
        assertArrayEquals(bytes("12345"), Files.readAllBytes(data));
        Properties props = load(record);
        assertEquals("part", props.getProperty("state"));
        assertEquals("5", props.getProperty("offset"));
        assertEquals(ALICE, props.getProperty("owner"));
        assertEquals("report.pdf", props.getProperty("name"));
        assertOnlyFilesAre(data, record);
    }

    @Test
    void aCompletedUploadIsARecordAndItsFileUnderItsNameInTheVersionFolderTheRecordNames() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "report.pdf", "12345");

        store.complete(id, sha256(bytes("12345")), T0);

        Path record = completed().resolve(id.value() + ".record");
        String version = load(record).getProperty("version");
        assertTrue(version.matches("[0-9a-f]{16}"), version);
        Path file = completed().resolve(id.value()).resolve(version).resolve("report.pdf");
        assertArrayEquals(bytes("12345"), Files.readAllBytes(file));
        Properties props = load(record);
        assertEquals("5", props.getProperty("size"));
        assertEquals(HexFormat.of().formatHex(sha256(bytes("12345"))), props.getProperty("sha256"));
        assertOnlyFilesAre(file, record);
    }

    @Test
    void aNewCompletionRemovesEveryEarlierVersion() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "first.txt", "one", T0);
        Path first = completedFile(id);
        completedWith(id, ALICE, "first.txt", "same name", T0.plusSeconds(1));
        Path second = completedFile(id);
        partWith(id, ALICE, "third.txt", "two");

        store.complete(id, sha256(bytes("two")), T0.plusSeconds(2));

        Path third = completedFile(id);
        assertArrayEquals(bytes("two"), Files.readAllBytes(third));
        assertFalse(Files.exists(first.getParent()));
        assertFalse(Files.exists(second.getParent()));
        assertOnlyFilesAre(third, completed().resolve(id.value() + ".record"));
    }

    @Test
    void aNameThatIsNotOnePlainPathElementIsStoredAsUploadInsideTheIdsFolder() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "../../escaped", "secret");

        CompletedRecord done = store.complete(id, sha256(bytes("secret")), T0);

        assertEquals("upload", done.name());
        assertEquals("upload", completedFile(id).getFileName().toString());
        assertEquals(completed().resolve(id.value()), completedFile(id).getParent().getParent());
        assertArrayEquals(bytes("secret"), Files.readAllBytes(completedFile(id)));
        try (Stream<Path> outside = Files.walk(tempDir)) {
            assertTrue(outside.noneMatch(p -> p.getFileName().toString().equals("escaped")));
        }
    }

    @Test
    void noTemporaryFileIsLeftBehindByNormalWork() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "a", "abc", T0);
        partWith(UploadId.random(), BOB, "b", "def");

        assertTrue(filesUnder(root).stream().noneMatch(p -> p.toString().endsWith(".tmp")));
    }

    // ---- crash recovery ------------------------------------------------------------------------

    @Test
    void aCompletionInterruptedBeforeTheMoveIsFinishedByFindPart() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "done.txt", "all of it");
        byte[] sha256 = sha256(bytes("all of it"));
        crashAfterCompletingRecord(id, sha256, T0);
        store = reopenStore();

        assertEquals(Optional.empty(), store.findPart(id));

        CompletedRecord done = store.findCompleted(id).orElseThrow();
        assertEquals("done.txt", done.name());
        assertEquals(9, done.size());
        assertArrayEquals(sha256, done.sha256());
        assertEquals(T0, done.completedAt());
        assertArrayEquals(bytes("all of it"), readAll(store.openCompleted(id)));
        assertFalse(Files.exists(parts().resolve(id.value() + ".record")));
        assertEquals(List.of(), dataFilesOf(id));
        assertEquals(CRASHED_VERSION, completedFile(id).getParent().getFileName().toString());
    }

    @Test
    void aCompletionInterruptedAfterTheMoveIsFinishedByRecover() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "done.txt", "moved");
        byte[] sha256 = sha256(bytes("moved"));
        crashAfterCompletingRecord(id, sha256, T0);
        Path folder = Files.createDirectories(completed().resolve(id.value()).resolve(CRASHED_VERSION));
        Files.move(dataFile(id), folder.resolve("done.txt"));
        store = reopenStore();

        store.recover();

        assertFalse(Files.exists(parts().resolve(id.value() + ".record")));
        CompletedRecord done = store.findCompleted(id).orElseThrow();
        assertEquals(5, done.size());
        assertArrayEquals(sha256, done.sha256());
        assertArrayEquals(bytes("moved"), readAll(store.openCompleted(id)));
        assertTrue(store.listParts().isEmpty());
    }

    @Test
    void aRolledForwardCompletionDropsTheUncommittedTail() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "f.bin", "12345");
        writeWithoutCommit(id, "tail");
        crashAfterCompletingRecord(id, sha256(bytes("12345")), T0);
        store = reopenStore();

        store.recover();

        assertEquals(5, store.findCompleted(id).orElseThrow().size());
        assertArrayEquals(bytes("12345"), readAll(store.openCompleted(id)));
    }

    @Test
    void aRolledForwardCompletionReplacesTheEarlierCompletion() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "old.txt", "old", T0);
        partWith(id, ALICE, "new.txt", "new!");
        crashAfterCompletingRecord(id, sha256(bytes("new!")), T0.plusSeconds(5));
        store = reopenStore();

        store.recover();

        CompletedRecord done = store.findCompleted(id).orElseThrow();
        assertEquals("new.txt", done.name());
        assertEquals(T0.plusSeconds(5), done.completedAt());
        assertArrayEquals(bytes("new!"), readAll(store.openCompleted(id)));
        assertOnlyFilesAre(completedFile(id), completed().resolve(id.value() + ".record"));
    }

    @Test
    void recoverRemovesStrayTemporaryFilesAndKeepsRecords() throws IOException {
        UploadId part = UploadId.random();
        UploadId done = UploadId.random();
        partWith(part, ALICE, "p", "partial");
        completedWith(done, ALICE, "d", "done", T0);
        Path partTemp = parts().resolve(part.value() + ".record.tmp");
        Path completedTemp = completed().resolve(done.value() + ".record.tmp");
        Files.writeString(partTemp, "half a record");
        Files.writeString(completedTemp, "half a record");
        store = reopenStore();

        store.recover();

        assertFalse(Files.exists(partTemp));
        assertFalse(Files.exists(completedTemp));
        assertEquals(7, store.findPart(part).orElseThrow().offset());
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(done)));
    }

    @Test
    void oneDamagedRecordIsSkippedByRecoverAndListingInsteadOfStoppingThem() throws IOException {
        UploadId damaged = UploadId.random();
        UploadId healthy = UploadId.random();
        UploadId damagedDone = UploadId.random();
        partWith(damaged, ALICE, "bad", "xx");
        partWith(healthy, ALICE, "good", "yyy");
        completedWith(damagedDone, ALICE, "gone", "zz", T0);
        Files.writeString(parts().resolve(damaged.value() + ".record"), "offset=not a number\n");
        Files.writeString(completed().resolve(damagedDone.value() + ".record"), "size=\n");
        store = reopenStore();

        store.recover();

        assertEquals(List.of(healthy), store.listParts().stream().map(PartRecord::id).toList());
        assertTrue(store.listCompleted(ALICE).isEmpty());
        assertThrows(IOException.class, () -> store.findPart(damaged));
    }

    @Test
    void aRecordNeverClaimsMoreThanTheDataFileHolds() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a", "0123456789");
        try (FileChannel data = FileChannel.open(dataFile(id), StandardOpenOption.WRITE)) {
            data.truncate(4);
        }

        assertEquals(4, store.findPart(id).orElseThrow().offset());
        assertArrayEquals(bytes("0123"), readAll(store.readPart(id)));
    }

    @Test
    void filesThatAreNotNamedByAnIdAreIgnoredByListings() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a", "x");
        Files.writeString(parts().resolve("notes.record"), "owner=x");
        Files.writeString(completed().resolve("README.record"), "owner=alice-tag");

        assertEquals(List.of(id), store.listParts().stream().map(PartRecord::id).toList());
        assertTrue(store.listCompleted(ALICE).isEmpty());
    }

    @Test
    void aCorruptRecordIsReportedAsAnIOException() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a", "x");
        Files.writeString(parts().resolve(id.value() + ".record"), "this is not a record\n");
        UploadId done = UploadId.random();
        Files.writeString(completed().resolve(done.value() + ".record"), "size=many\n");

        // UploadStore documents IOException for a record that exists but cannot be read.
        assertThrows(IOException.class, () -> store.findPart(id));
        assertThrows(IOException.class, () -> store.findCompleted(done));
    }

    // ---- generations and versions ----------------------------------------------------------------

    @Test
    void aStartOverRemovesTheGenerationItReplacedAtItsFirstCommit() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a", "old bytes");
        Path old = dataFile(id);

        try (Appender appender = store.createPart(newPart(id, ALICE, "a", PartRecord.UNKNOWN_SIZE))) {
            appender.write(ByteBuffer.wrap(bytes("new")));
            assertEquals(2, dataFilesOf(id).size(), "both generations until the commit");
            appender.commit(PartRecord.UNKNOWN_SIZE);
        }

        assertFalse(Files.exists(old));
        assertEquals(List.of(dataFile(id)), dataFilesOf(id));
        assertArrayEquals(bytes("new"), Files.readAllBytes(dataFile(id)));
    }

    @Test
    void recoverRemovesDataFilesNoRecordNamesAndKeepsTheOnesRecordsName() throws IOException {
        UploadId id = UploadId.random();
        UploadId orphan = UploadId.random();
        partWith(id, ALICE, "a", "kept");
        Path kept = dataFile(id);
        Path replacedByACrash = parts().resolve(id.value() + ".00000000000000cd.data");
        Path neverCommitted = parts().resolve(orphan.value() + ".00000000000000ef.data");
        Path notOurs = parts().resolve("notes.data");
        Files.writeString(replacedByACrash, "old generation");
        Files.writeString(neverCommitted, "a start-over cut by a crash");
        Files.writeString(notOurs, "someone else's");
        store = reopenStore();

        store.recover();

        assertOnlyFilesAre(kept, parts().resolve(id.value() + ".record"), notOurs);
        assertArrayEquals(bytes("kept"), readAll(store.readPart(id)));
    }

    @Test
    void recordsWrittenBeforeGenerationsAndVersionsAreStillReadResumedAndServed() throws IOException {
        UploadId part = UploadId.random();
        UploadId done = UploadId.random();
        Files.writeString(parts().resolve(part.value() + ".data"), "12345");
        save(parts().resolve(part.value() + ".record"), legacyPartRecord(5));
        Files.createDirectories(completed().resolve(done.value()));
        Files.writeString(completed().resolve(done.value()).resolve("old.txt"), "done");
        Properties completedRecord = new Properties();
        completedRecord.setProperty("format", "1");
        completedRecord.setProperty("owner", ALICE);
        completedRecord.setProperty("name", "old.txt");
        completedRecord.setProperty("size", "4");
        completedRecord.setProperty("sha256", HexFormat.of().formatHex(sha256(bytes("done"))));
        completedRecord.setProperty("completedAt", T0.toString());
        save(completed().resolve(done.value() + ".record"), completedRecord);
        store = reopenStore();
        store.recover();

        assertEquals(5, store.findPart(part).orElseThrow().offset());
        try (Appender appender = store.openAppender(part)) {
            appender.write(ByteBuffer.wrap(bytes("67")));
            appender.commit(PartRecord.UNKNOWN_SIZE);
        }
        assertArrayEquals(bytes("1234567"), readAll(store.readPart(part)));
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(done)));
        store.complete(part, sha256(bytes("1234567")), T0);
        assertArrayEquals(bytes("1234567"), readAll(store.openCompleted(part)));
        assertEquals(List.of(), dataFilesOf(part));
    }

    private static Properties legacyPartRecord(long offset) {
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

    @Test
    void aRecordNamingAGenerationTheStoreNeverMakesIsDamageNotAPath() throws IOException {
        UploadId id = UploadId.random();
        Properties props = legacyPartRecord(0);
        props.setProperty("data", "../../../etc/passwd");
        save(parts().resolve(id.value() + ".record"), props);

        assertThrows(IOException.class, () -> store.findPart(id));
        assertThrows(IOException.class, () -> store.openAppender(id));
    }

    // ---- safeFileName --------------------------------------------------------------------------

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {".", "..", "/", "a/b", "../x", "a\\b", "a\0b", "x.record", "x.tmp", "ID.record.tmp"})
    void safeFileNameRefusesAnythingButOnePlainPathElement(String name) {
        assertEquals("upload", DiskUploadStore.safeFileName(name));
    }

    @Test
    void safeFileNameRefusesNamesLongerThan255Characters() {
        assertEquals("upload", DiskUploadStore.safeFileName("a".repeat(256)));
        assertEquals("a".repeat(255), DiskUploadStore.safeFileName("a".repeat(255)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"report.pdf", "Übersicht 2026.xlsx", "写真.jpg", "a..b", "...leading-is-sanitized-earlier"})
    void safeFileNameKeepsAPlainName(String name) {
        assertEquals(name, DiskUploadStore.safeFileName(name));
    }
}
