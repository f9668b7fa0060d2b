package org.resumableupload.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;

/** The disk store's layout and record files, beyond the contract ({@link DiskUploadStoreContractTest}). */
class DiskUploadStoreTest extends DiskStoreFixture {

    @Test
    void constructorCreatesThePartsAndCompletedDirectories() {
        assertTrue(Files.isDirectory(parts()));
        assertTrue(Files.isDirectory(completed()));
    }

    @Test
    void aPartIsARecordNamedByItsIdAndTheDataFileOfTheGenerationItNames() throws IOException {
        UploadId id = UploadId.random();

        partWith(id, ALICE, "report.pdf", "12345");

        String generation = load(partRecord(id)).getProperty("data");
        assertTrue(generation.matches("[0-9a-f]{16}"), generation);
        Path data = parts().resolve(id.value() + "." + generation + ".data");
        assertArrayEquals(bytes("12345"), Files.readAllBytes(data));
        assertOnlyFilesAre(data, partRecord(id));
    }

    @Test
    void aPartRecordFileHoldsEveryFieldUnderItsKey() throws IOException {
        UploadId id = UploadId.random();
        Metadata metadata = Metadata.EMPTY.with("filename", "ü.txt").with("flag", "").with("type", "text/plain");
        try (Appender appender = store.createPart(new PartRecord(id, ALICE, "ü.txt", 50, 0, T0, T0, metadata,
                "partial", null))) {
            appender.write(ByteBuffer.wrap(bytes("12345")));
            appender.commit(appender.committed().withOffset(5, "bc-native:AAEC", T0.plusSeconds(7)));
        }

        Properties props = load(partRecord(id));

        assertEquals(Set.of("format", "state", "owner", "name", "declaredSize", "offset", "createdAt", "updatedAt",
                "metadata", "concat", "sha256State", "data"), props.stringPropertyNames());
        assertEquals("1", props.getProperty("format"));
        assertEquals("part", props.getProperty("state"));
        assertEquals(ALICE, props.getProperty("owner"));
        assertEquals("ü.txt", props.getProperty("name"));
        assertEquals("50", props.getProperty("declaredSize"));
        assertEquals("5", props.getProperty("offset"));
        assertEquals(T0.toString(), props.getProperty("createdAt"));
        assertEquals(T0.plusSeconds(7).toString(), props.getProperty("updatedAt"));
        assertEquals("filename " + Base64.getEncoder().encodeToString(bytes("ü.txt")) + ",flag ,type "
                + Base64.getEncoder().encodeToString(bytes("text/plain")), props.getProperty("metadata"));
        assertEquals("partial", props.getProperty("concat"));
        assertEquals("bc-native:AAEC", props.getProperty("sha256State"));
    }

    @Test
    void aPlainPartRecordHasNoMetadataConcatOrStateKeys() throws IOException {
        UploadId id = UploadId.random();

        partWith(id, ALICE, "a", "x");

        assertEquals(Set.of("format", "state", "owner", "name", "declaredSize", "offset", "createdAt", "updatedAt",
                "data"), load(partRecord(id)).stringPropertyNames());
    }

    @Test
    void aCompletedUploadIsARecordAndItsFileUnderItsNameInTheVersionFolderTheRecordNames() throws IOException {
        UploadId id = UploadId.random();
        partWith(new PartRecord(id, ALICE, "report.pdf", 5, 0, T0, T0, Metadata.EMPTY.with("k", "v"), "final;x",
                "bc-native:AAEC"), "12345");

        store.complete(id, sha256(bytes("12345")), T0.plusSeconds(9));

        Properties props = load(completedRecord(id));
        String version = props.getProperty("version");
        assertTrue(version.matches("[0-9a-f]{16}"), version);
        Path file = completed().resolve(id.value()).resolve(version).resolve("report.pdf");
        assertArrayEquals(bytes("12345"), Files.readAllBytes(file));
        assertEquals(Set.of("format", "owner", "name", "size", "sha256", "completedAt", "metadata", "concat",
                "version"), props.stringPropertyNames(), "no digest state once complete");
        assertEquals("5", props.getProperty("size"));
        assertEquals(HexFormat.of().formatHex(sha256(bytes("12345"))), props.getProperty("sha256"));
        assertEquals(T0.plusSeconds(9).toString(), props.getProperty("completedAt"));
        assertEquals("k " + Base64.getEncoder().encodeToString(bytes("v")), props.getProperty("metadata"));
        assertEquals("final;x", props.getProperty("concat"));
        assertOnlyFilesAre(file, completedRecord(id));
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
        assertOnlyFilesAre(third, completedRecord(id));
    }

    @Test
    void deleteCompletedRemovesTheRecordAndTheIdsFolder() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "a.txt", "bytes", T0);
        UploadId other = UploadId.random();
        completedWith(other, ALICE, "b.txt", "kept", T0);

        store.deleteCompleted(id);

        assertFalse(Files.exists(completed().resolve(id.value())));
        assertOnlyFilesAre(completedFile(other), completedRecord(other));
    }

    @Test
    void deletePartRemovesTheRecordAndTheDataFile() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a", "bytes");

        store.deletePart(id);

        assertOnlyFilesAre();
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

    @Test
    void aStartOverWritesANewGenerationAndRemovesTheOneItReplacedAtItsFirstCommit() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a", "old bytes");
        Path old = dataFile(id);

        try (Appender appender = store.createPart(newPart(id, ALICE, "a", PartRecord.UNKNOWN_SIZE))) {
            appender.write(ByteBuffer.wrap(bytes("new")));
            assertEquals(2, dataFilesOf(id).size(), "both generations until the commit");
            assertEquals(old, dataFile(id), "the record names the old one until the commit");
            commitAll(appender);
        }

        assertFalse(Files.exists(old));
        assertEquals(List.of(dataFile(id)), dataFilesOf(id));
        assertArrayEquals(bytes("new"), Files.readAllBytes(dataFile(id)));
    }

    @Test
    void aStartOverClosedWithoutACommitRemovesItsOwnDataFile() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a", "old bytes");
        Path old = dataFile(id);

        try (Appender appender = store.createPart(newPart(id, ALICE, "a", PartRecord.UNKNOWN_SIZE))) {
            appender.write(ByteBuffer.wrap(bytes("refused")));
        }

        assertOnlyFilesAre(old, partRecord(id));
        assertArrayEquals(bytes("old bytes"), Files.readAllBytes(old));
    }

    @Test
    void usableSpaceIsWhatTheFileSystemReports() throws IOException {
        long reported = Files.getFileStore(root).getUsableSpace();

        long usable = disk().usableSpace();

        assertTrue(usable > 0);
        assertTrue(Math.abs(usable - reported) < 64L << 20, usable + " vs " + reported);
    }

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
