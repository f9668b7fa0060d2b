package org.resumableupload.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.disk.DiskUploadStore;
import org.resumableupload.store.memory.MemoryUploadStore;

/**
 * The faults of the fault-injecting decorator behave as documented, at the {@link Appender} contract
 * (so the tests that use it test the server, not the fake). That it is an {@link UploadStore} like
 * any other while no fault is armed: {@link FaultInjectingUploadStoreContractTest}.
 */
class FaultInjectingUploadStoreTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private final FaultInjectingUploadStore faulty = new FaultInjectingUploadStore(new MemoryUploadStore());

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer buffer(String text) {
        return ByteBuffer.wrap(bytes(text));
    }

    /** A new part holding {@code committed}; its appender stays open for the test. */
    private Appender partHolding(FaultInjectingUploadStore on, String committed) throws IOException {
        UploadId id = UploadId.random();
        Appender appender = on.createPart(PartRecord.start(id, "alice", "f", PartRecord.UNKNOWN_SIZE, T0));
        appender.write(buffer(committed));
        appender.commit(appender.committed().withOffset(appender.position(), T0));
        return appender;
    }

    private static PartRecord at(Appender appender, long offset) {
        return appender.committed().withOffset(offset, T0);
    }

    private String partText(UploadId id) throws IOException {
        try (InputStream in = faulty.readPart(id)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFullDiskWritesWhatFitsThenThrowsNoSpaceAndDiscardKeepsTheCommittedPrefix() throws IOException {
        try (Appender appender = partHolding(faulty, "0123456789")) {
            faulty.fillDiskAfter(3);

            IOException full = assertThrows(IOException.class, () -> appender.write(buffer("abcdef")));

            assertEquals(FaultInjectingUploadStore.DISK_FULL, full.getMessage());
            assertEquals(13, appender.position(), "the bytes that fitted were written");
            appender.discardUncommitted();
            assertEquals(10, appender.position());
            assertEquals("0123456789", partText(appender.committed().id()));
        }
        assertEquals(1, faulty.faultsInjected());
    }

    @Test
    void failingWritesThrowAnIoErrorAfterTheirBudgetAndHealingEndsThem() throws IOException {
        try (Appender appender = partHolding(faulty, "")) {
            faulty.failWritesAfter(2);
            appender.write(buffer("ab"));

            IOException failed = assertThrows(IOException.class, () -> appender.write(buffer("c")));

            assertEquals(FaultInjectingUploadStore.IO_ERROR, failed.getMessage());
            faulty.heal();
            appender.write(buffer("c"));
            assertEquals(3, appender.position());
            assertEquals(4, faulty.writeCalls(), "every write call counts, the empty one that made the part too");
        }
    }

    @Test
    void aFailingCommitKeepsThePreviousRecordUntilHealed() throws IOException {
        try (Appender appender = partHolding(faulty, "abc")) {
            appender.write(buffer("def"));
            faulty.failCommits();

            IOException failed = assertThrows(IOException.class, () -> appender.commit(at(appender, 6)));

            assertEquals(FaultInjectingUploadStore.IO_ERROR, failed.getMessage());
            assertEquals(3, faulty.findPart(appender.committed().id()).orElseThrow().offset());
            faulty.heal();
            assertEquals(6, appender.commit(at(appender, 6)).offset(), "healed: commits work again");
        }
    }

    @Test
    void aFailedForceFreezesDurableAndFailsEveryCommitPastItUntilTheBytesAreDiscarded() throws IOException {
        try (Appender appender = partHolding(faulty, "abc")) {
            appender.write(buffer("def"));
            assertEquals(6, appender.durable(), "the memory store makes bytes durable at once");
            appender.write(buffer("ghi"));
            faulty.failNextForce();

            assertEquals(6, appender.durable(), "what the failed force was to cover never becomes durable");
            assertThrows(IOException.class, () -> appender.commit(at(appender, 9)));
            assertEquals(6, appender.commit(at(appender, 6)).offset(), "what earlier forces covered still commits");
            assertThrows(IOException.class, () -> appender.commit(at(appender, 7)));

            appender.discardUncommitted();
            appender.write(buffer("GHI"));
            assertEquals(9, appender.durable(), "cut back: the file is sound again");
            assertEquals(9, appender.commit(at(appender, 9)).offset());
            assertEquals("abcdefGHI", partText(appender.committed().id()));
        }
        assertEquals(3, faulty.faultsInjected(), "the failed force, then the two commits past it");
    }

    @Test
    void aFailedForceStrikesOnlyAnAppenderWithBytesStillToForce() throws IOException {
        try (Appender idle = partHolding(faulty, "abc"); Appender busy = partHolding(faulty, "xyz")) {
            faulty.failNextForce();
            assertEquals(3, idle.durable(), "nothing to force: no force failed");
            busy.write(buffer("!"));

            assertEquals(3, busy.durable());
            idle.write(buffer("d"));
            assertEquals(4, idle.durable(), "one failure only");
        }
    }

    @Test
    void stalledForcesHoldDurableAtTheCommittedOffsetUntilTheyFinish() throws IOException {
        try (Appender appender = partHolding(faulty, "abc")) {
            faulty.stallBackgroundForces();
            appender.write(buffer("def"));

            assertEquals(3, appender.durable());
            assertEquals(5, appender.commit(at(appender, 5)).offset(), "a commit makes its bytes durable itself");
            assertEquals(5, appender.durable());
            faulty.finishBackgroundForces();
            assertEquals(6, appender.durable());
            appender.write(buffer("g"));
            assertEquals(6, appender.durable(), "still stalled for later bytes");
            faulty.heal();
            assertEquals(7, appender.durable());
        }
    }

    @Test
    void readPartRunsTheHookAndCountsTheReads() throws IOException {
        UploadId id;
        try (Appender appender = partHolding(faulty, "abc")) {
            id = appender.committed().id();
        }
        AtomicInteger hooked = new AtomicInteger();
        faulty.beforeReadPart(hooked::incrementAndGet);

        assertEquals("abc", partText(id));
        assertEquals("abc", partText(id));

        assertEquals(2, hooked.get());
        assertEquals(2, faulty.readPartCalls());
    }

    @Test
    void aFailingCompletionLeavesThePartAsItWas() throws IOException {
        UploadId id;
        try (Appender appender = partHolding(faulty, "abc")) {
            id = appender.committed().id();
        }
        faulty.failCompletions();

        assertThrows(IOException.class, () -> faulty.complete(id, new byte[32], T0));

        assertEquals(3, faulty.findPart(id).orElseThrow().offset());
        faulty.heal();
        assertEquals(3, faulty.complete(id, new byte[32], T0).size());
    }

    @Test
    void usableSpaceCanBeFakedAndIsTheDelegatesOtherwise() throws IOException {
        FaultInjectingUploadStore onDisk = new FaultInjectingUploadStore(new DiskUploadStore(dir));
        assertEquals(Long.MAX_VALUE, faulty.usableSpace(), "a memory store has no practical limit");
        assertTrue(onDisk.usableSpace() > 1_000_000, "the file system's own free space");
        assertTrue(onDisk.usableSpace() < Long.MAX_VALUE);

        onDisk.reportUsableSpace(42);
        assertEquals(42, onDisk.usableSpace());
        onDisk.heal();
        assertTrue(onDisk.usableSpace() > 1_000_000);
    }

    @Test
    void shrinkingSpaceFallsByWhatAppendersWriteAndRisesByWhatTheyDiscard() throws IOException {
        faulty.reportShrinkingSpace(100);
        try (Appender appender = partHolding(faulty, "0123456789")) {
            assertEquals(90, faulty.usableSpace());
            appender.write(buffer("abcde"));
            assertEquals(85, faulty.usableSpace());
            appender.discardUncommitted();
            assertEquals(90, faulty.usableSpace());
        }
        assertEquals(85, faulty.lowestUsableSpace());
        faulty.heal();
        assertEquals(Long.MAX_VALUE, faulty.usableSpace());
    }

    @Test
    void overADiskStoreTheFaultsHitTheRealFiles() throws IOException {
        FaultInjectingUploadStore onDisk = new FaultInjectingUploadStore(new DiskUploadStore(dir));
        UploadId id;
        try (Appender appender = partHolding(onDisk, "abc")) {
            id = appender.committed().id();
            appender.write(buffer("def"));
            onDisk.failNextForce();
            assertThrows(IOException.class, () -> appender.commit(at(appender, 6)));
            appender.discardUncommitted();
        }
        try (InputStream in = new DiskUploadStore(dir).readPart(id)) {
            assertArrayEquals(bytes("abc"), in.readAllBytes(), "a restart finds the last commit");
        }
    }
}
