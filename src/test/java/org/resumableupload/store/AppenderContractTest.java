package org.resumableupload.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Appender} must do, as its Javadoc documents it: bytes count once a commit covering
 * them returns, the commit makes exactly the record it was given durable, {@code durable()} stays between
 * the committed offset and the position, and uncommitted bytes can be discarded or are lost.
 */
public abstract class AppenderContractTest extends UploadStoreFixture {

    private PartRecord emptyPart(UploadId id, long declaredSize) throws IOException {
        return createEmpty(newPart(id, ALICE, "a.bin", declaredSize));
    }

    @Test
    void openAppenderOfUnknownPartThrowsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> store.openAppender(UploadId.random()));
    }

    @Test
    void openAppenderStartsAtTheCommittedOffsetWithTheCommittedRecord() throws IOException {
        UploadId id = UploadId.random();
        PartRecord part = partWith(id, ALICE, "a.bin", "12345");

        try (Appender appender = store.openAppender(id)) {
            assertEquals(part, appender.committed());
            assertEquals(5, appender.position());
            assertEquals(5, appender.durable());
        }
    }

    @Test
    void writtenBytesCountOnlyOnceCommitted() throws IOException {
        UploadId id = UploadId.random();
        emptyPart(id, PartRecord.UNKNOWN_SIZE);

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("hello")));

            assertEquals(5, appender.position());
            assertEquals(0, appender.committed().offset());
            assertEquals(0, store.findPart(id).orElseThrow().offset());

            PartRecord committed = commitAll(appender);

            assertEquals(5, committed.offset());
            assertEquals(committed, appender.committed());
            assertEquals(Optional.of(committed), store.findPart(id));
        }
        assertArrayEquals(bytes("hello"), readAll(store.readPart(id)));
    }

    @Test
    void commitReturnsTheRecordItWasGivenAndThatRecordIsWhatTheStoreKeeps() throws IOException {
        UploadId id = UploadId.random();
        emptyPart(id, PartRecord.UNKNOWN_SIZE);
        PartRecord next;
        PartRecord returned;

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("abc")));
            next = appender.committed().withDeclaredSize(9).withMetadata(trickyMetadata(), "final;a b")
                    .withOffset(3, "jdk:after-abc", T0.plusSeconds(30));
            returned = appender.commit(next);

            assertSame(next, returned);
            assertSame(next, appender.committed());
        }

        assertEquals(Optional.of(next), store.findPart(id));
        store = reopenStore();
        assertEquals(Optional.of(next), store.findPart(id), "what commit returned is durable");
        assertEquals(9, store.findPart(id).orElseThrow().declaredSize());
    }

    @Test
    void commitMayRecordAnOffsetBehindThePositionAndDiscardGoesBackToIt() throws IOException {
        UploadId id = UploadId.random();
        emptyPart(id, 10);

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("forced-not")));

            PartRecord committed = appender.commit(appender.committed().withOffset(6, T0));

            assertEquals(6, committed.offset());
            assertEquals(10, appender.position(), "writing goes on where it was");
            assertEquals(6, store.findPart(id).orElseThrow().offset());
            appender.discardUncommitted();
            assertEquals(6, appender.position());
        }
        assertArrayEquals(bytes("forced"), readAll(store.readPart(id)));
    }

    @Test
    void commitRefusesAnOffsetBeforeTheCommittedOneOrPastThePositionAndChangesNothing() throws IOException {
        UploadId id = UploadId.random();
        emptyPart(id, PartRecord.UNKNOWN_SIZE);

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("abcdef")));
            PartRecord committed = commitAll(appender);
            appender.write(ByteBuffer.wrap(bytes("gh")));

            assertThrows(IllegalArgumentException.class, () -> appender.commit(committed.withOffset(5, T0)));
            assertThrows(IllegalArgumentException.class, () -> appender.commit(committed.withOffset(9, T0)));
            assertThrows(IllegalArgumentException.class, () -> appender.commit(committed.withOffset(-1, T0)));

            assertEquals(committed, appender.committed());
            assertEquals(Optional.of(committed), store.findPart(id));
            assertEquals(8, appender.position());
            assertEquals(8, commitAll(appender).offset(), "the appender still works");
        }
        assertArrayEquals(bytes("abcdefgh"), readAll(store.readPart(id)));
    }

    @Test
    void commitRefusesTheRecordOfAnotherUpload() throws IOException {
        UploadId id = UploadId.random();
        PartRecord part = emptyPart(id, PartRecord.UNKNOWN_SIZE);
        PartRecord stranger = newPart(UploadId.random(), ALICE, "a.bin", PartRecord.UNKNOWN_SIZE);

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("x")));

            assertThrows(IllegalArgumentException.class, () -> appender.commit(stranger.withOffset(1, T0)));
        }
        assertEquals(Optional.of(part), store.findPart(id));
        assertEquals(Optional.empty(), store.findPart(stranger.id()));
    }

    @Test
    void durableStaysBetweenTheCommittedOffsetAndThePositionWhileABodyStreams() throws IOException {
        UploadId id = UploadId.random();
        emptyPart(id, PartRecord.UNKNOWN_SIZE);
        byte[] block = new byte[64 << 10];
        new Random(7).nextBytes(block);

        try (Appender appender = store.openAppender(id)) {
            long lastDurable = 0;
            for (int i = 0; i < 48; i++) { // 3 MiB: past any background force threshold
                appender.write(ByteBuffer.wrap(block));
                long durable = appender.durable();
                assertTrue(durable >= appender.committed().offset() && durable <= appender.position(),
                        durable + " outside " + appender.committed().offset() + ".." + appender.position());
                assertTrue(durable >= lastDurable, "durable never goes back while bytes are only added");
                lastDurable = durable;
                if (i == 20) {
                    commitAll(appender);
                    assertTrue(appender.durable() >= appender.committed().offset());
                }
            }
            appender.discardUncommitted();
            assertEquals(21L * block.length, appender.position());
            assertEquals(appender.position(), appender.durable(), "nothing uncommitted is left to count");
        }
    }

    @Test
    void writeTakesEveryRemainingByteOfTheBufferFromItsPosition() throws IOException {
        UploadId id = UploadId.random();
        emptyPart(id, PartRecord.UNKNOWN_SIZE);
        ByteBuffer slice = ByteBuffer.wrap(bytes("xxHELLOyy"), 2, 5);
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(bytes("!?.")).flip();

        try (Appender appender = store.openAppender(id)) {
            appender.write(slice);
            appender.write(direct);
            commitAll(appender);
        }

        assertFalse(slice.hasRemaining());
        assertFalse(direct.hasRemaining());
        assertArrayEquals(bytes("HELLO!?."), readAll(store.readPart(id)));
    }

    @Test
    void discardUncommittedGoesBackToTheCommittedOffset() throws IOException {
        UploadId id = UploadId.random();
        emptyPart(id, PartRecord.UNKNOWN_SIZE);

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("keep")));
            commitAll(appender);
            appender.write(ByteBuffer.wrap(bytes("DROP-ME")));

            appender.discardUncommitted();

            assertEquals(4, appender.position());
            assertEquals(4, appender.durable());
            appender.write(ByteBuffer.wrap(bytes("+more")));
            commitAll(appender);
        }

        assertArrayEquals(bytes("keep+more"), readAll(store.readPart(id)));
        assertEquals(9, store.findPart(id).orElseThrow().offset());
    }

    @Test
    void closingWithoutCommitDoesNotCommit() throws IOException {
        UploadId id = UploadId.random();
        PartRecord part = partWith(id, ALICE, "a.bin", "12345");

        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("678")));
        }

        assertEquals(Optional.of(part), store.findPart(id));
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
            commitAll(appender);
        }
        assertArrayEquals(bytes("1234567"), readAll(store.readPart(id)));
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
            commitAll(a);
        }

        assertArrayEquals(bytes("one-1"), readAll(store.readPart(one)));
        assertArrayEquals(bytes("two!"), readAll(store.readPart(two)));
    }

    @Test
    void appendersOfDifferentIdsRunOnDifferentThreadsAtOnce() throws Exception {
        int uploads = 4;
        ExecutorService threads = Executors.newFixedThreadPool(uploads);
        try {
            List<Future<byte[]>> sent = new ArrayList<>();
            List<UploadId> ids = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                UploadId id = UploadId.random();
                ids.add(id);
                long seed = i;
                sent.add(threads.submit(() -> streamInCommittedSteps(id, seed)));
            }
            for (int i = 0; i < uploads; i++) {
                byte[] expected = sent.get(i).get();
                assertArrayEquals(expected, readAll(store.readPart(ids.get(i))), "upload " + i);
                assertEquals(expected.length, store.findPart(ids.get(i)).orElseThrow().offset());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Creates a part and streams random bytes into it, committing now and then; returns what it sent. */
    private byte[] streamInCommittedSteps(UploadId id, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] all = new byte[300_000 + random.nextInt(100_000)];
        random.nextBytes(all);
        try (Appender appender = store.createPart(newPart(id, BOB, "t" + seed, all.length))) {
            for (int at = 0; at < all.length; at += 8192) {
                appender.write(ByteBuffer.wrap(Arrays.copyOfRange(all, at, Math.min(all.length, at + 8192))));
                if (random.nextInt(8) == 0) {
                    commitAll(appender);
                }
            }
            commitAll(appender);
        }
        return all;
    }
}
