package org.resumableupload.lock.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.Locker;
import org.resumableupload.core.UploadException;
import org.resumableupload.store.UploadId;
import org.resumableupload.support.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two nodes' lockers on one bucket (S3Proxy in this JVM): one holder per upload, a live holder asked
 * to let go, a dead one taken over after the lease, the newest waiter winning, housekeeping on one node.
 */
@Timeout(60)
class S3LockerTest {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static S3ProxyServer s3;
    static S3Client client;
    private S3Locker nodeA;
    private S3Locker nodeB;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start(dir);
        client = s3.client();
    }

    @AfterAll
    static void stopS3() throws Exception {
        client.close();
        s3.close();
    }

    @BeforeEach
    void twoNodes() {
        String prefix = "locks-" + UUID.randomUUID() + "/";
        nodeA = new S3Locker(client, S3ProxyServer.BUCKET, prefix, LEASE);
        nodeB = new S3Locker(client, S3ProxyServer.BUCKET, prefix, LEASE);
    }

    @AfterEach
    void stopNodes() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void aReleasedLockIsTakenAtOnceByAnotherNode() throws Exception {
        UploadId id = UploadId.random();
        nodeA.lock(id, () -> { }, WAIT).release();

        long started = System.nanoTime();
        Locker.Lock lock = nodeB.lock(id, () -> { }, WAIT);

        assertTrue(System.nanoTime() - started < Duration.ofSeconds(1).toNanos());
        lock.release();
        lock.release(); // idempotent
    }

    @Test
    void aLiveHolderOnOneNodeIsAskedToLetGoAndTheOtherNodeGetsTheLockWithinFiveSeconds() throws Exception {
        UploadId id = UploadId.random();
        AtomicReference<Locker.Lock> held = new AtomicReference<>();
        CountDownLatch asked = new CountDownLatch(1);
        held.set(nodeA.lock(id, () -> {
            asked.countDown();
            held.get().release(); // the writer stops, keeps what it stored, lets go
        }, WAIT));

        long started = System.nanoTime();
        Locker.Lock taken = nodeB.lock(id, () -> { }, WAIT);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(0, asked.getCount(), "the holder was asked to let go");
        assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms");
        System.out.printf("S3LockerTest: live holder let go in %d ms%n", tookMillis);
        taken.release();
    }

    @Test
    void aDeadHolderIsTakenOverAfterItsLeaseWithinFiveSeconds() throws Exception {
        UploadId id = UploadId.random();
        nodeA.lock(id, () -> { }, WAIT);
        nodeA.close(); // as SIGKILL leaves it: no more renewals, never released

        long started = System.nanoTime();
        Locker.Lock taken = nodeB.lock(id, () -> { }, WAIT);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(tookMillis >= LEASE.toMillis() - 100, "not before the lease ran out: " + tookMillis + " ms");
        assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms");
        System.out.printf("S3LockerTest: dead holder taken over in %d ms%n", tookMillis);
        taken.release();
    }

    @Test
    void aHolderThatDoesNotLetGoLeavesTheWaiterBusyAndAnOlderWaiterIsSupersededByANewerOne() throws Exception {
        UploadId id = UploadId.random();
        Locker.Lock stalled = nodeA.lock(id, () -> { }, WAIT); // asked, but never lets go
        CompletableFuture<UploadException> older = CompletableFuture.supplyAsync(() -> {
            try {
                nodeB.lock(id, () -> { }, WAIT).release();
                return null;
            } catch (UploadException e) {
                return e;
            }
        });
        Thread.sleep(500); // the older request has announced itself

        UploadException newer = assertThrows(UploadException.class, () -> nodeA.lock(id, () -> { }, Duration.ofSeconds(2)));

        assertEquals(ErrorCode.SUPERSEDED, older.get(10, TimeUnit.SECONDS).code());
        assertEquals(ErrorCode.BUSY, newer.code(), "the holder kept renewing and never let go");
        stalled.release();
    }

    @Test
    void tryLockTakesOnlyAFreeLockAndDisturbsNobody() throws Exception {
        UploadId id = UploadId.random();
        AtomicBoolean asked = new AtomicBoolean();
        Locker.Lock held = nodeA.lock(id, () -> asked.set(true), WAIT);

        assertEquals(Optional.empty(), nodeB.tryLock(id));
        Thread.sleep(LEASE.toMillis() / 2);
        assertFalse(asked.get(), "the holder was not asked to let go");
        held.release();
        Optional<Locker.Lock> free = nodeB.tryLock(id);
        assertTrue(free.isPresent());
        free.get().release();
    }

    @Test
    void housekeepingRunsOnOneNodeAtATime() {
        Optional<Locker.Lock> first = nodeA.tryLockHousekeeping();
        assertTrue(first.isPresent());
        assertEquals(Optional.empty(), nodeB.tryLockHousekeeping());

        first.get().release();

        Optional<Locker.Lock> next = nodeB.tryLockHousekeeping();
        assertTrue(next.isPresent());
        next.get().release();
    }

    @Test
    void s3UnreachableMakesLockingBusyPromptly() throws Exception {
        s3.stop();
        try {
            long started = System.nanoTime();
            UploadException busy = assertThrows(UploadException.class,
                    () -> nodeA.lock(UploadId.random(), () -> { }, WAIT));
            assertEquals(ErrorCode.BUSY, busy.code());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(12).toNanos());
            assertEquals(Optional.empty(), nodeA.tryLockHousekeeping());
        } finally {
            s3.restart();
        }
    }
}
