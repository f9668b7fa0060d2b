package org.resumableupload.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UploadStore} must do with completed uploads, as its Javadoc documents it:
 * completing a part, opening exactly one version of the bytes, replacing and deleting completions
 * while readers hold earlier versions, listing an owner's completions.
 */
public abstract class CompletedUploadContractTest extends UploadStoreFixture {

    private static String text(ByteBuffer buffer) {
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    @Test
    void completeTurnsThePartIntoACompletedUpload() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "report.txt", "the whole file");
        byte[] sha256 = sha256(bytes("the whole file"));
        Instant completedAt = T0.plusSeconds(60);

        CompletedRecord done = store.complete(id, sha256, completedAt);

        assertEquals(new CompletedRecord(id, ALICE, "report.txt", 14, sha256, completedAt), done);
        assertEquals(Optional.empty(), store.findPart(id));
        assertEquals(List.of(), store.listParts());
        assertEquals(Optional.of(done), store.findCompleted(id));
        assertArrayEquals(bytes("the whole file"), readAll(store.openCompleted(id)));
        store = reopenStore();
        assertEquals(Optional.of(done), store.findCompleted(id));
    }

    @Test
    void completeCarriesMetadataAndConcatOverAndTheyStayAcrossARestart() throws IOException {
        UploadId id = UploadId.random();
        partWith(new PartRecord(id, ALICE, "final.bin", 4, 0, T0, T0, trickyMetadata(), "final;p1 p2", "jdk:s"),
                "abcd");

        CompletedRecord done = store.complete(id, sha256(bytes("abcd")), T0);

        assertEquals(trickyMetadata(), done.metadata());
        assertEquals("final;p1 p2", done.concat());
        store = reopenStore();
        CompletedRecord found = store.findCompleted(id).orElseThrow();
        assertEquals(done, found);
        assertEquals(trickyMetadata(), found.metadata());
        assertEquals("final;p1 p2", found.concat());
        try (CompletedContent content = store.openCompleted(id)) {
            assertEquals(done, content.record());
        }
    }

    @Test
    void completedSizeIsTheCommittedOffsetNotWhatWasWrittenAfter() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a.bin", "12345");
        writeWithoutCommit(id, "uncommitted");

        CompletedRecord done = store.complete(id, sha256(bytes("12345")), T0);

        assertEquals(5, done.size());
        assertArrayEquals(bytes("12345"), readAll(store.openCompleted(id)));
    }

    @Test
    void completeOfUnknownPartThrowsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> store.complete(UploadId.random(), new byte[32], T0));
    }

    @Test
    void completingAnEmptyPartGivesAnEmptyFile() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "empty.txt", 0));

        CompletedRecord done = store.complete(id, sha256(new byte[0]), T0);

        assertEquals(0, done.size());
        assertEquals(0, readAll(store.openCompleted(id)).length);
    }

    @Test
    void aNewPartLeavesTheEarlierCompletionAloneUntilItCompletesAndThenReplacesIt() throws IOException {
        UploadId id = UploadId.random();
        CompletedRecord first = completedWith(id, ALICE, "first.txt", "first version", T0);

        partWith(id, ALICE, "second.txt", "second");

        assertEquals(Optional.of(first), store.findCompleted(id));
        assertArrayEquals(bytes("first version"), readAll(store.openCompleted(id)));
        assertEquals(6, store.findPart(id).orElseThrow().offset());

        CompletedRecord second = store.complete(id, sha256(bytes("second")), T0.plusSeconds(1));

        assertEquals(new CompletedRecord(id, ALICE, "second.txt", 6, sha256(bytes("second")), T0.plusSeconds(1)),
                second);
        assertEquals(Optional.of(second), store.findCompleted(id));
        assertArrayEquals(bytes("second"), readAll(store.openCompleted(id)));
        assertEquals(Optional.empty(), store.findPart(id));
        assertEquals(List.of(second), store.listCompleted(ALICE));
    }

    @Test
    void aSecondCompletionUnderTheSameNameReplacesTheBytes() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "same.txt", "version one", T0);
        partWith(id, ALICE, "same.txt", "v2");

        store.complete(id, sha256(bytes("v2")), T0.plusSeconds(1));

        assertEquals(2, store.findCompleted(id).orElseThrow().size());
        assertArrayEquals(bytes("v2"), readAll(store.openCompleted(id)));
    }

    @Test
    void openCompletedOfAnUploadThatIsNotCompletedThrowsNoSuchFile() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a.bin", "not complete yet");

        assertThrows(NoSuchFileException.class, () -> store.openCompleted(id));
        assertThrows(NoSuchFileException.class, () -> store.openCompleted(UploadId.random()));
    }

    @Test
    void openCompletedReadsFromAnyPositionUntilClosed() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "a.txt", "0123456789", T0);

        SeekableByteChannel channel;
        try (CompletedContent content = store.openCompleted(id)) {
            channel = content.channel();
            assertEquals(10, channel.size());
            channel.position(6);
            ByteBuffer tail = ByteBuffer.allocate(10);
            channel.read(tail);
            assertEquals("6789", text(tail));
            channel.position(1);
            ByteBuffer two = ByteBuffer.allocate(2);
            channel.read(two);
            assertEquals("12", text(two));
            assertEquals(-1, channel.position(10).read(ByteBuffer.allocate(1)));
        }

        assertFalse(channel.isOpen());
        assertThrows(ClosedChannelException.class, () -> channel.read(ByteBuffer.allocate(1)));
    }

    @Test
    void openCompletedGivesTheRecordOfTheBytesItOpened() throws IOException {
        UploadId id = UploadId.random();
        CompletedRecord done = completedWith(id, ALICE, "a.txt", "0123456789", T0);

        try (CompletedContent content = store.openCompleted(id)) {
            assertEquals(done, content.record());
            assertArrayEquals(bytes("0123456789"), readAll(content.channel()));
        }
    }

    @Test
    void anOpenedVersionStaysWholeWhileANewerCompletionReplacesIt() throws IOException {
        UploadId id = UploadId.random();
        CompletedRecord first = completedWith(id, ALICE, "a.txt", "first version", T0);

        try (CompletedContent opened = store.openCompleted(id)) {
            ByteBuffer start = ByteBuffer.allocate(6);
            opened.channel().read(start);
            CompletedRecord second = completedWith(id, ALICE, "a.txt", "second, longer version", T0.plusSeconds(1));

            assertEquals(first, opened.record());
            ByteBuffer rest = ByteBuffer.allocate(64);
            opened.channel().read(rest);
            assertEquals("first version", text(start) + text(rest));
            try (CompletedContent newer = store.openCompleted(id)) {
                assertEquals(second, newer.record());
                assertArrayEquals(bytes("second, longer version"), readAll(newer.channel()));
            }
        }
    }

    @Test
    void deleteCompletedRemovesRecordAndBytes() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "a.txt", "done", T0);

        store.deleteCompleted(id);

        assertEquals(Optional.empty(), store.findCompleted(id));
        assertThrows(NoSuchFileException.class, () -> store.openCompleted(id));
        assertEquals(List.of(), store.listCompleted(ALICE));
        store = reopenStore();
        assertEquals(Optional.empty(), store.findCompleted(id));
    }

    @Test
    void anOpenedVersionKeepsReadingItsBytesAfterTheUploadIsDeleted() throws IOException {
        UploadId id = UploadId.random();
        CompletedRecord done = completedWith(id, ALICE, "a.txt", "still readable", T0);

        try (CompletedContent opened = store.openCompleted(id)) {
            ByteBuffer start = ByteBuffer.allocate(5);
            opened.channel().read(start);

            store.deleteCompleted(id);

            assertEquals(Optional.empty(), store.findCompleted(id));
            assertEquals(done, opened.record());
            ByteBuffer rest = ByteBuffer.allocate(64);
            opened.channel().read(rest);
            assertEquals("still readable", text(start) + text(rest));
            opened.channel().position(0);
            assertArrayEquals(bytes("still readable"), readAll(opened.channel()), "read again from the start");
        }
    }

    @Test
    void deleteCompletedOfAnUnknownUploadDoesNothing() throws IOException {
        UploadId kept = UploadId.random();
        CompletedRecord done = completedWith(kept, ALICE, "a.txt", "kept", T0);

        store.deleteCompleted(UploadId.random());

        assertEquals(Optional.of(done), store.findCompleted(kept));
        assertArrayEquals(bytes("kept"), readAll(store.openCompleted(kept)));
    }

    @Test
    void deleteCompletedLeavesThePartOfTheSameIdAlone() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "a.txt", "done", T0);
        PartRecord again = partWith(id, ALICE, "a.txt", "again");

        store.deleteCompleted(id);

        assertEquals(Optional.of(again), store.findPart(id));
        assertArrayEquals(bytes("again"), readAll(store.readPart(id)));
        CompletedRecord redone = store.complete(id, sha256(bytes("again")), T0.plusSeconds(9));
        assertArrayEquals(bytes("again"), readAll(store.openCompleted(id)));
        assertEquals(Optional.of(redone), store.findCompleted(id));
    }

    @Test
    void listCompletedHasOnlyThatOwnersUploadsNewestFirst() throws IOException {
        UploadId oldest = UploadId.random();
        UploadId newest = UploadId.random();
        UploadId middle = UploadId.random();
        UploadId bobs = UploadId.random();
        for (UploadId id : List.of(oldest, newest, middle)) {
            partWith(id, ALICE, "f", "x");
        }
        partWith(bobs, BOB, "f", "x");
        store.complete(newest, sha256(bytes("x")), T0.plus(3, ChronoUnit.HOURS));
        store.complete(oldest, sha256(bytes("x")), T0.plus(1, ChronoUnit.HOURS));
        store.complete(bobs, sha256(bytes("x")), T0.plus(4, ChronoUnit.HOURS));
        store.complete(middle, sha256(bytes("x")), T0.plus(2, ChronoUnit.HOURS));

        List<UploadId> alices = store.listCompleted(ALICE).stream().map(CompletedRecord::id).toList();

        assertEquals(List.of(newest, middle, oldest), alices);
        assertEquals(List.of(bobs), store.listCompleted(BOB).stream().map(CompletedRecord::id).toList());
        assertTrue(store.listCompleted("nobody").isEmpty());
    }
}
