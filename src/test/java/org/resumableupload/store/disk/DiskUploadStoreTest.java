package org.resumableupload.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
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
        save(record, props);
    }

    // ---- layout --------------------------------------------------------------------------------

    @Test
    void constructorCreatesThePartsAndCompletedDirectories() {
        assertTrue(Files.isDirectory(parts()));
        assertTrue(Files.isDirectory(completed()));
    }

    @Test
    void aPartIsADataFileAndARecordNamedByItsId() throws IOException {
        UploadId id = UploadId.random();

        partWith(id, ALICE, "report.pdf", "12345");

        Path data = parts().resolve(id.value() + ".data");
        Path record = parts().resolve(id.value() + ".record");
        assertArrayEquals(bytes("12345"), Files.readAllBytes(data));
        Properties props = load(record);
        assertEquals("part", props.getProperty("state"));
        assertEquals("5", props.getProperty("offset"));
        assertEquals(ALICE, props.getProperty("owner"));
        assertEquals("report.pdf", props.getProperty("name"));
        assertOnlyFilesAre(data, record);
    }

    @Test
    void aCompletedUploadIsARecordAndItsFileUnderItsName() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "report.pdf", "12345");

        store.complete(id, sha256(bytes("12345")), T0);

        Path record = completed().resolve(id.value() + ".record");
        Path file = completed().resolve(id.value()).resolve("report.pdf");
        assertArrayEquals(bytes("12345"), Files.readAllBytes(file));
        Properties props = load(record);
        assertEquals("5", props.getProperty("size"));
        assertEquals(HexFormat.of().formatHex(sha256(bytes("12345"))), props.getProperty("sha256"));
        assertOnlyFilesAre(file, record);
    }

    @Test
    void aCompletionUnderAnotherNameRemovesTheEarlierFile() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "first.txt", "one", T0);
        partWith(id, ALICE, "second.txt", "two");

        store.complete(id, sha256(bytes("two")), T0.plusSeconds(1));

        Path folder = completed().resolve(id.value());
        assertFalse(Files.exists(folder.resolve("first.txt")));
        assertArrayEquals(bytes("two"), Files.readAllBytes(folder.resolve("second.txt")));
    }

    @Test
    void aNameThatIsNotOnePlainPathElementIsStoredAsUploadInsideTheIdsFolder() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "../../escaped", "secret");

        CompletedRecord done = store.complete(id, sha256(bytes("secret")), T0);

        assertEquals("upload", done.name());
        assertArrayEquals(bytes("secret"), Files.readAllBytes(completed().resolve(id.value()).resolve("upload")));
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
        assertFalse(Files.exists(parts().resolve(id.value() + ".data")));
    }

    @Test
    void aCompletionInterruptedAfterTheMoveIsFinishedByRecover() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "done.txt", "moved");
        byte[] sha256 = sha256(bytes("moved"));
        crashAfterCompletingRecord(id, sha256, T0);
        Path folder = Files.createDirectories(completed().resolve(id.value()));
        Files.move(parts().resolve(id.value() + ".data"), folder.resolve("done.txt"));
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
        assertFalse(Files.exists(completed().resolve(id.value()).resolve("old.txt")));
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
        try (FileChannel data = FileChannel.open(parts().resolve(id.value() + ".data"), StandardOpenOption.WRITE)) {
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
