package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.FaultInjectingUploadStore;
import org.resumableupload.store.UploadId;

/**
 * One writer per upload: a newer request asks the running writer to stop (it keeps and commits what it
 * wrote) and takes over; the newest waiting request wins; ownership is checked before anyone is asked.
 */
class TakeoverTest extends CoreTestSupport {
    private static final Duration SHORT_WAIT = Duration.ofMillis(300);

    private final RecordingLocker locker = new RecordingLocker(SHORT_WAIT);

    private void useRecordingLocker() {
        uploads = uploadsWith(s -> s.locker = locker);
    }

    /** Runs {@code request} on another thread and returns once it waits (for a lock). */
    private static CompletableFuture<WriteSession> waitingRequest(Callable request) throws InterruptedException {
        CompletableFuture<WriteSession> answer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                answer.complete(request.call());
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.TIMED_WAITING && !answer.isDone()) {
            if (System.nanoTime() > deadline) {
                fail("the request never waited");
            }
            Thread.sleep(1);
        }
        return answer;
    }

    interface Callable {
        WriteSession call() throws Exception;
    }

    private static ErrorCode refusalOf(CompletableFuture<WriteSession> answer) throws Exception {
        try {
            answer.get(5, TimeUnit.SECONDS);
            return fail("the request was not refused");
        } catch (ExecutionException e) {
            return ((UploadException) e.getCause()).code();
        }
    }

    @Test
    void aNewerRequestStopsTheOlderWhichKeepsAndCommitsWhatItWrote() throws Exception {
        UploadId id = uploadHolding(10, "");
        List<UploadException> firstStops = new CopyOnWriteArrayList<>();
        WriteSession first = uploads.append(ALICE, id, at(0, UNKNOWN), firstStops::add);
        write(first, "abc");

        WriteSession second = uploads.append(ALICE, id, at(3, 7), e -> fail("the newer request was stopped"));

        assertEquals(1, firstStops.size());
        assertEquals(ErrorCode.SUPERSEDED, firstStops.get(0).code());
        assertEquals(OptionalLong.of(3), firstStops.get(0).storedOffset());
        assertEquals(3, offsetOf(id));
        refused(ErrorCode.SUPERSEDED, 3, () -> write(first, "XYZ"));
        refused(ErrorCode.SUPERSEDED, 3, first::finish);
        assertEquals(3, first.abort(), "a late abort of the stopped request changes nothing");
        write(second, "defghij");
        assertTrue(second.finish().isComplete());
        assertArrayEquals(bytes("abcdefghij"), completedBytes(id));
    }

    @Test
    void aSettledLookUpStopsTheRunningWriterSoTheOffsetItAnswersIsTheOneTheNextAppendMustGive() throws Exception {
        UploadId id = uploadHolding(10, "");
        WriteSession first = begin(ALICE, id, at(0, UNKNOWN));
        write(first, "abcd"); // not committed yet: a plain look-up says 0

        Upload settled = uploads.settled(ALICE, id);

        assertEquals(4, settled.offset());
        assertEquals(List.of(ErrorCode.SUPERSEDED), stops.stream().map(UploadException::code).toList());
        assertTrue(send(id, at(4, 6), "efghij").isComplete(), "an append at the answered offset is accepted");
        assertArrayEquals(bytes("abcdefghij"), completedBytes(id));
    }

    @Test
    void anotherOwnersSettledLookUpIsNotFoundAndStopsNobody() throws Exception {
        UploadId id = uploadHolding(10, "");
        WriteSession first = begin(ALICE, id, at(0, UNKNOWN));
        write(first, "abcd");

        refused(ErrorCode.NOT_FOUND, () -> uploads.settled(BOB, id));

        assertEquals(List.of(), stops);
        write(first, "efghij");
        assertTrue(first.finish().isComplete());
    }

    @Test
    void aNewerRequestWithAStaleOffsetStillStopsTheOlderThenIsRefusedWithTheNewOffset() throws Exception {
        UploadId id = uploadHolding(10, "");
        WriteSession first = begin(ALICE, id, at(0, UNKNOWN));
        write(first, "abcd");

        refused(ErrorCode.OFFSET_MISMATCH, 4, () -> begin(ALICE, id, at(2, 8)));

        assertEquals(List.of(ErrorCode.SUPERSEDED), stops.stream().map(UploadException::code).toList());
        assertArrayEquals(bytes("abcd"), partBytes(id));
        assertTrue(send(id, at(4, 6), "efghij").isComplete(), "the refused request let the lock go");
    }

    @Test
    void takingOverFromARequestWithAChecksumDropsItsUnverifiedBytes() throws Exception {
        UploadId id = uploadHolding(10, "ab");
        WriteSession first = begin(ALICE, id, withSha256(at(2, 8), new byte[32]));
        write(first, "cde");

        begin(ALICE, id, at(2, 8));

        assertEquals(OptionalLong.of(2), stops.get(0).storedOffset());
        assertArrayEquals(bytes("ab"), partBytes(id));
    }

    @Test
    void aReleaseRequestedBeforeTheSessionExistedStopsItAsSoonAsItDoes() throws Exception {
        useRecordingLocker();
        UploadId id = uploadHolding(10, "ab");
        locker.requestReleaseOfTheNextLockAtOnce();

        WriteSession overtaken = begin(ALICE, id, at(2, UNKNOWN));

        assertEquals(List.of(ErrorCode.SUPERSEDED), stops.stream().map(UploadException::code).toList());
        refused(ErrorCode.SUPERSEDED, 2, () -> write(overtaken, "cd"));
        assertTrue(send(id, at(2, 8), "cdefghij").isComplete(), "its lock was let go");
    }

    @Test
    void aRequestIsRefusedBusyWhenTheHolderDoesNotLetGoInTimeAndNothingChanges() throws Exception {
        useRecordingLocker();
        UploadId id = uploadHolding(10, "ab");
        AtomicInteger asked = new AtomicInteger();
        Locker.Lock stuck = locker.memory.lock(id, asked::incrementAndGet, SHORT_WAIT); // a holder that hangs

        refused(ErrorCode.BUSY, () -> begin(ALICE, id, at(2, 8)));

        assertEquals(1, asked.get(), "the holder was asked to let go");
        assertEquals(2, offsetOf(id));
        assertArrayEquals(bytes("ab"), partBytes(id));
        stuck.release();
        assertTrue(send(id, at(2, 8), "cdefghij").isComplete());
    }

    @Test
    void theNewestWaitingRequestWinsAndTheOlderWaiterIsToldSuperseded() throws Exception {
        RecordingLocker patient = new RecordingLocker(Duration.ofSeconds(10));
        uploads = uploadsWith(s -> s.locker = patient);
        UploadId id = uploadHolding(10, "ab");
        Locker.Lock stuck = patient.memory.lock(id, () -> { }, SHORT_WAIT);

        CompletableFuture<WriteSession> older = waitingRequest(() -> begin(ALICE, id, at(2, 8)));
        CompletableFuture<WriteSession> newer = waitingRequest(() -> begin(ALICE, id, at(2, 8)));

        assertEquals(ErrorCode.SUPERSEDED, refusalOf(older));
        stuck.release();
        WriteSession winner = newer.get(5, TimeUnit.SECONDS);
        write(winner, "cdefghij");
        assertTrue(winner.finish().isComplete());
    }

    // ---- another owner -----------------------------------------------------------------------------

    @Test
    void anotherOwnersRequestNeitherReadsTheUploadNorDisturbsItsWriter() throws Exception {
        FaultInjectingUploadStore counting = new FaultInjectingUploadStore(store);
        store = counting;
        useRecordingLocker();
        UploadId id = uploadHolding(10, "ab");
        UploadException unknown = refused(ErrorCode.NOT_FOUND, () -> begin(BOB, UploadId.random(), at(2, 8)));
        int locksBefore = locker.locksAsked.get();
        WriteSession alices = begin(ALICE, id, at(2, 8));
        write(alices, "cde");

        for (AppendSpec spec : List.of(at(2, 8), at(5, 5), at(0, 1), at(2, UNKNOWN))) {
            UploadException bobs = refused(ErrorCode.NOT_FOUND, () -> begin(BOB, id, spec));
            assertEquals(unknown.storedOffset(), bobs.storedOffset(), "no offset: nothing is told");
            assertEquals(unknown.getMessage(), bobs.getMessage());
        }
        refused(ErrorCode.NOT_FOUND, () -> uploads.terminate(BOB, id));
        refused(ErrorCode.NOT_FOUND, () -> uploads.get(BOB, id));
        refused(ErrorCode.NOT_FOUND, () -> uploads.startOver(BOB, id, deferred(), article(0, UNKNOWN, 1), stops::add));
        assertEquals(Optional.empty(), uploads.find(BOB, id));

        assertEquals(locksBefore + 1, locker.locksAsked.get(), "only Alice's request asked for the lock");
        assertEquals(0, counting.readPartCalls());
        assertTrue(stops.isEmpty(), "Alice's writer was never asked to stop");
        write(alices, "fghij");
        assertTrue(alices.finish().isComplete());
        assertArrayEquals(bytes("abcdefghij"), completedBytes(id));
    }
}
