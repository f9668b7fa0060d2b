package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The free space above the disk reserve, shared by the bodies being written. */
class SpaceBudgetTest {
    private static final long RESERVE = 1_000;
    private static final long GRANT = SpaceBudget.GRANT_BYTES;

    /** A medium whose free space the test sets and that counts how often it is asked. */
    private static final class Medium implements FreeSpace {
        final AtomicLong free = new AtomicLong();
        final AtomicInteger queries = new AtomicInteger();

        Medium(long free) {
            this.free.set(free);
        }

        @Override
        public long bytes() {
            queries.incrementAndGet();
            return free.get();
        }

        /** A body wrote {@code bytes} through {@code reservation}, as a session does. */
        int write(SpaceBudget.Reservation reservation, int bytes) throws Exception {
            int fits = reservation.writable(bytes);
            free.addAndGet(-fits);
            reservation.wrote(fits);
            return fits;
        }
    }

    @Test
    void aBodyOfKnownLengthIsAdmittedOnlyIfTheReserveRemainsAfterAllOfIt() throws Exception {
        SpaceBudget budget = new SpaceBudget(new Medium(RESERVE + 100), RESERVE);

        UploadException refused = assertThrows(UploadException.class, () -> budget.admit(101, 7));
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, refused.code());
        assertEquals(OptionalLong.of(7), refused.storedOffset(), "the refusal carries the stored offset");
        assertEquals(0, budget.reserved());

        budget.admit(100, 0);
        assertEquals(100, budget.reserved(), "the whole body is reserved at admission");
    }

    @Test
    void whatAnAdmittedBodyMayStillWriteIsNotGivenToAnother() throws Exception {
        SpaceBudget budget = new SpaceBudget(new Medium(RESERVE + 100), RESERVE);
        budget.admit(60, 0);

        assertThrows(UploadException.class, () -> budget.admit(60, 0), "60 + 60 > 100");
        budget.admit(40, 0);
        budget.admit(0, 0);
        assertThrows(UploadException.class, () -> budget.admit(1, 0));
        assertEquals(100, budget.reserved());
    }

    @Test
    void twoConcurrentAdmissionsCannotBothPassAgainstTheSameFreeSpace() throws Exception {
        // The medium holds a caller until a second one asks too (or 500 ms passed): if checking and
        // reserving were two steps, both could read the same 100 free bytes and both be admitted.
        CountDownLatch bothAsking = new CountDownLatch(2);
        AtomicInteger asking = new AtomicInteger();
        AtomicInteger mostAskingAtOnce = new AtomicInteger();
        FreeSpace waitsForASecondCaller = () -> {
            mostAskingAtOnce.accumulateAndGet(asking.incrementAndGet(), Math::max);
            bothAsking.countDown();
            try {
                bothAsking.await(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            asking.decrementAndGet();
            return RESERVE + 100;
        };
        SpaceBudget budget = new SpaceBudget(waitsForASecondCaller, RESERVE);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService bodies = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> admitted = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                admitted.add(bodies.submit(() -> {
                    start.await();
                    try {
                        budget.admit(60, 0);
                        return true;
                    } catch (UploadException refused) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int passed = 0;
            for (Future<Boolean> body : admitted) {
                passed += body.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, passed, "one body admitted, the other refused");
            assertEquals(60, budget.reserved());
            assertEquals(1, mostAskingAtOnce.get(), "the second check waited until the first body had reserved");
        } finally {
            bodies.shutdownNow();
        }
    }

    @Test
    void writtenBytesMoveFromTheReservationToTheMediumsFreeSpace() throws Exception {
        Medium medium = new Medium(RESERVE + 100);
        SpaceBudget budget = new SpaceBudget(medium, RESERVE);
        SpaceBudget.Reservation first = budget.admit(60, 0);

        assertEquals(30, medium.write(first, 30));

        assertEquals(30, budget.reserved(), "what the first body may still write");
        assertEquals(RESERVE + 70, medium.free.get());
        budget.admit(40, 0); // 70 free above the reserve, 30 of them still the first body's
        assertThrows(UploadException.class, () -> budget.admit(1, 0));
    }

    @Test
    void aBodyOfKnownLengthNeverAsksTheMediumWhileItWrites() throws Exception {
        Medium medium = new Medium(RESERVE + 10 * GRANT);
        SpaceBudget budget = new SpaceBudget(medium, RESERVE);
        SpaceBudget.Reservation body = budget.admit(3 * GRANT, 0);

        for (long written = 0; written < 3 * GRANT; written += 64 * 1024) {
            assertEquals(64 * 1024, medium.write(body, 64 * 1024));
        }

        assertEquals(1, medium.queries.get(), "asked once, at admission");
        assertEquals(0, budget.reserved());
    }

    @Test
    void aBodyOfUnknownLengthReservesAGrantAtATimeAndAsksTheMediumOncePerGrant() throws Exception {
        Medium medium = new Medium(RESERVE + 10 * GRANT);
        SpaceBudget budget = new SpaceBudget(medium, RESERVE);
        SpaceBudget.Reservation body = budget.admit(-1, 0);
        assertEquals(GRANT, budget.reserved(), "the first grant comes with admission");

        for (long written = 0; written < 3 * GRANT; written += 64 * 1024) {
            assertEquals(64 * 1024, medium.write(body, 64 * 1024));
        }

        assertEquals(3, medium.queries.get(), "admission, then one query per further grant");
        assertEquals(0, budget.reserved(), "the third grant is written up");
        medium.write(body, 1);
        assertEquals(GRANT - 1, budget.reserved(), "a fourth grant, less the byte written");
    }

    @Test
    void aGrantNearTheReserveGivesWhatIsLeftThenTheBodyMayWriteNoMore() throws Exception {
        Medium medium = new Medium(RESERVE + 100);
        SpaceBudget budget = new SpaceBudget(medium, RESERVE);
        SpaceBudget.Reservation body = budget.admit(-1, 0);
        assertEquals(100, budget.reserved(), "less than a grant is left");

        assertEquals(64, medium.write(body, 64));
        assertEquals(36, medium.write(body, 64), "only what fits above the reserve");
        assertEquals(0, medium.write(body, 1));

        assertEquals(RESERVE, medium.free.get(), "the reserve remains, exactly");
    }

    @Test
    void anotherBodysGrantLeavesLessForTheNext() throws Exception {
        Medium medium = new Medium(RESERVE + 100);
        SpaceBudget budget = new SpaceBudget(medium, RESERVE);
        SpaceBudget.Reservation known = budget.admit(30, 0);
        SpaceBudget.Reservation unknown = budget.admit(-1, 0);

        assertEquals(70, medium.write(unknown, 100), "what the known body may still write is not granted");
        assertEquals(30, medium.write(known, 30));
        assertEquals(RESERVE, medium.free.get());
    }

    @Test
    void aBodyOfUnknownLengthIsRefusedAtAdmissionOnlyOnceTheFreeSpaceIsBelowTheReserve() throws Exception {
        Medium medium = new Medium(RESERVE - 1);
        SpaceBudget budget = new SpaceBudget(medium, RESERVE);
        assertThrows(UploadException.class, () -> budget.admit(-1, 0));
        assertThrows(UploadException.class, () -> budget.admit(0, 0), "not even an empty body below the reserve");

        medium.free.set(RESERVE);
        SpaceBudget.Reservation atTheReserve = budget.admit(-1, 0);
        assertEquals(0, medium.write(atTheReserve, 1), "admitted, but it may write nothing");
    }

    @Test
    void aReserveOfLongMaxValueRefusesEverythingWithoutOverflowing() {
        SpaceBudget budget = new SpaceBudget(new Medium(0), Long.MAX_VALUE);

        assertThrows(UploadException.class, () -> budget.admit(-1, 0));
        assertThrows(UploadException.class, () -> budget.admit(0, 0));
        assertThrows(UploadException.class, () -> budget.admit(Long.MAX_VALUE, 0));
    }

    @Test
    void releaseGivesBackWhatWasNotWrittenOnlyOnceAndEndsTheReservation() throws Exception {
        Medium medium = new Medium(RESERVE + 100);
        SpaceBudget budget = new SpaceBudget(medium, RESERVE);
        SpaceBudget.Reservation body = budget.admit(100, 0);
        medium.write(body, 40);

        body.release();
        assertEquals(0, budget.reserved());
        body.release();
        assertEquals(0, budget.reserved(), "a second release gives nothing back twice");
        assertEquals(0, body.writable(1), "an ended body writes nothing");
        assertEquals(0, budget.reserved(), "and asks for no grant");
        budget.admit(60, 0); // 60 free above the reserve again
    }
}
