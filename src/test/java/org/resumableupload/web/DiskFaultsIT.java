package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.FaultInjectingUploadStore;
import org.resumableupload.store.disk.DiskUploadStore;

/**
 * The disk filling up or failing under an upload, injected at the storage boundary
 * ({@link FaultInjectingUploadStore} around the real {@link DiskUploadStore}, served by the real
 * servlets): the client is told 507 or 500 with the offset that is stored, the stored prefix is exactly
 * the client's first bytes with nothing after it, and the upload resumes to a byte-identical file once
 * the disk works again. Also the real free-space reserve of the real webapp.
 */
class DiskFaultsIT {
    private static final int KB = 1024;
    private static final String SMALL_CHECKPOINTS = "64K";

    @TempDir
    Path dir;

    private FaultInjectingUploadStore store;
    private StoreTestServer server;
    private RawClient owner;

    private void serve(Map<String, String> settings) throws Exception {
        store = new FaultInjectingUploadStore(new DiskUploadStore(dir));
        server = StoreTestServer.start(store, store::usableSpace, settings);
        owner = RawClient.newOwner(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void diskFullMidUploadAnswers507WithTheStoredOffsetKeepsExactlyThatPrefixAndResumesOnceSpaceIsBack()
            throws Exception {
        serve(Map.of("upload.checkpointBytes", SMALL_CHECKPOINTS));
        byte[] file = randomBytes(2 * KB * KB + 123, 1);
        int firstChunk = 512 * KB;
        assertEquals(204, owner.upload("full", 0, file.length, slice(file, 0, firstChunk)).status());

        store.fillDiskAfter(1_200_000);
        RawHttp.Response full = owner.upload("full", firstChunk, file.length, slice(file, firstChunk, file.length));
        assertEquals(507, full.status(), full::toString);
        long kept = full.uploadOffset();
        // The store forced the first MiB of the failing body in the background, and a checkpoint (every
        // 64 KiB here) recorded it: some of the failing body is kept; nothing past what fitted.
        assertTrue(kept > firstChunk && kept <= firstChunk + 1_200_000, "offset " + kept);
        assertEquals("not enough free disk space\ncode: insufficient-storage\noffset: " + kept + "\n", full.text());
        assertStoredPrefixIs(file, "full", kept);
        assertEquals(kept, owner.offset("full"));

        // Still full: refused again, nothing changes.
        RawHttp.Response stillFull = owner.upload("full", kept, file.length, slice(file, (int) kept, file.length));
        assertEquals(507, stillFull.status(), stillFull::toString);
        assertEquals(kept, stillFull.uploadOffset());
        assertStoredPrefixIs(file, "full", kept);

        store.heal();
        long resumeAt = owner.offset("full");
        RawHttp.Response done = owner.upload("full", resumeAt, file.length, slice(file, (int) resumeAt, file.length));
        assertCompletedIdentical(done, file, "full");
        assertTrue(store.faultsInjected() >= 2);
    }

    @Test
    void articleSingleRequestHitByAFullDiskResumesFromStatusToAnIdenticalFile() throws Exception {
        serve(Map.of("upload.checkpointBytes", SMALL_CHECKPOINTS));
        byte[] file = randomBytes(3 * KB * KB + 7, 2);
        String fileId = "article-3145735-1700000000000";
        store.fillDiskAfter(1_500_000); // past the first background force (every MiB)
        RawHttp.Response full = owner.upload(fileId, 0, -1, file);
        assertEquals(507, full.status(), full::toString);
        long kept = full.uploadOffset();
        assertTrue(kept > 0 && kept <= 1_500_000, "the checkpoints before the fault are kept: " + kept);
        assertStoredPrefixIs(file, fileId, kept);

        store.heal();
        long resumeAt = owner.offset(fileId);
        assertEquals(kept, resumeAt);
        RawHttp.Response done = owner.upload(fileId, resumeAt, -1, slice(file, (int) resumeAt, file.length));
        assertCompletedIdentical(done, file, fileId);
    }

    @Test
    void ioErrorWhileWritingAnswers500WithoutInternalsKeepsThePrefixAndResumes() throws Exception {
        serve(Map.of("upload.checkpointBytes", SMALL_CHECKPOINTS));
        byte[] file = randomBytes(KB * KB, 3);
        int firstChunk = 100_000;
        assertEquals(204, owner.upload("eio", 0, file.length, slice(file, 0, firstChunk)).status());

        store.failWritesAfter(200_000);
        RawHttp.Response failed = owner.upload("eio", firstChunk, file.length, slice(file, firstChunk, file.length));
        assertEquals(500, failed.status(), failed::toString);
        long kept = failed.uploadOffset();
        assertTrue(kept >= firstChunk && kept <= firstChunk + 200_000, "offset " + kept);
        assertEquals("storage error\ncode: storage-failure\noffset: " + kept + "\n", failed.text(),
                "no cause, no stack trace");
        assertFalse(RawClient.leaksInternals(failed.text()));
        assertEquals("nosniff", failed.header("X-Content-Type-Options").orElse(""));
        assertStoredPrefixIs(file, "eio", kept);

        store.heal();
        long resumeAt = owner.offset("eio");
        assertEquals(kept, resumeAt);
        assertCompletedIdentical(owner.upload("eio", resumeAt, file.length, slice(file, (int) resumeAt, file.length)),
                file, "eio");
    }

    @Test
    void failingFsyncAnswers500AndTheLastCommittedOffsetStillHolds() throws Exception {
        serve(Map.of());
        byte[] file = randomBytes(600_000, 4);
        assertEquals(204, owner.upload("fsync", 0, file.length, slice(file, 0, 200_000)).status());

        store.failCommits();
        RawHttp.Response failed = owner.upload("fsync", 200_000, file.length, slice(file, 200_000, 400_000));
        assertEquals(500, failed.status(), failed::toString);
        assertEquals(200_000, failed.uploadOffset(), "the chunk that could not be made durable does not count");
        assertFalse(RawClient.leaksInternals(failed.text()));
        assertStoredPrefixIs(file, "fsync", 200_000);
        assertEquals(200_000, owner.offset("fsync"));

        store.heal();
        assertEquals(204, owner.upload("fsync", 200_000, file.length, slice(file, 200_000, 400_000)).status());
        assertCompletedIdentical(owner.upload("fsync", 400_000, file.length, slice(file, 400_000, file.length)),
                file, "fsync");
    }

    @Test
    void aBackgroundForceFailingOnceAnswers500WithWhatEarlierForcesMadeDurableAndResumes() throws Exception {
        serve(Map.of("upload.checkpointBytes", SMALL_CHECKPOINTS));
        byte[] file = randomBytes(KB * KB + 5, 6);
        store.failNextForce(); // the first background force of the body fails; later ones would succeed

        RawHttp.Response failed = owner.upload("force", 0, file.length, file);

        assertEquals(500, failed.status(), failed::toString);
        assertEquals(0, failed.uploadOffset(), "no byte counts after a failed force, though later ones succeed");
        assertEquals(0, owner.offset("force"));
        assertStoredPrefixIs(file, "force", 0);
        assertCompletedIdentical(owner.upload("force", 0, file.length, file), file, "force");
    }

    @Test
    void failureWhileCompletingAnswers500WithTheWholeOffsetAndTheNextRequestCompletesIdentical() throws Exception {
        serve(Map.of());
        byte[] file = randomBytes(300_000, 7);
        assertEquals(204, owner.upload("finish", 0, file.length, slice(file, 0, 100_000)).status());

        store.failCompletions();
        RawHttp.Response failed = owner.upload("finish", 100_000, file.length, slice(file, 100_000, file.length));
        assertEquals(500, failed.status(), failed::toString);
        assertEquals(file.length, failed.uploadOffset(), "every byte is stored; only the move failed");
        assertFalse(RawClient.leaksInternals(failed.text()));
        assertStoredPrefixIs(file, "finish", file.length);

        store.heal();
        assertEquals(file.length, owner.offset("finish"));
        // The client resumes at the end with nothing left to send: the upload completes.
        assertCompletedIdentical(owner.upload("finish", file.length, file.length, new byte[0]), file, "finish");
    }

    @Test
    void freeSpaceBelowTheReserveRefusesAResumeWith507BeforeWritingAndItResumesWhenSpaceIsBack() throws Exception {
        serve(Map.of("upload.diskReserve", "1M"));
        byte[] file = randomBytes(300_000, 5);
        assertEquals(204, owner.upload("reserve", 0, file.length, slice(file, 0, 100_000)).status());
        byte[] storedBefore = Files.readAllBytes(owner.partData(dir, "reserve"));

        store.reportUsableSpace(1_000_000); // under the 1 MiB reserve
        RawHttp.Response refused = owner.upload("reserve", 100_000, file.length, slice(file, 100_000, file.length));
        assertEquals(507, refused.status(), refused::toString);
        assertEquals(100_000, refused.uploadOffset());
        assertArrayEquals(storedBefore, Files.readAllBytes(owner.partData(dir, "reserve")), "not a byte written");
        assertEquals(0, store.faultsInjected(), "refused before any write reached the store");

        store.heal();
        assertCompletedIdentical(owner.upload("reserve", 100_000, file.length, slice(file, 100_000, file.length)),
                file, "reserve");
    }

    @Test
    void realDiskReserveAboveTheFreeSpaceRefusesANewUploadWith507BeforeAnythingIsWritten() throws Exception {
        try (TestServer real = TestServer.start(dir, Map.of("upload.diskReserve", "1000T"))) {
            RawClient client = RawClient.newOwner(real.port());
            RawHttp.Response refused = client.upload("reserved", 0, 5000, randomBytes(5000, 6));
            assertEquals(507, refused.status(), refused::toString);
            assertEquals("nosniff", refused.header("X-Content-Type-Options").orElse(""));
            assertEquals(0, client.offset("reserved"));
            try (Stream<Path> parts = Files.list(dir.resolve("parts"))) {
                assertEquals(List.of(), parts.toList(), "no record, no data file");
            }
        }
    }

    private void assertStoredPrefixIs(byte[] file, String clientFileId, long offset) throws IOException {
        Path part = owner.partData(dir, clientFileId);
        // Nothing stored may also mean no part at all: a start-over that never committed leaves none.
        byte[] stored = offset == 0 && !Files.exists(part) ? new byte[0] : Files.readAllBytes(part);
        assertEquals(offset, stored.length, "nothing is stored past the offset the client was told");
        assertArrayEquals(Arrays.copyOf(file, (int) offset), stored, "the stored prefix is the client's first bytes");
    }

    private void assertCompletedIdentical(RawHttp.Response done, byte[] file, String clientFileId) throws IOException {
        assertEquals(200, done.status(), done::toString);
        String sha = RawClient.sha256Hex(file);
        assertTrue(done.text().contains("\"sha256\":\"" + sha + "\""), done.text());
        assertTrue(done.text().contains("\"size\":" + file.length), done.text());
        Path completed = StoredFiles.completedFile(dir, owner.serverId(clientFileId));
        assertEquals(sha, RawClient.sha256Hex(Files.readAllBytes(completed)));
        assertFalse(Files.exists(owner.partData(dir, clientFileId)), "the part is gone");
    }

    private static byte[] slice(byte[] file, int from, int to) {
        return Arrays.copyOfRange(file, from, to);
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
