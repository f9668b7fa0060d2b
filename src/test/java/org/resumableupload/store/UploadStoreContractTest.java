package org.resumableupload.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UploadStore} must do with parts and their records, as its Javadoc documents it:
 * finding, creating and starting over, reading, deleting, listing, and keeping every field of a record
 * across commits and restarts. Appending is {@link AppenderContractTest}, completions
 * {@link CompletedUploadContractTest}. Each store subclasses all three.
 */
public abstract class UploadStoreContractTest extends UploadStoreFixture {

    /** A part that uses every field: known size, metadata, a concatenation role and a digest state. */
    protected static PartRecord richPart(UploadId id) {
        return new PartRecord(id, ALICE, "Übersicht 2026.xlsx", 100, 0, T0, T0, trickyMetadata(), "partial",
                "jdk:AAEC/w==");
    }

    @Test
    void unknownIdHasNeitherPartNorCompletion() throws IOException {
        UploadId id = UploadId.random();

        assertEquals(Optional.empty(), store.findPart(id));
        assertEquals(Optional.empty(), store.findCompleted(id));
    }

    @Test
    void createdPartIsFoundEmptyWithEveryFieldKept() throws IOException {
        UploadId id = UploadId.random();
        PartRecord created = richPart(id);

        PartRecord committed = createEmpty(created);

        assertEquals(created, committed);
        assertEquals(Optional.of(created), store.findPart(id));
        assertEquals(List.of(created), store.listParts());
        assertEquals(0, readAll(store.readPart(id)).length);
    }

    @Test
    void metadataConcatAndDigestStateRoundTripThroughCommitsAndARestart() throws IOException {
        UploadId id = UploadId.random();
        PartRecord committed;
        try (Appender appender = store.createPart(richPart(id))) {
            appender.write(ByteBuffer.wrap(bytes("0123456789")));
            appender.commit(appender.committed().withOffset(4, "jdk:state-at-4", T0.plusSeconds(1)));
            committed = appender.commit(appender.committed().withOffset(10, "jdk:state-at-10", T0.plusSeconds(2)));
        }

        store = reopenStore();

        PartRecord found = store.findPart(id).orElseThrow();
        assertEquals(committed, found);
        assertEquals(trickyMetadata(), found.metadata());
        assertEquals(List.copyOf(trickyMetadata().entries().keySet()), List.copyOf(found.metadata().entries().keySet()),
                "keys keep their order");
        assertEquals(Optional.of("Übersicht 写真, \"final\" = 1.pdf"), found.metadata().text("filename"));
        assertNull(found.metadata().entries().get("is_confidential"), "a key alone has no value");
        assertArrayEquals(new byte[0], found.metadata().entries().get("empty"), "an empty value is not no value");
        assertEquals("partial", found.concat());
        assertEquals("jdk:state-at-10", found.digestState());
        assertEquals(T0.plusSeconds(2), found.updatedAt());
        assertEquals(T0, found.createdAt());
        assertEquals(List.of(committed), store.listParts());
        assertArrayEquals(bytes("0123456789"), readAll(store.readPart(id)));
    }

    @Test
    void aPartWithoutMetadataConcatOrDigestStateComesBackWithout() throws IOException {
        UploadId id = UploadId.random();

        partWith(id, BOB, "plain.bin", "abc");
        store = reopenStore();

        PartRecord found = store.findPart(id).orElseThrow();
        assertEquals(Metadata.EMPTY, found.metadata());
        assertNull(found.concat());
        assertNull(found.digestState());
        assertEquals(PartRecord.UNKNOWN_SIZE, found.declaredSize());
    }

    @Test
    void createPartRefusesARecordThatDoesNotStartAtZero() {
        UploadId id = UploadId.random();
        PartRecord notEmpty = newPart(id, ALICE, "a", 10).withOffset(3, T0);

        assertThrows(IllegalArgumentException.class, () -> store.createPart(notEmpty));
    }

    @Test
    void aNewPartIsInvisibleUntilItsFirstCommit() throws IOException {
        UploadId id = UploadId.random();

        try (Appender appender = store.createPart(newPart(id, ALICE, "new.txt", 4))) {
            assertEquals(newPart(id, ALICE, "new.txt", 4), appender.committed());
            assertEquals(0, appender.position());
            appender.write(ByteBuffer.wrap(bytes("abc")));

            assertEquals(Optional.empty(), store.findPart(id));
            assertEquals(List.of(), store.listParts());
            assertThrows(NoSuchFileException.class, () -> store.readPart(id));

            PartRecord committed = commitAll(appender);

            assertEquals(Optional.of(committed), store.findPart(id));
            assertEquals(List.of(committed), store.listParts());
        }
        assertArrayEquals(bytes("abc"), readAll(store.readPart(id)));
    }

    @Test
    void aStartOverReplacesTheEarlierPartAtItsFirstCommitAndNotBefore() throws IOException {
        UploadId id = UploadId.random();
        PartRecord old = partWith(new PartRecord(id, ALICE, "old.txt", PartRecord.UNKNOWN_SIZE, 0, T0, T0,
                trickyMetadata(), "partial", "jdk:old"), "old bytes");
        PartRecord fresh = newPart(id, ALICE, "new.txt", 4);

        try (Appender appender = store.createPart(fresh)) {
            assertEquals(0, appender.position());
            appender.write(ByteBuffer.wrap(bytes("ne")));
            assertEquals(Optional.of(old), store.findPart(id), "nothing visible changes before the commit");
            assertEquals(List.of(old), store.listParts());
            assertArrayEquals(bytes("old bytes"), readAll(store.readPart(id)));

            appender.commit(fresh.withOffset(2, T0.plusSeconds(3)));
        }

        assertEquals(Optional.of(fresh.withOffset(2, T0.plusSeconds(3))), store.findPart(id),
                "the new record whole: no field of the old one survives");
        assertArrayEquals(bytes("ne"), readAll(store.readPart(id)));
        try (Appender appender = store.openAppender(id)) {
            assertEquals(2, appender.position());
        }
    }

    @Test
    void aStartOverClosedWithoutACommitLeavesTheStoreAsItWas() throws IOException {
        UploadId id = UploadId.random();
        PartRecord old = partWith(id, ALICE, "old.txt", "old bytes");
        UploadId fresh = UploadId.random();

        try (Appender appender = store.createPart(newPart(id, ALICE, "new.txt", PartRecord.UNKNOWN_SIZE))) {
            appender.write(ByteBuffer.wrap(bytes("refused body")));
        }
        store.createPart(newPart(fresh, BOB, "never.txt", PartRecord.UNKNOWN_SIZE)).close();

        assertEquals(Optional.of(old), store.findPart(id));
        assertArrayEquals(bytes("old bytes"), readAll(store.readPart(id)));
        assertEquals(Optional.empty(), store.findPart(fresh));
        assertEquals(List.of(old), store.listParts());
        store = reopenStore();
        assertEquals(Optional.of(old), store.findPart(id));
        assertArrayEquals(bytes("old bytes"), readAll(store.readPart(id)));
        try (Appender appender = store.openAppender(id)) {
            assertEquals(9, appender.position(), "the refused body left nothing behind the old bytes");
        }
    }

    @Test
    void aStartOverOfACompletedUploadThatNeverCommitsLeavesOnlyTheCompletion() throws IOException {
        UploadId id = UploadId.random();
        CompletedRecord done = completedWith(id, ALICE, "a.txt", "done", T0);

        try (Appender appender = store.createPart(newPart(id, ALICE, "a.txt", PartRecord.UNKNOWN_SIZE))) {
            appender.write(ByteBuffer.wrap(bytes("xy")));
        }

        assertEquals(Optional.empty(), store.findPart(id));
        assertEquals(Optional.of(done), store.findCompleted(id));
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(id)));
    }

    @Test
    void readPartReadsExactlyTheCommittedBytesEvenWhileMoreAreWritten() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a.bin", "committed");

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("-not-yet")));

            assertArrayEquals(bytes("committed"), readAll(store.readPart(id)));
        }
    }

    @Test
    void readPartOfUnknownPartThrowsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> store.readPart(UploadId.random()));
    }

    @Test
    void deletePartRemovesRecordAndBytes() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a.bin", "bytes");

        store.deletePart(id);

        assertEquals(Optional.empty(), store.findPart(id));
        assertThrows(NoSuchFileException.class, () -> store.readPart(id));
        assertThrows(NoSuchFileException.class, () -> store.openAppender(id));
        assertTrue(store.listParts().isEmpty());
        store = reopenStore();
        assertEquals(Optional.empty(), store.findPart(id));
    }

    @Test
    void deletePartOfUnknownPartDoesNothing() throws IOException {
        UploadId kept = UploadId.random();
        PartRecord part = partWith(kept, ALICE, "a.bin", "bytes");

        store.deletePart(UploadId.random());

        assertEquals(Optional.of(part), store.findPart(kept));
        assertArrayEquals(bytes("bytes"), readAll(store.readPart(kept)));
    }

    @Test
    void deletePartLeavesTheCompletedUploadOfTheSameIdAlone() throws IOException {
        UploadId id = UploadId.random();
        CompletedRecord done = completedWith(id, ALICE, "a.txt", "done", T0);
        partWith(id, ALICE, "a.txt", "again");

        store.deletePart(id);

        assertEquals(Optional.empty(), store.findPart(id));
        assertEquals(Optional.of(done), store.findCompleted(id));
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(id)));
    }

    @Test
    void listPartsHasEveryIncompleteUploadAndNoCompletedOne() throws IOException {
        UploadId first = UploadId.random();
        UploadId second = UploadId.random();
        UploadId done = UploadId.random();
        PartRecord one = partWith(first, ALICE, "1", "a");
        PartRecord two = partWith(second, BOB, "2", "bb");
        completedWith(done, ALICE, "3", "ccc", T0);

        List<PartRecord> parts = store.listParts();

        assertEquals(2, parts.size());
        assertTrue(parts.contains(one));
        assertTrue(parts.contains(two));
    }

    @Test
    void everythingCommittedSurvivesARestart() throws IOException {
        UploadId part = UploadId.random();
        UploadId done = UploadId.random();
        PartRecord committed = partWith(part, ALICE, "p", "partial");
        CompletedRecord completed = completedWith(done, BOB, "d.txt", "done", T0);

        store = reopenStore();

        assertEquals(Optional.of(committed), store.findPart(part));
        assertArrayEquals(bytes("partial"), readAll(store.readPart(part)));
        assertEquals(Optional.of(completed), store.findCompleted(done));
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(done)));
        assertEquals(List.of(completed), store.listCompleted(BOB));
    }
}
