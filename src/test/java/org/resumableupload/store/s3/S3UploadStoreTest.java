package org.resumableupload.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.StoreUnavailableException;
import org.resumableupload.store.UploadId;

/**
 * What only the S3 store does: bodies of several parts, a tail folded into the next part, commits
 * at and between part boundaries, cleaning up what an upload leaves in the bucket, a completion
 * finished by another node, and S3 being away.
 */
class S3UploadStoreTest {
    private static final int MIB = 1 << 20;
    private static final int PART = 5 * MIB;
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    static Path dir;
    static S3StoreFixture s3;
    private S3UploadStore store;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new S3StoreFixture(dir);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @BeforeEach
    void newStore() {
        store = s3.newStore();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static PartRecord part(UploadId id) {
        return PartRecord.start(id, "alice", "big.bin", PartRecord.UNKNOWN_SIZE, T0);
    }

    private static void write(Appender appender, byte[] body, int from, int to) throws IOException {
        for (int at = from; at < to; at += 300_000) { // pieces that do not line up with parts
            appender.write(ByteBuffer.wrap(body, at, Math.min(300_000, to - at)));
        }
    }

    private static PartRecord commitAt(Appender appender, long offset) throws IOException {
        return appender.commit(appender.committed().withOffset(offset, T0.plusSeconds(offset % 1000)));
    }

    private byte[] completedBytes(UploadId id) throws IOException {
        try (CompletedContent content = store.openCompleted(id)) {
            return read(content.channel());
        }
    }

    private static byte[] read(SeekableByteChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }

    private List<String> keysUnder(String what) throws IOException {
        return new S3Objects(s3.client(), s3.client(), s3.settings().bucket()).list(s3.prefix() + what);
    }

    private String keysUnderQuietly() {
        try {
            return keysUnder("").toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void aBodyOfSeveralPartsResumedOnAnotherStoreCompletesByteIdentical() throws Exception {
        UploadId id = UploadId.random();
        byte[] body = random(13 * MIB + 12_345, 1);
        try (Appender first = store.createPart(part(id))) {
            write(first, body, 0, 7 * MIB);
            assertEquals(7 * MIB, first.position());
            commitAt(first, 7 * MIB); // one part and a 2 MiB tail
        }
        S3UploadStore otherNode = s3.reopen();
        try (Appender second = otherNode.openAppender(id)) {
            assertEquals(7 * MIB, second.position(), "the tail is read back into the next part");
            write(second, body, 7 * MIB, body.length);
            commitAt(second, body.length);
        }
        assertEquals(List.of(s3.prefix() + "tails/" + id.value()), keysUnder("tails/").stream()
                .map(key -> key.substring(0, key.lastIndexOf('/', key.lastIndexOf('/') - 1))).distinct().toList(),
                "exactly one tail is kept");
        otherNode.complete(id, MessageDigest.getInstance("SHA-256").digest(body), T0.plusSeconds(9));

        assertArrayEquals(body, completedBytes(id));
        assertEquals(List.of(), keysUnder("tails/"), "tails are deleted at completion");
        assertEquals(List.of(), keysUnder("records/parts/"));
    }

    @Test
    void durableReachesAPartBoundaryOnlyOnceThatPartIsInS3AndACommitThereStoresNoTail() throws Exception {
        UploadId id = UploadId.random();
        byte[] body = random(2 * PART + 100, 2);
        try (Appender appender = store.createPart(part(id))) {
            assertEquals(PART, appender.nextBoundary());
            write(appender, body, 0, body.length);
            assertEquals(2L * PART, appender.nextBoundary() - PART);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (appender.durable() < 2L * PART && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(2L * PART, appender.durable(), "both full parts are in S3, the last 100 bytes are not");
            commitAt(appender, 2L * PART);
        }
        assertEquals(List.of(), keysUnder("tails/"), "a commit at a boundary stores no tail");
        assertEquals(2L * PART, store.findPart(id).orElseThrow().offset());
    }

    @Test
    void aCommitInsideAPartAlreadySentKeepsExactlyThatOffset() throws Exception {
        UploadId id = UploadId.random();
        byte[] body = random(PART + MIB, 3);
        try (Appender appender = store.createPart(part(id))) {
            write(appender, body, 0, body.length);
            commitAt(appender, PART - 10); // inside the first part, which went to S3 already
        }
        try (Appender reopened = s3.reopen().openAppender(id)) {
            assertEquals(PART - 10, reopened.position());
            write(reopened, body, PART - 10, body.length);
            commitAt(reopened, body.length);
        }
        store.complete(id, new byte[32], T0);
        assertArrayEquals(body, completedBytes(id));
    }

    @Test
    void closingWithoutACommitAbortsTheMultipartUploadItStarted() throws Exception {
        UploadId id = UploadId.random();
        try (Appender appender = store.createPart(part(id))) {
            write(appender, random(PART + 1, 4), 0, PART + 1);
        }
        assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket(s3.settings().bucket()).prefix(s3.prefix()))
                .uploads().size());
    }

    @Test
    void deletingAPartLeavesNothingOfItInTheBucket() throws Exception {
        UploadId id = UploadId.random();
        try (Appender appender = store.createPart(part(id))) {
            write(appender, random(PART + MIB, 5), 0, PART + MIB);
            commitAt(appender, PART + MIB);
        }

        store.deletePart(id);

        assertEquals(List.of(), keysUnder(""), "no record, tail or object left");
        assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket(s3.settings().bucket()).prefix(s3.prefix()))
                .uploads().size(), "the multipart upload is aborted");
    }

    @Test
    void aCompletionInterruptedAfterItsRecordIsFinishedByTheNextNodeThatReadsThePart() throws Exception {
        UploadId id = UploadId.random();
        byte[] body = random(PART + 7, 6);
        try (Appender appender = store.createPart(part(id))) {
            write(appender, body, 0, body.length);
            commitAt(appender, body.length);
        }
        S3Parts.Found found = new S3Parts(new S3Objects(s3.client(), s3.client(), s3.settings().bucket()),
                new S3Keys(s3.prefix(), s3.settings().completedKey()), PART, 2, null).find(id).orElseThrow();
        S3Parts parts = new S3Parts(new S3Objects(s3.client(), s3.client(), s3.settings().bucket()),
                new S3Keys(s3.prefix(), s3.settings().completedKey()), PART, 2, null);
        parts.writeRecord(found.state().completing(new byte[32], T0), found.etag()); // then the node died

        S3UploadStore otherNode = s3.reopen();
        assertTrue(otherNode.findPart(id).isEmpty(), "the part is gone: its completion was finished");
        assertArrayEquals(body, completedBytes(id));
        assertEquals(body.length, otherNode.findCompleted(id).orElseThrow().size());
    }

    @Test
    void aReplacedVersionIsDeletedOnlyByThePurgeAfterItsGrace() throws Exception {
        UploadId id = UploadId.random();
        for (String content : List.of("first", "second")) {
            try (Appender appender = store.createPart(part(id))) {
                appender.write(ByteBuffer.wrap(content.getBytes()));
                commitAt(appender, content.length());
            }
            store.complete(id, new byte[32], T0);
        }
        assertEquals(2, keysUnder("completed/").size(), () -> "the first version stays for downloads under way: " + keysUnderQuietly());

        assertEquals(0, store.purgeRetiredBefore(Instant.now().minusSeconds(3600)));
        assertEquals(1, store.purgeRetiredBefore(Instant.now().plusSeconds(1)));

        assertEquals(1, keysUnder("completed/").size());
        assertArrayEquals("second".getBytes(), completedBytes(id));
    }

    @Test
    void s3AwayIsReportedAsUnavailableAndTheCommittedOffsetHolds() throws Exception {
        UploadId id = UploadId.random();
        byte[] body = random(3 * MIB, 7);
        try (Appender appender = store.createPart(part(id))) {
            write(appender, body, 0, MIB);
            commitAt(appender, MIB);
            write(appender, body, MIB, 2 * MIB);
            s3.server().stop();
            try {
                assertThrows(StoreUnavailableException.class, () -> commitAt(appender, 2 * MIB));
                assertThrows(StoreUnavailableException.class, () -> store.findPart(id));
            } finally {
                s3.server().restart();
            }
        }
        assertEquals(MIB, store.findPart(id).orElseThrow().offset());
        try (Appender resumed = store.openAppender(id)) {
            assertArrayEquals(Arrays.copyOf(body, MIB), Arrays.copyOf(body, (int) resumed.position()));
        }
    }
}
