package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.UploadId;

/** One holder per id, release requests for takeover, the newest waiter wins, housekeeping disturbs nobody. */
class MemoryLockerTest {
    private static final Duration SHORT = Duration.ofMillis(100);
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Runnable NOTHING = () -> { };

    private final MemoryLocker locker = new MemoryLocker();
    private final UploadId id = UploadId.random();

    /** Asks for the lock on another thread; returns once that thread waits for it (or got an answer). */
    private CompletableFuture<Locker.Lock> waitingFor(UploadId which, Runnable onReleaseRequested, Duration wait)
            throws InterruptedException {
        CompletableFuture<Locker.Lock> answer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                answer.complete(locker.lock(which, onReleaseRequested, wait));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.TIMED_WAITING && !answer.isDone()) {
            if (System.nanoTime() > deadline) {
                fail("never waited");
            }
            Thread.sleep(1);
        }
        return answer;
    }

    private static ErrorCode refusalOf(CompletableFuture<Locker.Lock> answer, Duration within) throws Exception {
        try {
            answer.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return fail("got the lock");
        } catch (ExecutionException e) {
            return ((UploadException) e.getCause()).code();
        }
    }

    @Test
    void aFreeLockIsTakenAtOnceAndAReleasedOneAgain() throws Exception {
        Locker.Lock first = locker.lock(id, NOTHING, SHORT);
        first.release();
        first.release(); // a second release does nothing

        Locker.Lock second = locker.lock(id, NOTHING, SHORT);

        assertEquals(1, locker.slotsInUse());
        second.release();
        assertEquals(0, locker.slotsInUse());
    }

    @Test
    void aNewerRequestAsksTheHolderToLetGoAndGetsTheLockOnceItDoes() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Locker.Lock[] holder = new Locker.Lock[1];
        holder[0] = locker.lock(id, () -> {
            asked.incrementAndGet();
            holder[0].release(); // a writer stops, commits, lets go: here at once, on the asking thread
        }, SHORT);

        Locker.Lock newer = locker.lock(id, NOTHING, LONG);

        assertEquals(1, asked.get());
        newer.release();
        assertEquals(0, locker.slotsInUse());
    }

    @Test
    void theReleaseRequestRunsOnceHoweverManyAsk() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Locker.Lock stuck = locker.lock(id, asked::incrementAndGet, SHORT);

        for (int i = 0; i < 3; i++) {
            assertEquals(ErrorCode.BUSY, assertThrows(UploadException.class, () -> locker.lock(id, NOTHING, SHORT)).code());
        }

        assertEquals(1, asked.get());
        stuck.release();
        assertEquals(0, locker.slotsInUse());
    }

    @Test
    void aRequestWhoseHolderDoesNotLetGoIsBusyAfterItsWait() throws Exception {
        Locker.Lock stuck = locker.lock(id, NOTHING, SHORT);
        long start = System.nanoTime();

        UploadException busy = assertThrows(UploadException.class, () -> locker.lock(id, NOTHING, SHORT));

        assertEquals(ErrorCode.BUSY, busy.code());
        assertTrue(System.nanoTime() - start >= SHORT.toNanos(), "it waited first");
        stuck.release();
        locker.lock(id, NOTHING, SHORT).release();
    }

    @Test
    void aLockTakenOnOneThreadIsReleasedOnAnother() throws Exception {
        CompletableFuture<Locker.Lock> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return locker.lock(id, NOTHING, SHORT);
            } catch (UploadException e) {
                throw new IllegalStateException(e);
            }
        });
        Locker.Lock lock = taken.get(5, TimeUnit.SECONDS);
        CompletableFuture<Locker.Lock> waiting = waitingFor(id, NOTHING, LONG);

        lock.release(); // on this thread

        waiting.get(5, TimeUnit.SECONDS).release();
        assertEquals(0, locker.slotsInUse());
    }

    @Test
    void theNewestWaiterWinsAndAnOlderOneIsToldSupersededAtOnce() throws Exception {
        Locker.Lock stuck = locker.lock(id, NOTHING, SHORT);
        CompletableFuture<Locker.Lock> older = waitingFor(id, NOTHING, LONG);

        CompletableFuture<Locker.Lock> newer = waitingFor(id, NOTHING, LONG);

        assertEquals(ErrorCode.SUPERSEDED, refusalOf(older, Duration.ofSeconds(5)),
                "the older waiter gives up when the newer one arrives, not when its own wait ends");
        stuck.release();
        newer.get(5, TimeUnit.SECONDS).release();
        assertEquals(0, locker.slotsInUse());
    }

    @Test
    void tryLockTakesOnlyAFreeLockAndNeverAsksAHolder() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Locker.Lock held = locker.lock(id, asked::incrementAndGet, SHORT);

        assertEquals(Optional.empty(), locker.tryLock(id));
        assertEquals(0, asked.get(), "housekeeping disturbs nobody");
        held.release();

        Locker.Lock housekeeping = locker.tryLock(id).orElseThrow();
        assertEquals(ErrorCode.BUSY, assertThrows(UploadException.class, () -> locker.lock(id, NOTHING, SHORT)).code());
        housekeeping.release();
        assertEquals(0, locker.slotsInUse());
    }

    @Test
    void tryLockLeavesALockThatSomeoneWaitsForToThem() throws Exception {
        Locker.Lock held = locker.lock(id, NOTHING, SHORT);
        CompletableFuture<Locker.Lock> waiting = waitingFor(id, NOTHING, LONG);

        assertEquals(Optional.empty(), locker.tryLock(id));

        held.release();
        waiting.get(5, TimeUnit.SECONDS).release();
        assertEquals(0, locker.slotsInUse());
    }

    @Test
    void locksOfDifferentIdsAreIndependent() throws Exception {
        Locker.Lock one = locker.lock(id, () -> fail("the other id's request asked"), SHORT);

        Locker.Lock other = locker.lock(UploadId.random(), NOTHING, SHORT);

        assertEquals(2, locker.slotsInUse());
        one.release();
        other.release();
        assertEquals(0, locker.slotsInUse());
    }

    @Test
    void anInterruptedWaiterGivesUpAsShuttingDownAndLeavesNothingBehind() throws Exception {
        Locker.Lock stuck = locker.lock(id, NOTHING, SHORT);
        Thread.currentThread().interrupt();

        UploadException interrupted = assertThrows(UploadException.class, () -> locker.lock(id, NOTHING, LONG));

        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(ErrorCode.SHUTTING_DOWN, interrupted.code());
        stuck.release();
        assertEquals(0, locker.slotsInUse());
    }

    @Test
    void noSlotIsLeftBehindAfterManyConcurrentRequests() throws Exception {
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        locker.lock(id, NOTHING, SHORT).release();
                    } catch (UploadException refused) {
                        // SUPERSEDED or BUSY: a newer request won, as it should
                    }
                    locker.tryLock(id).ifPresent(Locker.Lock::release);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertEquals(0, locker.slotsInUse());
        locker.lock(id, NOTHING, SHORT).release();
    }

    @Test
    void housekeepingIsHeldByOneCallerAtATimeAndFreeAgainOnceReleased() {
        Optional<Locker.Lock> first = locker.tryLockHousekeeping();
        assertTrue(first.isPresent());
        assertEquals(Optional.empty(), locker.tryLockHousekeeping());

        first.get().release();
        first.get().release(); // idempotent: does not free a later holder's lock

        Optional<Locker.Lock> next = locker.tryLockHousekeeping();
        assertTrue(next.isPresent());
        first.get().release();
        assertEquals(Optional.empty(), locker.tryLockHousekeeping(), "an old handle frees nothing");
        next.get().release();
    }
}
