package org.resumableupload.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.Appender;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.support.ManualExecutor;

/**
 * The disk appender's force-behind: it forces its data file in the background every
 * {@link DiskAppender#FORCE_BEHIND_BYTES} while bytes arrive, counts in {@code durable()} only what a
 * force that succeeded covered, and never lets a commit claim bytes after a force that failed.
 */
class DiskAppenderTest extends DiskStoreFixture {
    private static final int MIB = (int) DiskAppender.FORCE_BEHIND_BYTES;

    private final byte[] body = randomBytes(3 * MIB + 5);

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(11).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code body[from, to)}. */
    private void write(Appender appender, int from, int to) throws IOException {
        appender.write(ByteBuffer.wrap(body, from, to - from));
    }

    private static PartRecord commitAt(Appender appender, long offset) throws IOException {
        return appender.commit(appender.committed().withOffset(offset, T0.plusSeconds(1)));
    }

    /** The data file of the appender {@link #appenderOver} made, whose forces can fail. */
    private ForceFaultChannel channel;

    /**
     * A start-over appender of a new part {@code id}, as {@link DiskUploadStore#createPart} makes one,
     * but over {@link #channel}; it forces in the background on the writing thread.
     */
    private DiskAppender appenderOver(UploadId id) throws IOException {
        String generation = "00000000000000a1";
        Path file = parts().resolve(id.value() + "." + generation + ".data");
        channel = new ForceFaultChannel(FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE));
        return new DiskAppender(channel, file, generation, newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE),
                true, new PartFiles(parts(), new NioDiskFiles()), Runnable::run);
    }

    @Test
    void durableAdvancesOnAnotherThreadOnceForceBehindBytesAreWrittenWithoutACommit() throws Exception {
        AtomicInteger forcesRun = new AtomicInteger();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            store = new DiskUploadStore(root, task -> thread.execute(() -> {
                forcesRun.incrementAndGet();
                task.run();
            }));
            UploadId id = UploadId.random();
            createEmpty(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE));
            try (Appender appender = store.openAppender(id)) {
                write(appender, 0, MIB + 100);

                long deadline = System.nanoTime() + 10_000_000_000L;
                while (appender.durable() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }

                assertEquals(MIB + 100, appender.durable(), "what the background force covered");
                assertEquals(1, forcesRun.get());
                assertEquals(0, appender.committed().offset(), "durable is not committed");
                assertEquals(0, store.findPart(id).orElseThrow().offset());
                commitAt(appender, MIB + 100);
            }
            assertArrayEquals(Arrays.copyOf(body, MIB + 100), readAll(store.readPart(id)));
        } finally {
            thread.shutdown(); // not shutdownNow: an interrupt would close a data file mid-force
        }
    }

    @Test
    void atMostOneForceIsInFlightAndDurableCountsWhatItCoveredWhenItStarted() throws IOException {
        ManualExecutor forces = new ManualExecutor();
        store = new DiskUploadStore(root, forces);
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE));

        try (Appender appender = store.openAppender(id)) {
            write(appender, 0, MIB - 1);
            assertEquals(0, forces.queued(), "below the threshold nothing is forced");
            write(appender, MIB - 1, MIB);
            assertEquals(1, forces.queued());
            assertEquals(0, appender.durable(), "a force that has not run yet counts nothing");
            write(appender, MIB, 2 * MIB + 7);
            assertEquals(1, forces.queued(), "one force in flight at most");

            forces.runAll();

            assertEquals(MIB, appender.durable(), "bytes written after the force started are not counted");
            write(appender, 2 * MIB + 7, 2 * MIB + 8);
            assertEquals(1, forces.queued(), "the next force starts once a threshold is unforced again");
            forces.runAll();
            assertEquals(2 * MIB + 8, appender.durable());
            commitAt(appender, 2 * MIB + 8);
        }
        assertArrayEquals(Arrays.copyOf(body, 2 * MIB + 8), readAll(store.readPart(id)));
    }

    @Test
    void aCommitUpToWhatABackgroundForceCoveredForcesNothingMore() throws IOException {
        UploadId id = UploadId.random();
        try (DiskAppender appender = appenderOver(id)) {
            write(appender, 0, MIB);
            assertEquals(1, channel.forcingThreads().size(), "forced behind on the writing thread here");

            commitAt(appender, MIB);

            assertEquals(1, channel.forcingThreads().size());
            write(appender, MIB, MIB + 10);
            commitAt(appender, MIB + 10);
            assertEquals(2, channel.forcingThreads().size(), "a commit past durable forces first");
        }
        assertEquals(MIB + 10, store.findPart(id).orElseThrow().offset());
    }

    @Test
    void aFailedBackgroundForceIsNeverCountedAndRefusesCommitsPastTheLastGoodForce() throws IOException {
        UploadId id = UploadId.random();
        try (DiskAppender appender = appenderOver(id)) {
            write(appender, 0, MIB);
            channel.failNextForces(1);
            write(appender, MIB, 2 * MIB);
            write(appender, 2 * MIB, 3 * MIB);

            assertEquals(MIB, appender.durable(), "only the force that succeeded counts");
            assertEquals(2, channel.forcingThreads().size(), "no more background forces after a failure");
            assertThrows(IOException.class, () -> commitAt(appender, 3 * MIB), "a later force may lie");
            assertThrows(IOException.class, () -> commitAt(appender, MIB + 1));
            assertEquals(Optional.empty(), store.findPart(id), "nothing committed yet");
            assertEquals(MIB, commitAt(appender, MIB).offset(), "what the good force covered still commits");

            appender.discardUncommitted();
            assertEquals(MIB, appender.position());
            write(appender, MIB, MIB + 5);
            assertEquals(MIB + 5, commitAt(appender, MIB + 5).offset(), "cut back to good bytes, commits work");
        }
        assertEquals(MIB + 5, store.findPart(id).orElseThrow().offset());
        assertArrayEquals(Arrays.copyOf(body, MIB + 5), readAll(store.readPart(id)));
    }

    @Test
    void aFailedForceInsideACommitRefusesLaterCommitsOfThoseBytesUntilTheyAreDiscarded() throws IOException {
        UploadId id = UploadId.random();
        try (DiskAppender appender = appenderOver(id)) {
            write(appender, 0, 10);
            commitAt(appender, 10);
            write(appender, 10, 20);
            channel.failNextForces(1);

            IOException failed = assertThrows(IOException.class, () -> commitAt(appender, 20));

            assertEquals(ForceFaultChannel.FORCE_FAILED, failed.getMessage());
            assertEquals(10, appender.durable());
            assertThrows(IOException.class, () -> commitAt(appender, 20),
                    "the force that would now succeed cannot bring back pages the failed one lost");
            assertEquals(10, store.findPart(id).orElseThrow().offset(), "the previous commit holds");

            appender.discardUncommitted();
            write(appender, 10, 20);
            assertEquals(20, commitAt(appender, 20).offset());
        }
        assertArrayEquals(Arrays.copyOf(body, 20), readAll(store.readPart(id)));
    }

    @Test
    void aForceTheExecutorRejectsIsLeftToTheCommit() throws IOException {
        store = new DiskUploadStore(root, task -> {
            throw new RejectedExecutionException("shutting down");
        });
        UploadId id = UploadId.random();

        try (Appender appender = store.createPart(newPart(id, ALICE, "a.bin", PartRecord.UNKNOWN_SIZE))) {
            write(appender, 0, 2 * MIB);
            assertEquals(0, appender.durable());

            commitAt(appender, 2 * MIB);

            assertEquals(2 * MIB, appender.durable());
        }
        assertArrayEquals(Arrays.copyOf(body, 2 * MIB), readAll(store.readPart(id)));
    }
}
