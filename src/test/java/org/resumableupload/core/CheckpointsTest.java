package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.Appender;
import org.resumableupload.store.PartRecord;

/** The digest-state marks a session keeps so that a background-durable offset commits with its own state. */
class CheckpointsTest {
    private final RunningSha256 fileHash = RunningSha256.fresh();

    /** An appender that only says how far its bytes are durable, and counts the questions. */
    private static final class DurableOnly implements Appender {
        long durable;
        int asked;

        @Override
        public long nextBoundary() {
            return Long.MAX_VALUE;
        }

        @Override
        public long durable() {
            asked++;
            return durable;
        }

        @Override
        public PartRecord committed() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(ByteBuffer bytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PartRecord commit(PartRecord next) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void discardUncommitted() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private static Checkpoints checkpoints(long committed, RunningSha256 hash, long checkpointBytes) {
        UploadSettings settings = new UploadSettings(Path.of("x"), 1L << 40, 64, 0, Duration.ofDays(1),
                Duration.ofMinutes(1), Duration.ofMinutes(1), checkpointBytes, 1024);
        return new Checkpoints(committed, hash, settings);
    }

    /** Hashes {@code count} more bytes of 'x' and tells the checkpoints the new position. */
    private long wrote(Checkpoints marks, long position, int count) {
        byte[] bytes = "x".repeat(count).getBytes(StandardCharsets.US_ASCII);
        fileHash.update(bytes, 0, count);
        marks.wrote(position + count, false);
        return position + count;
    }

    @Test
    void aMarkIsTakenEveryCheckpointWhenThatIsBelowAMebibyteAndItsStateIsTheDigestOfExactlyThatPrefix()
            throws Exception {
        Checkpoints marks = checkpoints(0, fileHash, 4);
        long position = wrote(marks, 0, 3);
        assertEquals(Optional.empty(), marks.latestWithin(Long.MAX_VALUE), "3 bytes: no mark yet");

        position = wrote(marks, position, 2);
        position = wrote(marks, position, 1);

        Checkpoints.Mark mark = marks.latestWithin(Long.MAX_VALUE).orElseThrow();
        assertEquals(5, mark.position(), "the first write to reach 4 bytes past the last mark");
        byte[] digestOfFive = MessageDigest.getInstance("SHA-256").digest("xxxxx".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(digestOfFive, RunningSha256.resume(mark.state()).orElseThrow().sha256());
        assertEquals(6, position);
    }

    @Test
    void aPositionAtTheStoresBoundaryAlwaysGetsAMarkSoACheckpointCanCommitExactlyThere() {
        Checkpoints marks = checkpoints(0, fileHash, 64L << 20);
        byte[] bytes = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
        fileHash.update(bytes, 0, 100);
        marks.wrote(100, true); // far less than a mebibyte, but where the store commits cheapest

        assertEquals(100, marks.latestWithin(100).orElseThrow().position());
    }

    @Test
    void marksAreAtMostAMebibyteApartWhateverTheCheckpointSize() {
        Checkpoints marks = checkpoints(0, fileHash, 64L << 20);
        long position = 0;
        for (int i = 0; i < 40; i++) {
            position = wrote(marks, position, 64 * 1024);
        }

        assertEquals(2 * Checkpoints.MARK_BYTES, marks.latestWithin(position).orElseThrow().position());
        assertEquals(Checkpoints.MARK_BYTES, marks.latestWithin(2 * Checkpoints.MARK_BYTES - 1).orElseThrow().position());
        assertEquals(Optional.empty(), marks.latestWithin(Checkpoints.MARK_BYTES - 1));
    }

    @Test
    void aCheckpointIsDueOnlyForADurableMarkACheckpointPastTheCommittedOffset() {
        Checkpoints marks = checkpoints(10, fileHash, 4);
        DurableOnly store = new DurableOnly();
        store.durable = 10;
        long position = wrote(marks, 10, 2);
        assertEquals(Optional.empty(), marks.due(store));
        assertEquals(0, store.asked, "not a checkpoint ahead yet: the store is not even asked");

        position = wrote(marks, position, 3); // a mark at 15
        assertEquals(Optional.empty(), marks.due(store), "not durable yet");
        store.durable = 14;
        assertEquals(Optional.empty(), marks.due(store), "the mark lies past what is durable");
        store.durable = position;

        assertEquals(15, marks.due(store).orElseThrow().position());
    }

    @Test
    void committingDropsTheMarksItCovers() {
        Checkpoints marks = checkpoints(0, fileHash, 4);
        long position = wrote(marks, 0, 4); // mark at 4
        position = wrote(marks, position, 4); // mark at 8
        wrote(marks, position, 4); // mark at 12
        assertFalse(marks.everCommitted());

        marks.committed(8);

        assertTrue(marks.everCommitted());
        assertEquals(Optional.empty(), marks.latestWithin(11));
        assertEquals(12, marks.latestWithin(12).orElseThrow().position());
        DurableOnly store = new DurableOnly();
        store.durable = 12;
        assertEquals(12, marks.due(store).orElseThrow().position(), "a checkpoint past the new commit");
    }
}
