package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.Appender;
import org.resumableupload.store.FaultInjectingUploadStore;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.disk.DiskUploadStore;

/**
 * After a restart (new {@link Uploads} over the same store, nothing in memory), the first append goes on
 * from the digest state saved with the committed offset, without reading the stored prefix; a record
 * without a usable state falls back to reading it, and the SHA-256 is right either way.
 */
class DigestResumeTest extends CoreTestSupport {
    @TempDir
    Path dir;

    /** A restart over {@code storage}: the prefix may be read only where a test allows it. */
    private FaultInjectingUploadStore restartedStore(UploadStore storage) {
        return new FaultInjectingUploadStore(storage);
    }

    private Uploads restartOver(UploadStore storage) {
        return uploadsOver(storage, s -> { });
    }

    /** Rewrites the part's record with {@code state} as its digest state (a record from elsewhere). */
    private void recordDigestState(UploadId id, String state) throws Exception {
        try (Appender appender = store.openAppender(id)) {
            PartRecord committed = appender.committed();
            appender.commit(committed.withOffset(committed.offset(), state, committed.updatedAt()));
        }
    }

    private void assertResumesWithoutReadingThePrefix(UploadStore storage, UploadId id) throws Exception {
        FaultInjectingUploadStore restarted = restartedStore(storage);
        restarted.beforeReadPart(() -> {
            throw new AssertionError("the stored prefix was read");
        });

        WriteOutcome outcome = send(restartOver(restarted), ALICE, id, at(6, 5), "world");

        assertEquals(0, restarted.readPartCalls());
        assertArrayEquals(sha256("hello world"), outcome.completed().orElseThrow().sha256());
    }

    @Test
    void afterARestartTheFirstAppendGoesOnFromTheSavedStateWithoutReadingThePrefix() throws Exception {
        UploadId id = uploadHolding(11, "hello ");

        assertResumesWithoutReadingThePrefix(store, id);
    }

    @Test
    void onDiskTooTheFirstAppendAfterARestartReadsNoPrefix() throws Exception {
        store = new DiskUploadStore(dir);
        uploads = uploadsWith(s -> { });
        UploadId id = uploadHolding(11, "hello ");

        assertResumesWithoutReadingThePrefix(new DiskUploadStore(dir), id);
    }

    @Test
    void aStateSavedByACheckpointIsResumedToo() throws Exception {
        uploads = uploadsWith(s -> s.checkpointBytes = 4);
        UploadId id = uploadHolding(11, "");
        WriteSession session = begin(ALICE, id, at(0, 11));
        write(session, "hello ");
        assertEquals(6, store.findPart(id).orElseThrow().offset(), "a checkpoint, then the server dies");

        assertResumesWithoutReadingThePrefix(store, id);
    }

    @Test
    void aRecordWithoutStateFallsBackToReadingThePrefixAndTheDigestIsStillRight() throws Exception {
        UploadId id = uploadHolding(11, "hello ");
        recordDigestState(id, null); // as records written before states were saved
        FaultInjectingUploadStore restarted = restartedStore(store);

        WriteOutcome outcome = send(restartOver(restarted), ALICE, id, at(6, 5), "world");

        assertEquals(1, restarted.readPartCalls());
        assertArrayEquals(sha256("hello world"), outcome.completed().orElseThrow().sha256());
    }

    @Test
    void aStateOfAnotherSha256VariantFallsBackToReadingThePrefix() throws Exception {
        UploadId id = uploadHolding(11, "hello ");
        String mine = store.findPart(id).orElseThrow().digestState();
        recordDigestState(id, "SomeOtherSha256" + mine.substring(mine.indexOf(':')));
        FaultInjectingUploadStore restarted = restartedStore(store);

        WriteOutcome outcome = send(restartOver(restarted), ALICE, id, at(6, 5), "world");

        assertEquals(1, restarted.readPartCalls());
        assertArrayEquals(sha256("hello world"), outcome.completed().orElseThrow().sha256());
    }

    @Test
    void aDamagedStateFallsBackToReadingThePrefix() throws Exception {
        UploadId id = uploadHolding(11, "hello ");
        String mine = store.findPart(id).orElseThrow().digestState();
        recordDigestState(id, mine.substring(0, mine.indexOf(':') + 1) + "AAAA");
        FaultInjectingUploadStore restarted = restartedStore(store);

        WriteOutcome outcome = send(restartOver(restarted), ALICE, id, at(6, 5), "world");

        assertEquals(1, restarted.readPartCalls());
        assertArrayEquals(sha256("hello world"), outcome.completed().orElseThrow().sha256());
    }

    @Test
    void whileTheFirstAppendRebuildsTheDigestTheUploadIsStillLookedUpAtOnce() throws Exception {
        UploadId id = uploadHolding(10, "hello");
        recordDigestState(id, null);
        FaultInjectingUploadStore restarted = restartedStore(store);
        Uploads afterRestart = restartOver(restarted);
        CountDownLatch rebuilding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        restarted.beforeReadPart(() -> {
            rebuilding.countDown();
            awaitQuietly(release);
        });
        AtomicReference<WriteSession> resumed = new AtomicReference<>();
        Thread firstAppend = new Thread(() -> {
            try {
                resumed.set(afterRestart.append(ALICE, id, at(5, 5), stops::add));
            } catch (UploadException e) {
                throw new IllegalStateException(e);
            }
        });
        firstAppend.start();
        assertTrue(rebuilding.await(10, TimeUnit.SECONDS));

        // The rebuild is held (up to 60 s) until the look-up answered: were it held up too, this times out.
        long offset = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> afterRestart.get(ALICE, id).offset());

        assertEquals(5, offset);
        release.countDown();
        firstAppend.join(10_000);
        write(resumed.get(), "world");
        assertArrayEquals(sha256("helloworld"), resumed.get().finish().completed().orElseThrow().sha256());
    }

    @Test
    void tenConcurrentAppendsOfARecordWithoutStateReadThePrefixOnce() throws Exception {
        UploadId id = uploadHolding(10, "hello");
        recordDigestState(id, null);
        FaultInjectingUploadStore restarted = restartedStore(store);
        Uploads afterRestart = restartOver(restarted);
        CountDownLatch release = new CountDownLatch(1);
        restarted.beforeReadPart(() -> awaitQuietly(release)); // a long rebuild: the others arrive meanwhile
        List<Thread> appends = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread append = new Thread(() -> {
                try {
                    afterRestart.append(ALICE, id, at(5, 0), stops::add).finish();
                } catch (UploadException superseded) {
                    // a newer append took over, before or after this one began: as a client's retries do
                }
            });
            append.start();
            appends.add(append);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (!appends.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.TERMINATED)) {
                Thread.sleep(1);
            }
        });
        release.countDown();
        for (Thread append : appends) {
            append.join(10_000);
        }

        assertEquals(1, restarted.readPartCalls(), "one rebuild for ten appends");
        WriteOutcome outcome = send(afterRestart, ALICE, id, at(5, 5), "world");
        assertArrayEquals(sha256("helloworld"), outcome.completed().orElseThrow().sha256());
        assertEquals(1, restarted.readPartCalls());
    }

    @Test
    void onDiskTheDigestAfterACrashCoversOnlyTheCommittedBytes() throws Exception {
        store = new DiskUploadStore(dir);
        uploads = uploadsWith(s -> { });
        UploadId id = uploadHolding(UNKNOWN, "hello ");
        // Bytes that reached the disk after the last commit, as a kill -9 can leave them.
        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("GARBAGE")));
        }
        DiskUploadStore reopened = new DiskUploadStore(dir);
        reopened.recover();
        Uploads restarted = restartOver(reopened);

        assertEquals(6, restarted.get(ALICE, id).offset());
        WriteOutcome outcome = send(restarted, ALICE, id, last(6, 5), "world");

        assertArrayEquals(sha256("hello world"), outcome.completed().orElseThrow().sha256());
        assertArrayEquals(bytes("hello world"), readAll(restarted.completed().open(ALICE, id)));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
