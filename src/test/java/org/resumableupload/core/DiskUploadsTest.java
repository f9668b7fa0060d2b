package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.disk.DiskUploadStore;
import org.resumableupload.support.ManualExecutor;

/** The core over the real disk store, where the disk's own behaviour matters: files, background forces. */
class DiskUploadsTest extends CoreTestSupport {
    private static final int MIB = 1 << 20;
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private final byte[] data = new byte[3 * MIB];

    {
        new Random(3).nextBytes(data);
    }

    private void onDisk(Executor forces, long checkpointBytes) throws IOException {
        store = new DiskUploadStore(dir, forces);
        uploads = uploadsWith(s -> {
            s.checkpointBytes = checkpointBytes;
            s.maxSize = 4 * MIB;
        });
    }

    /** Writes {@code data[from, to)} in read-buffer-sized pieces, as a front end does. */
    private void write(WriteSession session, int from, int to) throws UploadException {
        for (int at = from; at < to; at += CHUNK) {
            session.write(data, at, Math.min(CHUNK, to - at));
        }
    }

    /** Every data file of the upload, committed or not (a start-over's too). */
    private List<Path> dataFiles(UploadId id) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("parts"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(id.value())
                    && f.getFileName().toString().endsWith(".data")).toList();
        }
    }

    private long dataBytesOnDisk(UploadId id) throws IOException {
        long total = 0;
        for (Path file : dataFiles(id)) {
            total += Files.size(file);
        }
        return total;
    }

    @Test
    void writesDoNotWaitForTheBackgroundForceAndACheckpointCommitsOnlyWhatItCovered() throws Exception {
        ManualExecutor forces = new ManualExecutor();
        onDisk(forces, MIB);
        UploadId id = uploads.create(ALICE, sized(data.length)).id();
        WriteSession session = begin(ALICE, id, at(0, data.length));

        write(session, 0, MIB + CHUNK);
        assertEquals(1, forces.queued(), "a force of the first MiB is under way");
        assertEquals(0, offsetOf(id), "not committed before it is durable");
        forces.runAll();
        write(session, MIB + CHUNK, MIB + 2 * CHUNK);

        assertEquals(MIB, offsetOf(id), "what the force covered, not what was written");
        write(session, MIB + 2 * CHUNK, data.length);
        forces.runAll();
        assertArrayEquals(sha256(data), session.finish().completed().orElseThrow().sha256());
        assertArrayEquals(data, completedBytes(id));
    }

    @Test
    void aForceStillQueuedBehindOtherUploadsIsDoneByTheSessionInsteadOfAwaited() throws Exception {
        ManualExecutor neverRuns = new ManualExecutor();
        onDisk(neverRuns, 64L << 20);
        UploadId id = uploads.create(ALICE, sized(2 * MIB)).id();
        WriteSession session = begin(ALICE, id, at(0, 2 * MIB));
        write(session, 0, 2 * MIB);
        assertEquals(1, neverRuns.queued());

        WriteOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), session::finish);

        assertTrue(outcome.isComplete());
        neverRuns.runAll(); // running the queued force now touches nothing
        assertArrayEquals(Arrays.copyOf(data, 2 * MIB), completedBytes(id));
    }

    @Test
    void aRefusedBodysBytesAreCutOffTheDataFile() throws Exception {
        onDisk(Runnable::run, 64L << 20);
        UploadId id = uploadHolding(10, "ab");
        WriteSession session = begin(ALICE, id, withSha256(at(2, 4), new byte[32]));
        write(session, "cdef");

        refused(ErrorCode.CHECKSUM_MISMATCH, 2, session::finish);

        assertEquals(2, dataBytesOnDisk(id));
    }

    @Test
    void aStartOverThatNeverCommitsLeavesNoDataFileBehind() throws Exception {
        onDisk(Runnable::run, 64L << 20);
        UploadId id = UploadId.random();
        WriteSession first = uploads.startOver(ALICE, id, deferred(), article(0, UNKNOWN, UNKNOWN), stops::add);
        write(first, "hello ");
        first.abort();
        List<Path> before = dataFiles(id);
        WriteSession refusedOne = uploads.startOver(ALICE, id, sized(3), article(0, 3, UNKNOWN), stops::add);

        refused(ErrorCode.PAST_LENGTH, 6, () -> write(refusedOne, "too long"));

        assertEquals(before, dataFiles(id));
        assertArrayEquals(bytes("hello "), partBytes(id));
    }

    @Test
    void aRecordClaimingMoreThanItsDataFileHoldsResumesFromTheFileWithTheRightDigest() throws Exception {
        onDisk(Runnable::run, 64L << 20);
        UploadId id = uploadHolding(11, "hello wor");
        // The data file lost its tail (a disk that lied about a flush, a restore from backup).
        try (FileChannel file = FileChannel.open(dataFiles(id).get(0), StandardOpenOption.WRITE)) {
            file.truncate(6);
        }
        Uploads restarted = uploadsOver(new DiskUploadStore(dir), s -> { });

        assertEquals(6, restarted.get(ALICE, id).offset());
        WriteOutcome outcome = send(restarted, ALICE, id, at(6, 5), "world");

        assertArrayEquals(bytes("hello world"), readAll(restarted.completed().open(ALICE, id)));
        assertArrayEquals(sha256("hello world"), outcome.completed().orElseThrow().sha256(),
                "the digest of the bytes stored, not of the ones the record claimed");
    }
}
