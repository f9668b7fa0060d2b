package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;

/** The upload resource: creation, looking it up, completion, listing, termination. */
class UploadsTest extends CoreTestSupport {

    // ---- create ------------------------------------------------------------------------------------

    @Test
    void createMintsAFreshUnguessableIdAndStoresAnEmptyUploadWithItsNameLengthAndMetadata() throws Exception {
        Metadata metadata = Metadata.EMPTY.with("filename", "Übersicht.xlsx").with("filetype", "application/x");

        Upload created = uploads.create(ALICE, new CreateSpec(10, "Übersicht.xlsx", metadata, false));
        Upload other = uploads.create(ALICE, sized(10));

        assertNotEquals(created.id(), other.id());
        assertTrue(UploadId.isValid(created.id().value()));
        assertEquals(0, created.offset());
        assertEquals(10, created.length());
        assertFalse(created.isComplete());
        assertEquals(clock.instant(), created.createdAt());
        assertEquals(Optional.of(clock.instant().plus(Duration.ofDays(7))), created.expiresAt());
        PartRecord stored = store.findPart(created.id()).orElseThrow();
        assertEquals("Übersicht.xlsx", stored.name());
        assertEquals(ALICE.tag(), stored.ownerTag());
        assertEquals(metadata, stored.metadata());
        assertEquals(metadata, uploads.get(ALICE, created.id()).metadata());
    }

    @Test
    void anUploadOfLengthZeroIsCompleteAtOnceWithTheSha256OfNothing() throws Exception {
        Upload empty = uploads.create(ALICE, sized(0));

        assertTrue(empty.isComplete());
        assertEquals(Optional.empty(), empty.expiresAt());
        assertArrayEquals(sha256(new byte[0]), empty.completed().orElseThrow().sha256());
        assertArrayEquals(new byte[0], completedBytes(empty.id()));
        assertEquals(Optional.empty(), store.findPart(empty.id()));
    }

    @Test
    void metadataLargerThanTheLimitIsRefusedAndNothingIsCreated() throws Exception {
        Metadata atLimit = Metadata.EMPTY.with("k", "v".repeat(MAX_METADATA_BYTES - 1));
        Metadata overLimit = Metadata.EMPTY.with("k", "v".repeat(MAX_METADATA_BYTES));

        refused(ErrorCode.METADATA_TOO_LARGE, () -> uploads.create(ALICE, new CreateSpec(5, "f", overLimit, false)));

        assertTrue(store.listParts().isEmpty());
        assertEquals(atLimit, uploads.create(ALICE, new CreateSpec(5, "f", atLimit, false)).metadata());
    }

    @Test
    void aLengthAboveTheMaximumIsRefusedAndOneAtItIsAccepted() throws Exception {
        refused(ErrorCode.TOO_LARGE, () -> uploads.create(ALICE, sized(MAX_SIZE + 1)));

        assertTrue(store.listParts().isEmpty());
        assertEquals(MAX_SIZE, uploads.create(ALICE, sized(MAX_SIZE)).length());
    }

    @Test
    void aDeferredLengthIsReportedAsUnknown() throws Exception {
        Upload created = uploads.create(ALICE, deferred());

        assertEquals(UNKNOWN, created.length());
        assertEquals(UNKNOWN, uploads.get(ALICE, created.id()).length());
    }

    // ---- find, get ---------------------------------------------------------------------------------

    @Test
    void anUnknownUploadIsNotFound() throws Exception {
        UploadId never = UploadId.random();

        assertEquals(Optional.empty(), uploads.find(ALICE, never));
        refused(ErrorCode.NOT_FOUND, () -> uploads.get(ALICE, never));
        refused(ErrorCode.NOT_FOUND, () -> begin(ALICE, never, at(0, 1)));
        refused(ErrorCode.NOT_FOUND, () -> uploads.completed().open(ALICE, never));
        refused(ErrorCode.NOT_FOUND, () -> uploads.terminate(ALICE, never));
    }

    @Test
    void findAnswersTheCommittedOffsetAndExpiryCountsFromTheLastCommit() throws Exception {
        UploadId id = uploads.create(ALICE, sized(10)).id();
        clock.advance(Duration.ofHours(5));

        sendCut(id, at(0, UNKNOWN), "hello");

        Upload found = uploads.get(ALICE, id);
        assertEquals(5, found.offset());
        assertEquals(Optional.of(clock.instant().plus(Duration.ofDays(7))), found.expiresAt());
        assertEquals(clock.instant().minus(Duration.ofHours(5)), found.createdAt());
    }

    // ---- completion --------------------------------------------------------------------------------

    @Test
    void appendsCompleteTheUploadAtItsLengthWithTheSha256OfItsBytes() throws Exception {
        UploadId id = uploads.create(ALICE, sized(10)).id();
        assertFalse(send(id, at(0, 5), "hello").isComplete());

        WriteOutcome outcome = send(id, at(5, 5), "world");

        assertTrue(outcome.isComplete());
        assertEquals(10, outcome.offset());
        CompletedRecord done = outcome.completed().orElseThrow();
        assertEquals(10, done.size());
        assertArrayEquals(sha256("helloworld"), done.sha256());
        assertArrayEquals(bytes("helloworld"), completedBytes(id));
        assertEquals(Optional.empty(), store.findPart(id));
        Upload complete = uploads.get(ALICE, id);
        assertTrue(complete.isComplete());
        assertEquals(10, complete.offset());
        assertEquals(Optional.empty(), complete.expiresAt());
    }

    @Test
    void theCompletedSha256IsTheSha256OfTheStoredFileAcrossManyWritesAndRequests() throws Exception {
        byte[] data = new byte[200_000];
        new java.util.Random(42).nextBytes(data);
        UploadId id = uploads.create(ALICE, sized(data.length)).id();
        WriteSession first = begin(ALICE, id, at(0, UNKNOWN));
        first.write(data, 0, 70_001);
        first.abort();
        WriteSession second = begin(ALICE, id, at(70_001, UNKNOWN));
        for (int at = 70_001; at < data.length; at += 4096) {
            second.write(data, at, Math.min(4096, data.length - at));
        }

        CompletedRecord done = second.finish().completed().orElseThrow();

        byte[] stored = completedBytes(id);
        assertArrayEquals(data, stored);
        assertArrayEquals(sha256(stored), done.sha256());
    }

    @Test
    void metadataAndNameCarryOverToTheCompletedUpload() throws Exception {
        Metadata metadata = Metadata.EMPTY.with("filename", "a.txt");
        UploadId id = uploads.create(ALICE, new CreateSpec(3, "a.txt", metadata, false)).id();

        CompletedRecord done = send(id, at(0, 3), "abc").completed().orElseThrow();

        assertEquals("a.txt", done.name());
        assertEquals(metadata, done.metadata());
        assertEquals(metadata, uploads.get(ALICE, id).metadata());
    }

    // ---- listing -----------------------------------------------------------------------------------

    @Test
    void completedUploadsAreListedNewestFirstWithoutPartialUploads() throws Exception {
        UploadId older = uploads.create(ALICE, sized(1)).id();
        UploadId newer = uploads.create(ALICE, sized(1)).id();
        UploadId part = uploads.create(ALICE, new CreateSpec(1, "p", Metadata.EMPTY, true)).id();
        send(older, at(0, 1), "1");
        clock.advance(Duration.ofMinutes(1));
        send(newer, at(0, 1), "2");
        send(part, at(0, 1), "3");

        assertEquals(List.of(newer, older), uploads.completed().of(ALICE).stream().map(CompletedRecord::id).toList());
        assertEquals(clock.instant(), uploads.get(ALICE, newer).completed().orElseThrow().completedAt());
        assertTrue(uploads.completed().of(BOB).isEmpty());
    }

    @Test
    void openCompletedOfAnUploadThatIsNotCompleteIsNotFound() throws Exception {
        UploadId id = uploadHolding(10, "abc");

        refused(ErrorCode.NOT_FOUND, () -> uploads.completed().open(ALICE, id));
    }

    // ---- terminate ---------------------------------------------------------------------------------

    @Test
    void terminateDeletesAPartAndACompletedUpload() throws Exception {
        UploadId part = uploadHolding(10, "abc");
        UploadId done = uploads.create(ALICE, sized(2)).id();
        send(done, at(0, 2), "ok");

        uploads.terminate(ALICE, part);
        uploads.terminate(ALICE, done);

        assertEquals(Optional.empty(), uploads.find(ALICE, part));
        assertEquals(Optional.empty(), uploads.find(ALICE, done));
        assertTrue(store.listParts().isEmpty());
        assertTrue(uploads.completed().of(ALICE).isEmpty());
        refused(ErrorCode.NOT_FOUND, () -> begin(ALICE, part, at(3, 1)));
    }

    @Test
    void terminateStopsTheRunningWriterWhichIsToldSuperseded() throws Exception {
        UploadId id = uploadHolding(10, "ab");
        WriteSession writing = begin(ALICE, id, at(2, UNKNOWN));
        write(writing, "cd");

        uploads.terminate(ALICE, id);

        assertEquals(List.of(ErrorCode.SUPERSEDED), stops.stream().map(UploadException::code).toList());
        assertEquals(Optional.empty(), uploads.find(ALICE, id));
        refused(ErrorCode.SUPERSEDED, () -> write(writing, "ef"));
        assertEquals(Optional.empty(), store.findPart(id), "the stopped writer wrote nothing back");
    }

    @Test
    void ownersNeverSeeEachOthersUploads() throws Exception {
        UploadId alices = uploads.create(ALICE, sized(6)).id();
        send(alices, at(0, 6), "secret");
        UploadId alicesPart = uploadHolding(10, "partial");

        for (UploadId id : List.of(alices, alicesPart)) {
            assertEquals(Optional.empty(), uploads.find(BOB, id));
            refused(ErrorCode.NOT_FOUND, () -> uploads.get(BOB, id));
            refused(ErrorCode.NOT_FOUND, () -> uploads.completed().open(BOB, id));
            refused(ErrorCode.NOT_FOUND, () -> uploads.terminate(BOB, id));
        }

        assertTrue(uploads.completed().of(BOB).isEmpty());
        assertEquals(1, uploads.completed().of(ALICE).size());
        assertArrayEquals(bytes("secret"), completedBytes(alices));
        assertArrayEquals(bytes("partial"), partBytes(alicesPart));
    }

    @Test
    void theSameOwnerNamedTwiceIsOneOwner() throws Exception {
        UploadId id = uploads.create(Owner.token("alice-token"), sized(3)).id();

        assertEquals(3, uploads.get(ALICE, id).length());
        assertTrue(uploads.find(Owner.user("alice-token"), id).isEmpty(), "a user and a token never coincide");
    }
}
