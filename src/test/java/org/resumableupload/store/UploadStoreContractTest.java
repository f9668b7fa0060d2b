package org.resumableupload.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UploadStore} must do, as its Javadoc documents it. Each implementation subclasses
 * this test and says how to open a store and how to open it again over the same storage (a restart).
 */
public abstract class UploadStoreContractTest {
    protected static final String ALICE = "alice-tag";
    protected static final String BOB = "bob-tag";
    protected static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    protected UploadStore store;

    /** A new, empty store. Called once before each test. */
    protected abstract UploadStore newStore() throws IOException;

    /** Another instance over the same storage as the last {@link #newStore()}: what a restart sees. */
    protected abstract UploadStore reopenStore() throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newStore();
    }

    // ---- helpers -------------------------------------------------------------------------------

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static PartRecord newPart(UploadId id, String owner, String name, long declaredSize) {
        return PartRecord.start(id, owner, name, declaredSize, T0);
    }

    /** Creates {@code record}'s part empty and commits it, so that it is found. */
    protected PartRecord createEmpty(PartRecord record) throws IOException {
        try (Appender appender = store.createPart(record)) {
            return appender.commit(record.declaredSize());
        }
    }

    /** Creates a part and commits {@code content} to it. */
    protected PartRecord partWith(UploadId id, String owner, String name, String content) throws IOException {
        try (Appender appender = store.createPart(newPart(id, owner, name, PartRecord.UNKNOWN_SIZE))) {
            appender.write(ByteBuffer.wrap(bytes(content)));
            return appender.commit(PartRecord.UNKNOWN_SIZE);
        }
    }

    /** Creates a part, commits {@code content} to it and completes it at {@code completedAt}. */
    protected CompletedRecord completedWith(UploadId id, String owner, String name, String content,
                                            Instant completedAt) throws IOException {
        partWith(id, owner, name, content);
        return store.complete(id, sha256(bytes(content)), completedAt);
    }

    /**
     * Writes {@code text} after the part's committed bytes without committing it: what a crash between
     * a write reaching the medium and its commit leaves behind.
     */
    protected void writeWithoutCommit(UploadId id, String text) throws IOException {
        Appender appender = store.openAppender(id);
        appender.write(ByteBuffer.wrap(bytes(text)));
        appender.close();
    }

    protected static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    protected static byte[] readAll(CompletedContent content) throws IOException {
        return readAll(content.channel());
    }

    protected static byte[] readAll(SeekableByteChannel channel) throws IOException {
        try (channel) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(7); // small on purpose: several reads
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                out.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }

    // ---- findPart / findCompleted --------------------------------------------------------------

    @Test
    void unknownIdHasNeitherPartNorCompletion() throws IOException {
        UploadId id = UploadId.random();

        assertEquals(Optional.empty(), store.findPart(id));
        assertEquals(Optional.empty(), store.findCompleted(id));
    }

    // ---- createPart ----------------------------------------------------------------------------

    @Test
    void createdPartIsFoundEmptyWithEveryFieldKept() throws IOException {
        UploadId id = UploadId.random();
        PartRecord created = newPart(id, ALICE, "report.pdf", 1234);

        PartRecord committed = createEmpty(created);

        assertEquals(created.withOffset(0, committed.updatedAt()), committed);
        assertEquals(Optional.of(committed), store.findPart(id));
        assertEquals(0, readAll(store.readPart(id)).length);
    }

    @Test
    void createPartRefusesARecordThatDoesNotStartAtZero() {
        UploadId id = UploadId.random();
        PartRecord notEmpty = newPart(id, ALICE, "a", 10).withOffset(3, T0);

        assertThrows(IllegalArgumentException.class, () -> store.createPart(notEmpty));
    }

    @Test
    void aStartOverReplacesTheEarlierPartAtItsFirstCommitAndNotBefore() throws IOException {
        UploadId id = UploadId.random();
        PartRecord old = partWith(id, ALICE, "old.txt", "old bytes");

        try (Appender appender = store.createPart(newPart(id, ALICE, "new.txt", 4))) {
            assertEquals(0, appender.position());
            appender.write(ByteBuffer.wrap(bytes("ne")));
            assertEquals(Optional.of(old), store.findPart(id), "nothing visible changes before the commit");
            assertArrayEquals(bytes("old bytes"), readAll(store.readPart(id)));

            appender.commit(4);
        }

        PartRecord part = store.findPart(id).orElseThrow();
        assertEquals(2, part.offset());
        assertEquals("new.txt", part.name());
        assertEquals(4, part.declaredSize());
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
        store.recover();
        assertArrayEquals(bytes("old bytes"), readAll(store.readPart(id)));
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

    // ---- openAppender / write / commit / discardUncommitted --------------------------------------

    @Test
    void openAppenderOfUnknownPartThrowsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> store.openAppender(UploadId.random()));
    }

    @Test
    void writtenBytesCountOnlyOnceCommitted() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE));

        try (Appender appender = store.openAppender(id)) {
            assertEquals(0, appender.position());
            appender.write(ByteBuffer.wrap(bytes("hello")));

            assertEquals(5, appender.position());
            assertEquals(0, appender.committed().offset());
            assertEquals(0, store.findPart(id).orElseThrow().offset());

            PartRecord committed = appender.commit(PartRecord.UNKNOWN_SIZE);

            assertEquals(5, committed.offset());
            assertEquals(committed, appender.committed());
            assertEquals(5, store.findPart(id).orElseThrow().offset());
        }
        assertArrayEquals(bytes("hello"), readAll(store.readPart(id)));
    }

    @Test
    void commitKeepsIdentityAndMovesUpdatedAtForward() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", 10));

        PartRecord committed;
        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("abc")));
            committed = appender.commit(10);
        }

        assertEquals(id, committed.id());
        assertEquals(ALICE, committed.ownerTag());
        assertEquals("a.bin", committed.name());
        assertEquals(10, committed.declaredSize());
        assertEquals(T0, committed.createdAt());
        assertFalse(committed.updatedAt().isBefore(T0), "updatedAt moves with the commit");
        assertEquals(Optional.of(committed), store.findPart(id));
    }

    @Test
    void commitRecordsASizeThatBecameKnownLater() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE));

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("ab")));
            appender.commit(9);
        }

        assertEquals(9, store.findPart(id).orElseThrow().declaredSize());
    }

    @Test
    void writeTakesEveryRemainingByteOfTheBufferFromItsPosition() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE));
        ByteBuffer slice = ByteBuffer.wrap(bytes("xxHELLOyy"), 2, 5);

        try (Appender appender = store.openAppender(id)) {
            appender.write(slice);
            appender.commit(PartRecord.UNKNOWN_SIZE);
        }

        assertFalse(slice.hasRemaining());
        assertArrayEquals(bytes("HELLO"), readAll(store.readPart(id)));
    }

    @Test
    void discardUncommittedGoesBackToTheCommittedOffset() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE));

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("keep")));
            appender.commit(PartRecord.UNKNOWN_SIZE);
            appender.write(ByteBuffer.wrap(bytes("DROP-ME")));

            appender.discardUncommitted();

            assertEquals(4, appender.position());
            appender.write(ByteBuffer.wrap(bytes("+more")));
            appender.commit(PartRecord.UNKNOWN_SIZE);
        }

        assertArrayEquals(bytes("keep+more"), readAll(store.readPart(id)));
        assertEquals(9, store.findPart(id).orElseThrow().offset());
    }

    @Test
    void commitForcedRecordsAnOffsetBehindThePositionAndDiscardGoesBackToIt() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", 10));

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("forced")));
            appender.force();
            appender.write(ByteBuffer.wrap(bytes("-not")));

            PartRecord committed = appender.commitForced(6, 10);

            assertEquals(6, committed.offset());
            assertEquals(committed, appender.committed());
            assertEquals(10, appender.position(), "writing goes on where it was");
            assertEquals(6, store.findPart(id).orElseThrow().offset());
            appender.discardUncommitted();
            assertEquals(6, appender.position());
        }
        assertArrayEquals(bytes("forced"), readAll(store.readPart(id)));
    }

    @Test
    void commitForcedRefusesAnOffsetBeforeTheCommittedOneOrPastThePosition() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE));

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("abcdef")));
            appender.commit(PartRecord.UNKNOWN_SIZE);
            appender.write(ByteBuffer.wrap(bytes("gh")));
            appender.force();

            assertThrows(IllegalArgumentException.class, () -> appender.commitForced(5, PartRecord.UNKNOWN_SIZE));
            assertThrows(IllegalArgumentException.class, () -> appender.commitForced(9, PartRecord.UNKNOWN_SIZE));
            assertEquals(6, appender.committed().offset());
        }
        assertEquals(6, store.findPart(id).orElseThrow().offset());
    }

    @Test
    void readGivesWrittenBytesCommittedOrNotAndNothingPastThePosition() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE));

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("hello")));
            appender.commit(PartRecord.UNKNOWN_SIZE);
            appender.write(ByteBuffer.wrap(bytes(" world")));

            ByteBuffer all = ByteBuffer.allocate(100);
            while (appender.read(all, all.position()) > 0) {
                // until the position
            }
            ByteBuffer three = ByteBuffer.allocate(3);

            assertArrayEquals(bytes("hello world"), Arrays.copyOf(all.array(), all.position()));
            assertEquals(3, appender.read(three, 6));
            assertArrayEquals(bytes("wor"), three.array());
            assertEquals(-1, appender.read(ByteBuffer.allocate(8), 11));
        }
    }

    @Test
    void forceAndReadMayRunOnAnotherThreadWhileBytesAreWritten() throws Exception {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE));
        int block = 64 << 10;
        byte[] pattern = new byte[1 << 20]; // written over and over until the other thread forced a few times
        new Random(42).nextBytes(pattern);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger forcesDone = new AtomicInteger();
        AtomicReference<Exception> forceFailure = new AtomicReference<>();
        int blocksWritten = 0;

        try (Appender appender = store.openAppender(id)) {
            Thread forcer = new Thread(() -> {
                try {
                    ByteBuffer readBack = ByteBuffer.allocate(block);
                    while (writing.get()) {
                        long written = appender.position();
                        appender.force();
                        forcesDone.incrementAndGet();
                        long at = written - written % block - (written >= block ? block : 0);
                        readBack.clear().limit((int) Math.min(block, written - at));
                        appender.read(readBack, at);
                        int from = (int) (at % pattern.length);
                        if (!Arrays.equals(readBack.array(), 0, readBack.position(),
                                pattern, from, from + readBack.position())) {
                            throw new IllegalStateException("read back other bytes at " + at);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    forceFailure.set(e);
                }
            });
            forcer.start();
            while ((blocksWritten < 64 || forcesDone.get() < 3) && blocksWritten < 4096 && forceFailure.get() == null) {
                appender.write(ByteBuffer.wrap(pattern, (blocksWritten * block) % pattern.length, block));
                blocksWritten++;
            }
            writing.set(false);
            forcer.join();
            appender.commit(PartRecord.UNKNOWN_SIZE);
        }

        assertNull(forceFailure.get());
        assertTrue(forcesDone.get() >= 3, "the other thread forced while bytes were written");
        byte[] stored = readAll(store.readPart(id));
        assertEquals((long) blocksWritten * block, stored.length);
        for (int at = 0; at < stored.length; at += pattern.length) {
            int length = Math.min(pattern.length, stored.length - at);
            assertTrue(Arrays.equals(pattern, 0, length, stored, at, at + length), "bytes at " + at);
        }
    }

    @Test
    void closingWithoutCommitDoesNotCommit() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a.bin", "12345");

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("678")));
        }

        assertEquals(5, store.findPart(id).orElseThrow().offset());
        assertArrayEquals(bytes("12345"), readAll(store.readPart(id)));
    }

    @Test
    void uncommittedTailLeftByACrashIsCutOffOnReopen() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a.bin", "12345");
        writeWithoutCommit(id, "garbage");

        store = reopenStore();

        assertEquals(5, store.findPart(id).orElseThrow().offset());
        try (Appender appender = store.openAppender(id)) {
            assertEquals(5, appender.position());
            assertEquals(5, appender.committed().offset());
            appender.write(ByteBuffer.wrap(bytes("67")));
            appender.commit(PartRecord.UNKNOWN_SIZE);
        }
        assertArrayEquals(bytes("1234567"), readAll(store.readPart(id)));
    }

    // ---- readPart ------------------------------------------------------------------------------

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

    // ---- complete / findCompleted / openCompleted ----------------------------------------------

    @Test
    void completeTurnsThePartIntoACompletedUpload() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "report.txt", "the whole file");
        byte[] sha256 = sha256(bytes("the whole file"));
        Instant completedAt = T0.plusSeconds(60);

        CompletedRecord done = store.complete(id, sha256, completedAt);

        assertEquals(id, done.id());
        assertEquals(ALICE, done.ownerTag());
        assertEquals("report.txt", done.name());
        assertEquals(14, done.size());
        assertArrayEquals(sha256, done.sha256());
        assertEquals(completedAt, done.completedAt());
        assertEquals(Optional.empty(), store.findPart(id));
        CompletedRecord found = store.findCompleted(id).orElseThrow();
        assertEquals(done.name(), found.name());
        assertEquals(done.size(), found.size());
        assertArrayEquals(sha256, found.sha256());
        assertEquals(completedAt, found.completedAt());
        assertArrayEquals(bytes("the whole file"), readAll(store.openCompleted(id)));
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
        completedWith(id, ALICE, "first.txt", "first version", T0);

        partWith(id, ALICE, "second.txt", "second");

        assertEquals("first.txt", store.findCompleted(id).orElseThrow().name());
        assertArrayEquals(bytes("first version"), readAll(store.openCompleted(id)));
        assertEquals(6, store.findPart(id).orElseThrow().offset());

        store.complete(id, sha256(bytes("second")), T0.plusSeconds(1));

        CompletedRecord now = store.findCompleted(id).orElseThrow();
        assertEquals("second.txt", now.name());
        assertEquals(6, now.size());
        assertArrayEquals(sha256(bytes("second")), now.sha256());
        assertArrayEquals(bytes("second"), readAll(store.openCompleted(id)));
        assertEquals(Optional.empty(), store.findPart(id));
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
    void openCompletedOfUnknownUploadThrowsNoSuchFile() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a.bin", "not complete yet");

        assertThrows(NoSuchFileException.class, () -> store.openCompleted(id));
        assertThrows(NoSuchFileException.class, () -> store.openCompleted(UploadId.random()));
    }

    @Test
    void openCompletedReadsFromAnyPosition() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "a.txt", "0123456789", T0);

        try (CompletedContent content = store.openCompleted(id)) {
            SeekableByteChannel channel = content.channel();
            assertEquals(10, channel.size());
            channel.position(6);
            ByteBuffer tail = ByteBuffer.allocate(10);
            channel.read(tail);
            assertEquals("6789", new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8));
        }
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
            assertEquals("first version", new String(start.array(), 0, start.position(), StandardCharsets.UTF_8)
                    + new String(rest.array(), 0, rest.position(), StandardCharsets.UTF_8));
            try (CompletedContent newer = store.openCompleted(id)) {
                assertEquals(second, newer.record());
                assertArrayEquals(bytes("second, longer version"), readAll(newer.channel()));
            }
        }
    }

    // ---- deletePart ----------------------------------------------------------------------------

    @Test
    void deletePartRemovesRecordAndBytes() throws IOException {
        UploadId id = UploadId.random();
        partWith(id, ALICE, "a.bin", "bytes");

        store.deletePart(id);

        assertEquals(Optional.empty(), store.findPart(id));
        assertThrows(NoSuchFileException.class, () -> store.readPart(id));
        assertThrows(NoSuchFileException.class, () -> store.openAppender(id));
        assertTrue(store.listParts().isEmpty());
    }

    @Test
    void deletePartOfUnknownPartDoesNothing() throws IOException {
        UploadId kept = UploadId.random();
        partWith(kept, ALICE, "a.bin", "bytes");

        store.deletePart(UploadId.random());

        assertEquals(5, store.findPart(kept).orElseThrow().offset());
    }

    @Test
    void deletePartLeavesTheCompletedUploadOfTheSameIdAlone() throws IOException {
        UploadId id = UploadId.random();
        completedWith(id, ALICE, "a.txt", "done", T0);
        partWith(id, ALICE, "a.txt", "again");

        store.deletePart(id);

        assertEquals(Optional.empty(), store.findPart(id));
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(id)));
    }

    // ---- listParts / listCompleted -------------------------------------------------------------

    @Test
    void listPartsHasEveryIncompleteUploadAndNoCompletedOne() throws IOException {
        UploadId first = UploadId.random();
        UploadId second = UploadId.random();
        UploadId done = UploadId.random();
        partWith(first, ALICE, "1", "a");
        partWith(second, BOB, "2", "bb");
        completedWith(done, ALICE, "3", "ccc", T0);

        List<PartRecord> parts = store.listParts();

        assertEquals(2, parts.size());
        assertTrue(parts.contains(store.findPart(first).orElseThrow()));
        assertTrue(parts.contains(store.findPart(second).orElseThrow()));
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

    // ---- usableSpace / recover / restart -------------------------------------------------------

    @Test
    void usableSpaceIsPositive() throws IOException {
        assertTrue(store.usableSpace() > 0);
    }

    @Test
    void recoverOnAHealthyStoreChangesNothingAndCanRunTwice() throws IOException {
        UploadId part = UploadId.random();
        UploadId done = UploadId.random();
        partWith(part, ALICE, "p", "partial");
        completedWith(done, ALICE, "d.txt", "done", T0);

        store.recover();
        store.recover();

        assertEquals(7, store.findPart(part).orElseThrow().offset());
        assertArrayEquals(bytes("partial"), readAll(store.readPart(part)));
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(done)));
    }

    @Test
    void everythingCommittedSurvivesARestart() throws IOException {
        UploadId part = UploadId.random();
        UploadId done = UploadId.random();
        PartRecord committed = partWith(part, ALICE, "p", "partial");
        CompletedRecord completed = completedWith(done, BOB, "d.txt", "done", T0);

        store = reopenStore();
        store.recover();

        assertEquals(Optional.of(committed), store.findPart(part));
        assertArrayEquals(bytes("partial"), readAll(store.readPart(part)));
        CompletedRecord found = store.findCompleted(done).orElseThrow();
        assertEquals(completed.name(), found.name());
        assertEquals(completed.ownerTag(), found.ownerTag());
        assertArrayEquals(completed.sha256(), found.sha256());
        assertArrayEquals(bytes("done"), readAll(store.openCompleted(done)));
    }

    @Test
    void partsOfDifferentIdsAreIndependent() throws IOException {
        UploadId one = UploadId.random();
        UploadId two = UploadId.random();
        partWith(one, ALICE, "1", "one");
        partWith(two, ALICE, "2", "two!");

        try (Appender a = store.openAppender(one); Appender b = store.openAppender(two)) {
            a.write(ByteBuffer.wrap(bytes("-1")));
            b.write(ByteBuffer.wrap(bytes("-2")));
            a.commit(PartRecord.UNKNOWN_SIZE);
        }

        assertArrayEquals(bytes("one-1"), readAll(store.readPart(one)));
        assertArrayEquals(bytes("two!"), readAll(store.readPart(two)));
    }
}
