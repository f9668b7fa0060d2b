package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.FaultInjectingUploadStore;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.memory.MemoryUploadStore;

/**
 * Durability while a body streams in: a checkpoint commits only an offset the store already made
 * durable, with the digest state of exactly that offset; when the store fails, only what it had made
 * durable counts.
 */
class CheckpointTest extends CoreTestSupport {
    private FaultInjectingUploadStore faulty;

    @BeforeEach
    void faultyStoreWithSmallCheckpoints() {
        faulty = new FaultInjectingUploadStore(new MemoryUploadStore());
        store = faulty;
        uploads = uploadsWith(s -> s.checkpointBytes = 4);
    }

    /** The committed record's digest state, resumed: the SHA-256 of the bytes it covers. */
    private byte[] savedDigest(UploadId id) throws Exception {
        PartRecord part = store.findPart(id).orElseThrow();
        return RunningSha256.resume(part.digestState()).orElseThrow().sha256();
    }

    private void assertCommitted(UploadId id, String prefix) throws Exception {
        assertEquals(prefix.length(), store.findPart(id).orElseThrow().offset(), "committed offset");
        assertArrayEquals(bytes(prefix), partBytes(id));
        assertArrayEquals(sha256(prefix), savedDigest(id), "the digest state of exactly that offset");
    }

    @Test
    void aLongBodyOfKnownLengthIsCommittedAtEveryCheckpoint() throws Exception {
        UploadId id = uploadHolding(10, "");
        WriteSession session = begin(ALICE, id, at(0, 10));

        write(session, "123");
        assertEquals(0, offsetOf(id));
        write(session, "456");
        assertCommitted(id, "123456");
        write(session, "7");
        assertCommitted(id, "123456");
        write(session, "890");

        assertTrue(session.finish().isComplete());
        assertArrayEquals(sha256("1234567890"), store.findCompleted(id).orElseThrow().sha256());
    }

    @Test
    void aCheckpointCommitsOnlyWhatTheStoreHasMadeDurable() throws Exception {
        UploadId id = uploadHolding(10, "");
        faulty.stallBackgroundForces();
        WriteSession session = begin(ALICE, id, at(0, 10));

        write(session, "123456");
        assertEquals(0, offsetOf(id), "not committed before it is durable: writes do not wait for it");
        faulty.finishBackgroundForces();
        write(session, "78");

        assertCommitted(id, "123456");
        write(session, "90");
        assertTrue(session.finish().isComplete(), "the end of the body waits for its bytes");
        assertArrayEquals(sha256("1234567890"), store.findCompleted(id).orElseThrow().sha256());
    }

    @Test
    void aBodyThatMayStillBeRefusedIsNeverCheckpointed() throws Exception {
        UploadId unknownLength = uploadHolding(10, "");
        UploadId checksummed = uploadHolding(10, "");
        WriteSession first = begin(ALICE, unknownLength, at(0, UNKNOWN));
        WriteSession second = begin(ALICE, checksummed, withSha256(at(0, 8), sha256("12345678")));

        write(first, "12345678");
        write(second, "12345678");

        assertEquals(0, offsetOf(unknownLength));
        assertEquals(0, offsetOf(checksummed));
    }

    // ---- failures ----------------------------------------------------------------------------------

    @Test
    void aFullDiskStillCommitsWhatTheStoreHadMadeDurable() throws Exception {
        UploadId id = uploadHolding(100, "");
        faulty.stallBackgroundForces();
        WriteSession session = begin(ALICE, id, at(0, 100));
        write(session, "123456");
        faulty.finishBackgroundForces(); // durable, not yet committed: the next write would have committed it
        faulty.fillDiskAfter(0);

        refused(ErrorCode.INSUFFICIENT_STORAGE, 6, () -> write(session, "7"));

        assertCommitted(id, "123456");
    }

    @Test
    void anIoErrorWhileWritingKeepsOnlyWhatWasDurable() throws Exception {
        UploadId id = uploadHolding(100, "ab");
        faulty.stallBackgroundForces();
        WriteSession session = begin(ALICE, id, at(2, 98));
        write(session, "cdefgh");
        faulty.failWritesAfter(2);

        refused(ErrorCode.STORAGE_FAILURE, 2, () -> write(session, "ijkl"));

        assertCommitted(id, "ab");
        faulty.heal();
        assertEquals(2, offsetOf(id));
        assertTrue(send(id, at(2, 98), "c".repeat(98)).isComplete(), "the upload goes on from the durable offset");
    }

    @Test
    void aFailureKeepsTheLatestDurableMarkAtMostAMebibyteShortOfWhatWasDurable() throws Exception {
        uploads = uploadsWith(s -> {
            s.checkpointBytes = 64L << 20; // no checkpoint within this body
            s.maxSize = 3 * Checkpoints.MARK_BYTES;
        });
        byte[] data = new byte[(int) (2.5 * Checkpoints.MARK_BYTES)];
        new Random(7).nextBytes(data);
        UploadId id = uploads.create(ALICE, sized(data.length + 10)).id();
        faulty.stallBackgroundForces();
        WriteSession session = begin(ALICE, id, at(0, data.length + 10));
        for (int at = 0; at < data.length; at += 64 * 1024) { // as a front end's read buffers come
            session.write(data, at, Math.min(64 * 1024, data.length - at));
        }
        faulty.finishBackgroundForces();
        faulty.fillDiskAfter(0);

        long kept = refused(ErrorCode.INSUFFICIENT_STORAGE, () -> session.write(new byte[10], 0, 10))
                .storedOffset().orElseThrow();

        assertEquals(2 * Checkpoints.MARK_BYTES, kept, "the latest mark within what was durable");
        assertArrayEquals(sha256(Arrays.copyOf(data, (int) kept)), savedDigest(id));
        assertArrayEquals(Arrays.copyOf(data, (int) kept), partBytes(id));
    }

    @Test
    void aFailedBackgroundForceFailsTheEndOfTheBodyAndTheLastCommitHolds() throws Exception {
        UploadId id = uploadHolding(20, "ab");
        faulty.failNextForce(); // the background force of this body's bytes fails; later ones would succeed
        WriteSession session = begin(ALICE, id, at(2, 8));
        write(session, "cdefgh");
        write(session, "ij");

        refused(ErrorCode.STORAGE_FAILURE, 2, session::finish);

        assertCommitted(id, "ab");
        assertTrue(send(id, at(2, 18), "c".repeat(18)).isComplete(), "the next request writes them again");
    }

    @Test
    void aCutBodyWhoseBackgroundForceFailedKeepsOnlyWhatEarlierForcesCovered() throws Exception {
        UploadId id = uploadHolding(100, "ab");
        faulty.stallBackgroundForces();
        WriteSession session = begin(ALICE, id, at(2, 98));
        write(session, "cdefgh");
        faulty.failNextForce();

        assertEquals(2, session.abort(), "the connection drops: nothing past the last good force counts");

        assertCommitted(id, "ab");
    }

    @Test
    void aFailingCheckpointKeepsTheLastCommitAndTheEndOfTheBodyReportsIt() throws Exception {
        UploadId id = uploadHolding(20, "");
        WriteSession session = begin(ALICE, id, at(0, 10));
        write(session, "123456");
        assertCommitted(id, "123456");
        faulty.failCommits();

        write(session, "7890"); // its checkpoint fails; the body carries on

        refused(ErrorCode.STORAGE_FAILURE, 6, session::finish);
        faulty.heal();
        assertCommitted(id, "123456");
        WriteOutcome done = send(id, at(6, 14), "7890abcdefghij");
        assertArrayEquals(sha256("1234567890abcdefghij"), done.completed().orElseThrow().sha256());
    }

    @Test
    void aFailedCompletionKeepsEveryByteAndAnEmptyAppendAtTheEndCompletes() throws Exception {
        UploadId id = uploadHolding(10, "hello");
        faulty.failCompletions();

        refused(ErrorCode.STORAGE_FAILURE, 10, () -> send(id, at(5, 5), "world"));

        faulty.heal();
        assertCommitted(id, "helloworld");
        WriteOutcome done = send(id, at(10, 0), "");
        assertArrayEquals(sha256("helloworld"), done.completed().orElseThrow().sha256());
        assertArrayEquals(bytes("helloworld"), completedBytes(id));
    }
}
