package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.resumableupload.store.FaultInjectingUploadStore;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.memory.MemoryUploadStore;

/**
 * The disk reserve holds after every byte: a body that cannot fit above it is refused before anything
 * is written, one of unknown length is stopped where the reserve is reached (keeping what fitted), and
 * every body gives back the space it reserved but did not write. The medium is a store whose free space
 * shrinks by every byte written.
 */
class DiskReserveTest extends CoreTestSupport {
    private static final long RESERVE = 1000;

    private final FaultInjectingUploadStore disk = new FaultInjectingUploadStore(new MemoryUploadStore());

    /** A medium with {@code aboveReserve} bytes free above the reserve. */
    private void tightDisk(long aboveReserve) {
        store = disk;
        disk.reportShrinkingSpace(RESERVE + aboveReserve);
        uploads = uploadsWith(s -> {
            s.diskReserve = RESERVE;
            s.freeSpace = disk::usableSpace;
            s.maxSize = 4L << 30;
            s.idleTimeout = Duration.ofNanos(1); // for the sweep below; nothing else sweeps
        });
    }

    @Test
    void belowTheReserveABodyIsRefusedBeforeAnythingIsWrittenAndTheStoredBytesStay() throws Exception {
        tightDisk(100);
        UploadId id = uploadHolding(UNKNOWN, "abc");
        UploadId startedOver = UploadId.random();
        disk.reportUsableSpace(RESERVE - 1);
        long writesBefore = disk.writeCalls();

        refused(ErrorCode.INSUFFICIENT_STORAGE, 3, () -> begin(ALICE, id, at(3, 5)));
        refused(ErrorCode.INSUFFICIENT_STORAGE, 3, () -> begin(ALICE, id, at(3, UNKNOWN)));
        refused(ErrorCode.INSUFFICIENT_STORAGE, 3, () -> uploads.startOver(ALICE, id, deferred(),
                article(0, UNKNOWN, 5), stops::add));
        refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> uploads.startOver(ALICE, startedOver, deferred(),
                article(0, UNKNOWN, 5), stops::add));

        assertEquals(writesBefore, disk.writeCalls(), "not one write reached the store");
        assertArrayEquals(bytes("abc"), partBytes(id));
        assertEquals(Optional.empty(), store.findPart(startedOver));
    }

    @Test
    void theReserveCountsTheWholeBodyThatIsComing() throws Exception {
        tightDisk(0);
        disk.reportUsableSpace(RESERVE + (1L << 30));
        UploadId id = uploadHolding(UNKNOWN, "");

        refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> begin(ALICE, id, at(0, 2L << 30)));

        assertTrue(send(id, last(0, 3), "fit").isComplete());
    }

    @Test
    void aBodyOfUnknownLengthIsStoppedAtTheReserveAndKeepsExactlyWhatFitted() throws Exception {
        tightDisk(10);
        UploadId id = uploadHolding(UNKNOWN, "");
        WriteSession session = begin(ALICE, id, at(0, UNKNOWN));
        write(session, "0123");

        refused(ErrorCode.INSUFFICIENT_STORAGE, 10, () -> write(session, "456789abcdef"));

        assertArrayEquals(bytes("0123456789"), partBytes(id), "what fitted is kept, as for a cut body");
        assertEquals(RESERVE, disk.lowestUsableSpace(), "the reserve held for every byte");
        assertEquals(10, offsetOf(id));
        assertThrows(UploadException.class, () -> write(session, "x"), "the body has ended");
        disk.reportShrinkingSpace(RESERVE + 100); // space is back
        assertTrue(send(id, last(10, UNKNOWN), "abcdef").isComplete());
        assertArrayEquals(bytes("0123456789abcdef"), completedBytes(id));
    }

    @Test
    void aBodyWithAChecksumStoppedAtTheReserveKeepsNothingOfIt() throws Exception {
        tightDisk(10);
        UploadId id = uploadHolding(UNKNOWN, "abc");
        WriteSession session = begin(ALICE, id, withSha256(at(3, UNKNOWN), sha256("defghijkl")));

        refused(ErrorCode.INSUFFICIENT_STORAGE, 3, () -> write(session, "defghijkl"));

        assertArrayEquals(bytes("abc"), partBytes(id), "unverifiable bytes never count");
        assertEquals(RESERVE + 7, disk.usableSpace(), "and are cut off again");
    }

    @Test
    void aSecondBodyIsRefusedUpFrontWhileTheFirstMayStillWriteTheSpaceBothWouldNeed() throws Exception {
        tightDisk(10);
        UploadId first = uploadHolding(UNKNOWN, "");
        UploadId second = uploads.create(BOB, deferred()).id();
        WriteSession writing = begin(ALICE, first, last(0, 6));
        write(writing, "123"); // 7 bytes free above the reserve, 3 of them still the first body's

        refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> begin(BOB, second, last(0, 6)));
        assertEquals(0, uploads.get(BOB, second).offset(), "nothing of the second written");

        write(writing, "456");
        assertTrue(writing.finish().isComplete());
        assertEquals(RESERVE + 4, disk.lowestUsableSpace());
        refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> begin(BOB, second, last(0, 6)));
        disk.reportShrinkingSpace(RESERVE + 10); // space is freed
        assertTrue(send(uploads, BOB, second, last(0, 6), "abcdef").isComplete());
    }

    @Test
    void aBodyWithoutContentLengthIsAdmittedByWhatTheLengthLeavesToWrite() throws Exception {
        tightDisk(100);
        UploadId id = uploadHolding(14, "abcd");
        disk.reportShrinkingSpace(RESERVE + 9); // the 10 bytes still to come do not fit

        refused(ErrorCode.INSUFFICIENT_STORAGE, 4, () -> begin(ALICE, id, at(4, UNKNOWN)));
        disk.reportShrinkingSpace(RESERVE + 10);
        assertTrue(send(id, at(4, UNKNOWN), "efghijklmn").isComplete());
    }

    @Test
    void aNewerRequestIsNotRefusedForTheSpaceTheRequestItStopsStillHeld() throws Exception {
        tightDisk(10);
        UploadId id = uploadHolding(10, "");
        WriteSession older = begin(ALICE, id, at(0, 10));
        write(older, "ab");

        WriteSession newer = begin(ALICE, id, at(2, 8));

        assertEquals(ErrorCode.SUPERSEDED, stops.get(0).code());
        write(newer, "cdefghij");
        assertTrue(newer.finish().isComplete());
        assertEquals(RESERVE, disk.lowestUsableSpace());
    }

    /** Every way a body ends. */
    enum Ending { COMPLETED, CUT, CHECKSUM_REFUSED, PAST_LENGTH, RESERVE_REACHED, TAKEN_OVER, IDLE, SHUTDOWN, DISK_FULL }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void whateverEndsABodyGivesBackTheSpaceItDidNotWrite(Ending ending) throws Exception {
        tightDisk(10);
        UploadId id = uploadHolding(ending == Ending.PAST_LENGTH ? 5 : UNKNOWN, "");
        AppendSpec chunked = last(0, UNKNOWN);
        WriteSession session = begin(ALICE, id,
                ending == Ending.CHECKSUM_REFUSED ? withSha256(chunked, new byte[32]) : chunked);
        write(session, "ab"); // its grant is all 10 bytes above the reserve; it wrote 2 of them

        switch (ending) {
            case COMPLETED -> assertTrue(session.finish().isComplete());
            case CUT -> session.abort();
            case CHECKSUM_REFUSED -> refused(ErrorCode.CHECKSUM_MISMATCH, 0, session::finish);
            case PAST_LENGTH -> refused(ErrorCode.PAST_LENGTH, 0, () -> write(session, "cdef"));
            case RESERVE_REACHED -> refused(ErrorCode.INSUFFICIENT_STORAGE, 10, () -> write(session, "cdefghijk"));
            case TAKEN_OVER -> begin(ALICE, id, at(2, 0)).finish();
            case IDLE -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (stops.isEmpty() && System.nanoTime() < deadline) {
                    uploads.sweep();
                }
                assertEquals(ErrorCode.IDLE_TIMEOUT, stops.get(0).code());
            }
            case SHUTDOWN -> {
                uploads.close();
                assertEquals(ErrorCode.SHUTTING_DOWN, stops.get(0).code());
            }
            case DISK_FULL -> {
                disk.fillDiskAfter(0);
                refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> write(session, "c"));
                disk.fillDiskAfter(Long.MAX_VALUE); // writes work again; the free space still shrinks
            }
        }

        long left = disk.usableSpace() - RESERVE;
        UploadId next = uploadHolding(UNKNOWN, "");
        refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> begin(ALICE, next, at(0, left + 1)));
        begin(ALICE, next, at(0, left)).abort(); // all of it: nothing is still held
    }
}
