package org.resumableupload.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.disk.DiskUploadStore;

/**
 * The fault-injecting decorator is an {@link UploadStore} like any other while no fault is armed, and
 * its faults behave as documented (so the disk-fault integration tests test the server, not the fake).
 */
class FaultInjectingUploadStoreTest extends UploadStoreContractTest {
    @TempDir
    Path tempDir;

    private FaultInjectingUploadStore faulty;

    @Override
    protected UploadStore newStore() throws IOException {
        faulty = new FaultInjectingUploadStore(new DiskUploadStore(tempDir.resolve("store")));
        return faulty;
    }

    @Override
    protected UploadStore reopenStore() throws IOException {
        return new FaultInjectingUploadStore(new DiskUploadStore(tempDir.resolve("store")));
    }

    @Test
    void fullDiskWritesWhatFitsThenThrowsNoSpaceAndDiscardKeepsTheCommittedPrefix() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "f", -1));
        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("0123456789")));
            appender.commit(-1);
            faulty.fillDiskAfter(3);
            IOException full = assertThrows(IOException.class, () -> appender.write(ByteBuffer.wrap(bytes("abcdef"))));
            assertEquals(FaultInjectingUploadStore.DISK_FULL, full.getMessage());
            assertEquals(13, appender.position(), "the bytes that fitted were written");
            appender.discardUncommitted();
            assertEquals(10, appender.position());
        }
        faulty.heal();
        assertEquals("0123456789", new String(readAll(store.readPart(id))));
        assertEquals(1, faulty.faultsInjected());
    }

    @Test
    void failingCommitKeepsThePreviousRecordAndUsableSpaceCanBeFaked() throws IOException {
        UploadId id = UploadId.random();
        createEmpty(newPart(id, ALICE, "f", -1));
        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("abc")));
            faulty.failCommits();
            IOException failed = assertThrows(IOException.class, () -> appender.commit(-1));
            assertEquals(FaultInjectingUploadStore.IO_ERROR, failed.getMessage());
        }
        assertEquals(0, store.findPart(id).orElseThrow().offset());
        faulty.reportUsableSpace(42);
        assertEquals(42, store.usableSpace());
        faulty.heal();
        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("abc")));
            assertEquals(3, appender.commit(-1).offset(), "healed: commits work again");
        }
    }

    @Test
    void shrinkingSpaceFallsByWhatAppendersWriteAndRisesByWhatTheyDiscard() throws IOException {
        UploadId id = UploadId.random();
        faulty.reportShrinkingSpace(100);
        try (Appender appender = store.createPart(newPart(id, ALICE, "f", -1))) {
            appender.write(ByteBuffer.wrap(bytes("0123456789")));
            assertEquals(90, store.usableSpace());
            appender.commit(-1);
            appender.write(ByteBuffer.wrap(bytes("abcde")));
            assertEquals(85, store.usableSpace());
            appender.discardUncommitted();
            assertEquals(90, store.usableSpace());
        }
        assertEquals(85, faulty.lowestUsableSpace());
        faulty.heal();
        assertTrue(store.usableSpace() > 1_000_000, "healed: the medium's own free space again");
    }
}
