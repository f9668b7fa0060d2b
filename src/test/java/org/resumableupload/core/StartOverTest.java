package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;

/**
 * The article's start-over (a POST at byte 0 or without a start byte): the body becomes the upload from
 * byte 0, replacing what is stored only at its first commit, so a start-over refused before that
 * leaves the upload exactly as it was.
 */
class StartOverTest extends CoreTestSupport {
    private final UploadId id = UploadId.random(); // the article derives it from the owner's X-File-Id

    private WriteSession startOver(Owner owner, long declaredSize, long contentLength, String name)
            throws UploadException {
        return uploads.startOver(owner, id, new CreateSpec(declaredSize, name, Metadata.EMPTY, false),
                article(0, declaredSize, contentLength), stops::add);
    }

    private WriteSession startOver(long declaredSize, long contentLength) throws UploadException {
        return startOver(ALICE, declaredSize, contentLength, "file.bin");
    }

    private WriteSession startOverWithSha256(long declaredSize, long contentLength, byte[] expected)
            throws UploadException {
        return uploads.startOver(ALICE, id, sized(declaredSize),
                withSha256(article(0, declaredSize, contentLength), expected), stops::add);
    }

    private WriteOutcome sendStartOver(long declaredSize, long contentLength, String body) throws UploadException {
        WriteSession session = startOver(declaredSize, contentLength);
        write(session, body);
        return session.finish();
    }

    private long cutStartOver(long declaredSize, String body) throws UploadException {
        WriteSession session = startOver(declaredSize, UNKNOWN);
        write(session, body);
        return session.abort();
    }

    @Test
    void aStartOverOfANewIdCreatesTheUploadWithThatIdAndTheRequestsName() throws Exception {
        WriteSession session = startOver(ALICE, 10, 5, "Übersicht.xlsx");
        write(session, "hello");

        WriteOutcome outcome = session.finish();

        assertEquals(5, outcome.offset());
        assertFalse(outcome.isComplete());
        assertEquals(5, offsetOf(id));
        assertArrayEquals(bytes("hello"), partBytes(id));
        PartRecord part = store.findPart(id).orElseThrow();
        assertEquals("Übersicht.xlsx", part.name());
        assertEquals(ALICE.tag(), part.ownerTag());
        assertEquals(10, part.declaredSize());
    }

    @Test
    void aStartOverThrowsAwayWhatWasStoredBefore() throws Exception {
        cutStartOver(UNKNOWN, "old old old");

        sendStartOver(20, 3, "new");

        assertEquals(3, offsetOf(id));
        assertArrayEquals(bytes("new"), partBytes(id));
        assertEquals(20, uploads.get(ALICE, id).length());
    }

    @Test
    void withoutADeclaredSizeAWholeBodyCompletesTheUploadAtItsLength() throws Exception {
        CompletedRecord done = sendStartOver(UNKNOWN, 11, "hello world").completed().orElseThrow();

        assertEquals(11, done.size());
        assertArrayEquals(sha256("hello world"), done.sha256());
        assertEquals(List.of(id), uploads.completed().of(ALICE).stream().map(CompletedRecord::id).toList());
    }

    @Test
    void aRefusedStartOverReportsTheOffsetThatIsStillStoredAndChangesNothing() throws Exception {
        cutStartOver(10, "hello");

        refused(ErrorCode.TOO_LARGE, 5, () -> startOver(MAX_SIZE + 1, 1));
        refused(ErrorCode.TOO_LARGE, 5, () -> startOver(UNKNOWN, MAX_SIZE + 1));
        refused(ErrorCode.PAST_LENGTH, 5, () -> startOver(4, 5));

        assertArrayEquals(bytes("hello"), partBytes(id));
        assertEquals(10, store.findPart(id).orElseThrow().declaredSize());
    }

    @Test
    void aStartOverRefusedBeforeItsBodyOfANewIdStoresNothing() throws Exception {
        refused(ErrorCode.TOO_LARGE, 0, () -> startOver(MAX_SIZE + 1, 10));
        refused(ErrorCode.PAST_LENGTH, 0, () -> startOver(10, 11));

        assertEquals(Optional.empty(), store.findPart(id));
        assertEquals(Optional.empty(), uploads.find(ALICE, id));
    }

    @Test
    void aStartOverOfANewIdRefusedMidBodyLeavesNothing() throws Exception {
        WriteSession session = startOver(10, UNKNOWN);
        write(session, "123456");

        refused(ErrorCode.PAST_LENGTH, 0, () -> write(session, "789012"));

        assertEquals(Optional.empty(), store.findPart(id), "the refused start-over left nothing");
        assertThrows(UploadException.class, session::finish, "a refused session is over");
    }

    @Test
    void aStartOverRefusedMidBodyLeavesTheEarlierPartAndItsBytes() throws Exception {
        cutStartOver(UNKNOWN, "hello ");
        WriteSession session = startOver(3, UNKNOWN);

        refused(ErrorCode.PAST_LENGTH, 6, () -> write(session, "too long"));

        assertEquals(6, offsetOf(id));
        assertArrayEquals(bytes("hello "), partBytes(id));
        WriteOutcome resumed = send(id, article(6, UNKNOWN, 5), "world");
        assertArrayEquals(sha256("hello world"), resumed.completed().orElseThrow().sha256());
    }

    @Test
    void aStartOverReplacesThePartOnlyAtItsFirstCheckpoint() throws Exception {
        uploads = uploadsWith(s -> s.checkpointBytes = 4);
        cutStartOver(UNKNOWN, "old bytes");
        WriteSession session = startOver(10, 10);

        write(session, "123");
        assertArrayEquals(bytes("old bytes"), partBytes(id), "not replaced before its first commit");
        write(session, "456");
        assertEquals(6, store.findPart(id).orElseThrow().offset());
        assertArrayEquals(bytes("123456"), partBytes(id));
        write(session, "7890");

        assertTrue(session.finish().isComplete());
        assertArrayEquals(bytes("1234567890"), completedBytes(id));
    }

    // ---- over a completed upload -------------------------------------------------------------------

    @Test
    void startingOverACompletedUploadKeepsTheOldFileUntilTheNewOneCompletes() throws Exception {
        sendStartOver(UNKNOWN, 5, "first");

        cutStartOver(UNKNOWN, "sec");

        assertEquals(3, offsetOf(id), "a cut body keeps what arrived, as every body does");
        assertArrayEquals(bytes("first"), completedBytes(id));
        send(id, article(3, UNKNOWN, 3), "ond");
        assertArrayEquals(bytes("second"), completedBytes(id));
        assertEquals(1, uploads.completed().of(ALICE).size());
    }

    @Test
    void aStartOverWithAWrongChecksumOnACompletedUploadLeavesItCompleteAndItsSizeAnswered() throws Exception {
        sendStartOver(UNKNOWN, 5, "hello");
        WriteSession session = startOverWithSha256(UNKNOWN, 5, sha256("other"));
        write(session, "HELLO");

        refused(ErrorCode.CHECKSUM_MISMATCH, 5, session::finish);

        assertEquals(5, offsetOf(id));
        assertEquals(Optional.empty(), store.findPart(id));
        assertArrayEquals(bytes("hello"), completedBytes(id));
        WriteOutcome finalEmptyPost = send(id, article(5, UNKNOWN, 0), "");
        assertEquals(5, finalEmptyPost.completed().orElseThrow().size(), "the article client's last POST completes");
    }

    @Test
    void aStartOverTakenOverBeforeItWroteAByteReplacesNothing() throws Exception {
        sendStartOver(UNKNOWN, 5, "hello");
        startOver(UNKNOWN, UNKNOWN);

        WriteOutcome again = send(id, article(5, UNKNOWN, 0), "");

        assertEquals(1, stops.size());
        assertEquals(ErrorCode.SUPERSEDED, stops.get(0).code());
        assertEquals(OptionalLong.of(5), stops.get(0).storedOffset(), "told what is stored, not the start-over's 0");
        assertEquals(5, again.completed().orElseThrow().size());
        assertEquals(Optional.empty(), store.findPart(id));
    }

    @Test
    void aStartOverCutAfterItsFirstBytesReplacesTheCompletedUploadsPartWithWhatArrived() throws Exception {
        sendStartOver(UNKNOWN, 5, "hello");

        assertEquals(3, cutStartOver(UNKNOWN, "new"));

        assertEquals(3, offsetOf(id));
        assertArrayEquals(bytes("new"), partBytes(id));
    }

    // ---- owners ------------------------------------------------------------------------------------

    @Test
    void anOwnerHoldingAnotherOwnersIdCannotStartItOverNorDisturbItsWriter() throws Exception {
        cutStartOver(UNKNOWN, "partial");
        WriteSession alices = startOver(20, UNKNOWN);
        write(alices, "still mine");

        refused(ErrorCode.NOT_FOUND, () -> startOver(BOB, UNKNOWN, 5, "x"));

        assertTrue(stops.isEmpty(), "Alice's writer was not asked to stop");
        write(alices, "!");
        assertEquals(11, alices.finish().offset());
        assertArrayEquals(bytes("still mine!"), partBytes(id));
    }

    @Test
    void anOwnerHoldingAnotherOwnersCompletedIdCannotStartItOver() throws Exception {
        sendStartOver(UNKNOWN, 4, "done");

        refused(ErrorCode.NOT_FOUND, () -> startOver(BOB, UNKNOWN, 5, "x"));

        assertEquals(ALICE.tag(), store.findCompleted(id).orElseThrow().ownerTag());
        assertArrayEquals(bytes("done"), completedBytes(id));
        assertEquals(Optional.empty(), store.findPart(id));
    }
}
