package org.resumableupload.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;

/**
 * How the disk store finds its way back after a crash ({@link DiskUploadStore#recover()}, interrupted
 * completions), past damaged records, and through records written by earlier versions.
 */
class DiskRecoveryTest extends DiskStoreFixture {

    @Test
    void aCompletionInterruptedBeforeTheMoveIsFinishedByFindPartWithEveryFieldCarriedOver() throws IOException {
        UploadId id = UploadId.random();
        partWith(new PartRecord(id, ALICE, "done.txt", 9, 0, T0, T0, trickyMetadata(), "final;p", "bc:s"),
                "all of it");
        byte[] sha256 = sha256(bytes("all of it"));
        crashAfterCompletingRecord(id, sha256, T0);
        store = reopenStore();

        assertEquals(Optional.empty(), store.findPart(id));

        assertEquals(new CompletedRecord(id, ALICE, "done.txt", 9, sha256, T0, trickyMetadata(), "final;p"),
                store.findCompleted(id).orElseThrow());
        assertArrayEquals(bytes("all of it"), readAll(store.openCompleted(id)));
        assertFalse(Files.exists(partRecord(id)));
        assertEquals(List.of(), dataFilesOf(id));
        assertEquals(CRASHED_VERSION, completedFile(id).getParent().getFileName().toString());
    }

    @Test
    void anInterruptedCompletionIsListedAsAPartUntilItIsFinished() throws IOException {
        UploadId id = UploadId.random();
        PartRecord part = partWith(id, ALICE, "done.txt", "abc");
        crashAfterCompletingRecord(id, sha256(bytes("abc")), T0);
        store = reopenStore();

        assertEquals(List.of(part), store.listParts());
        disk().recover();
        assertEquals(List.of(), store.listParts());
        assertEquals(3, store.findCompleted(id).orElseThrow().size());
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

        disk().recover();

        assertFalse(Files.exists(partRecord(id)));
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

        disk().recover();

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

        disk().recover();

        CompletedRecord done = store.findCompleted(id).orElseThrow();
        assertEquals("new.txt", done.name());
        assertEquals(T0.plusSeconds(5), done.completedAt());
        assertArrayEquals(bytes("new!"), readAll(store.openCompleted(id)));
        assertOnlyFilesAre(completedFile(id), completedRecord(id));
    }

    @Test
    void recoverOnAHealthyStoreChangesNothingAndCanRunTwice() throws IOException {
        UploadId part = UploadId.random();
        UploadId done = UploadId.random();
        PartRecord committed = partWith(part, ALICE, "p", "partial");
        CompletedRecord completion = completedWith(done, ALICE, "d.txt", "done", T0);
        List<Path> files = filesUnder(root).stream().sorted().toList();

        disk().recover();
        disk().recover();

        assertEquals(files, filesUnder(root).stream().sorted().toList());
        assertEquals(Optional.of(committed), store.findPart(part));
        assertArrayEquals(bytes("partial"), readAll(store.readPart(part)));
        assertEquals(Optional.of(completion), store.findCompleted(done));
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(done)));
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

        disk().recover();

        assertFalse(Files.exists(partTemp));
        assertFalse(Files.exists(completedTemp));
        assertEquals(7, store.findPart(part).orElseThrow().offset());
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(done)));
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

        disk().recover();

        assertOnlyFilesAre(kept, partRecord(id), notOurs);
        assertArrayEquals(bytes("kept"), readAll(store.readPart(id)));
    }

    @Test
    void oneDamagedRecordIsSkippedByRecoverAndListingInsteadOfStoppingThem() throws IOException {
        UploadId damaged = UploadId.random();
        UploadId healthy = UploadId.random();
        UploadId damagedDone = UploadId.random();
        partWith(damaged, ALICE, "bad", "xx");
        partWith(healthy, ALICE, "good", "yyy");
        completedWith(damagedDone, ALICE, "gone", "zz", T0);
        Path damagedData = dataFile(damaged);
        Files.writeString(partRecord(damaged), "offset=not a number\n");
        Files.writeString(completedRecord(damagedDone), "size=\n");
        store = reopenStore();

        disk().recover();

        assertEquals(List.of(healthy), store.listParts().stream().map(PartRecord::id).toList());
        assertTrue(store.listCompleted(ALICE).isEmpty());
        assertThrows(IOException.class, () -> store.findPart(damaged));
        assertTrue(Files.exists(damagedData), "the bytes of a damaged record are kept for an operator");
    }

    @Test
    void aCorruptRecordIsReportedAsAnIOException() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a", "x");
        Files.writeString(partRecord(id), "this is not a record\n");
        UploadId done = UploadId.random();
        Files.writeString(completedRecord(done), "size=many\n");

        assertThrows(IOException.class, () -> store.findPart(id));
        assertThrows(IOException.class, () -> store.openAppender(id));
        assertThrows(IOException.class, () -> store.findCompleted(done));
        assertThrows(IOException.class, () -> store.openCompleted(done));
    }

    @Test
    void aRecordWithANegativeOffsetIsDamageNotAnOffset() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a", "0123456789");
        Properties props = load(partRecord(id));
        props.setProperty("offset", "-3");
        save(partRecord(id), props);

        assertThrows(IOException.class, () -> store.findPart(id));
        assertThrows(IOException.class, () -> store.openAppender(id));
        assertThrows(IOException.class, () -> store.readPart(id));
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
    void recordsWrittenBeforeGenerationsVersionsAndMetadataAreStillReadResumedAndServed() throws IOException {
        UploadId part = UploadId.random();
        UploadId done = UploadId.random();
        Files.writeString(parts().resolve(part.value() + ".data"), "12345");
        save(partRecord(part), legacyPartRecord(5));
        Files.createDirectories(completed().resolve(done.value()));
        Files.writeString(completed().resolve(done.value()).resolve("old.txt"), "done");
        save(completedRecord(done), legacyCompletedRecord("old.txt", bytes("done")));
        store = reopenStore();
        disk().recover();

        PartRecord legacy = store.findPart(part).orElseThrow();
        assertEquals(5, legacy.offset());
        assertEquals(Metadata.EMPTY, legacy.metadata());
        assertNull(legacy.concat());
        assertNull(legacy.digestState(), "no saved state: the core rebuilds the digest from readPart");
        assertEquals(Metadata.EMPTY, store.findCompleted(done).orElseThrow().metadata());
        try (Appender appender = store.openAppender(part)) {
            appender.write(ByteBuffer.wrap(bytes("67")));
            commitAll(appender);
        }
        assertArrayEquals(bytes("1234567"), readAll(store.readPart(part)));
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(done)));
        store.complete(part, sha256(bytes("1234567")), T0);
        assertArrayEquals(bytes("1234567"), readAll(store.openCompleted(part)));
        assertEquals(List.of(), dataFilesOf(part));
    }

    @Test
    void aLegacyCompletionIsReplacedByANewVersionedOne() throws IOException {
        UploadId id = UploadId.random();
        Path legacyFile = Files.createDirectories(completed().resolve(id.value())).resolve("old.txt");
        Files.writeString(legacyFile, "done");
        save(completedRecord(id), legacyCompletedRecord("old.txt", bytes("done")));

        completedWith(id, ALICE, "new.txt", "newer", T0.plusSeconds(1));

        assertFalse(Files.exists(legacyFile));
        assertArrayEquals(bytes("newer"), readAll(store.openCompleted(id)));
        assertOnlyFilesAre(completedFile(id), completedRecord(id));
    }

    @Test
    void aRecordNamingAGenerationOrVersionTheStoreNeverMakesIsDamageNotAPath() throws IOException {
        UploadId id = UploadId.random();
        Properties part = legacyPartRecord(0);
        part.setProperty("data", "../../../etc/passwd");
        save(partRecord(id), part);
        UploadId done = UploadId.random();
        Properties completion = legacyCompletedRecord("x", bytes("x"));
        completion.setProperty("version", "../../parts");
        save(completedRecord(done), completion);

        assertThrows(IOException.class, () -> store.findPart(id));
        assertThrows(IOException.class, () -> store.openAppender(id));
        assertThrows(IOException.class, () -> store.openCompleted(done));
    }
}
