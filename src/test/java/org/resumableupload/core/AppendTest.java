package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.UploadId;

/** Appending a body: the offset, the length rules, checksums, how a body ends. */
class AppendTest extends CoreTestSupport {

    // ---- offsets -----------------------------------------------------------------------------------

    @Test
    void aStaleOffsetIsRefusedWithTheStoredOffsetAndChangesNothing() throws Exception {
        UploadId id = uploadHolding(10, "hello");

        refused(ErrorCode.OFFSET_MISMATCH, 5, () -> begin(ALICE, id, at(3, 2)));
        refused(ErrorCode.OFFSET_MISMATCH, 5, () -> begin(ALICE, id, at(7, 3)));

        assertEquals(5, offsetOf(id));
        assertArrayEquals(bytes("hello"), partBytes(id));
        assertTrue(send(id, at(5, 5), "world").isComplete(), "the upload carries on from where it was");
    }

    @Test
    void anAppendAtZeroOnANonEmptyUploadIsRefusedNeverAWipe() throws Exception {
        UploadId id = uploadHolding(10, "hello");

        refused(ErrorCode.OFFSET_MISMATCH, 5, () -> begin(ALICE, id, at(0, 5)));

        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    // ---- declared lengths --------------------------------------------------------------------------

    @Test
    void anAppendWithoutALengthKeepsTheDeclaredOne() throws Exception {
        UploadId id = uploadHolding(6, "abc");

        WriteOutcome outcome = send(id, at(3, 3), "def");

        assertEquals(6, outcome.completed().orElseThrow().size());
    }

    @Test
    void theSameLengthAgainIsAcceptedAndADifferentOneIsRefusedChangingNothing() throws Exception {
        UploadId id = uploadHolding(10, "hello");

        refused(ErrorCode.LENGTH_MISMATCH, 5, () -> begin(ALICE, id, declaring(12, at(5, 7))));

        assertEquals(10, store.findPart(id).orElseThrow().declaredSize());
        assertArrayEquals(bytes("hello"), partBytes(id));
        assertTrue(send(id, declaring(10, at(5, 5)), "world").isComplete());
    }

    @Test
    void aDeferredLengthIsDeclaredByAnAppendAndMayNotBeBelowWhatIsStored() throws Exception {
        UploadId id = uploadHolding(UNKNOWN, "hello");

        refused(ErrorCode.LENGTH_MISMATCH, 5, () -> begin(ALICE, id, declaring(4, at(5, UNKNOWN))));
        sendCut(id, declaring(8, at(5, UNKNOWN)), "!");

        assertEquals(8, store.findPart(id).orElseThrow().declaredSize());
        assertEquals(8, uploads.get(ALICE, id).length());
        refused(ErrorCode.LENGTH_MISMATCH, 6, () -> begin(ALICE, id, declaring(9, at(6, 2))));
        assertTrue(send(id, at(6, 2), "!!").isComplete());
    }

    @Test
    void declaringADeferredLengthEqualToTheStoredBytesCompletesTheUpload() throws Exception {
        UploadId id = uploadHolding(UNKNOWN, "hello");

        WriteOutcome outcome = send(id, declaring(5, at(5, 0)), "");

        assertArrayEquals(sha256("hello"), outcome.completed().orElseThrow().sha256());
    }

    @Test
    void aDeclaredLengthAboveTheMaximumIsRefused() throws Exception {
        UploadId id = uploadHolding(UNKNOWN, "ab");

        refused(ErrorCode.TOO_LARGE, 2, () -> begin(ALICE, id, declaring(MAX_SIZE + 1, at(2, 1))));

        assertEquals(UNKNOWN, store.findPart(id).orElseThrow().declaredSize());
    }

    // ---- bodies past the length or the maximum -----------------------------------------------------

    @Test
    void aContentLengthPastTheLengthIsRefusedBeforeAnythingIsWritten() throws Exception {
        UploadId id = uploadHolding(10, "hello");

        refused(ErrorCode.PAST_LENGTH, 5, () -> begin(ALICE, id, at(5, 6)));
        refused(ErrorCode.PAST_LENGTH, 5, () -> begin(ALICE, id, declaring(10, at(5, 6))));

        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void aContentLengthAboveTheMaximumIsRefusedBeforeAnythingIsWritten() throws Exception {
        UploadId id = uploadHolding(UNKNOWN, "");

        refused(ErrorCode.TOO_LARGE, 0, () -> begin(ALICE, id, at(0, MAX_SIZE + 1)));

        assertEquals(0, offsetOf(id));
    }

    @Test
    void aBodyOfUnknownLengthGoingPastTheLengthIsRefusedAndDiscardedWhole() throws Exception {
        UploadId id = uploadHolding(10, "1234");
        WriteSession session = begin(ALICE, id, at(4, UNKNOWN));
        write(session, "5678");

        refused(ErrorCode.PAST_LENGTH, 4, () -> write(session, "9ab"));

        assertEquals(4, offsetOf(id));
        assertArrayEquals(bytes("1234"), partBytes(id));
        assertThrows(UploadException.class, session::finish, "a refused session is over");
        assertTrue(send(id, at(4, 6), "567890").isComplete(), "the lock was let go");
    }

    @Test
    void aBodyOfUnknownLengthGoingPastTheMaximumIsRefusedAndDiscarded() throws Exception {
        uploads = uploadsWith(s -> s.maxSize = 8);
        UploadId id = uploadHolding(UNKNOWN, "");
        WriteSession session = begin(ALICE, id, at(0, UNKNOWN));
        write(session, "12345");

        refused(ErrorCode.TOO_LARGE, 0, () -> write(session, "6789"));

        assertEquals(0, offsetOf(id));
    }

    @Test
    void aBodyEndingExactlyAtTheMaximumIsAccepted() throws Exception {
        uploads = uploadsWith(s -> s.maxSize = 8);
        UploadId id = uploadHolding(UNKNOWN, "");

        WriteOutcome outcome = send(id, last(0, UNKNOWN), "12345678");

        assertEquals(8, outcome.completed().orElseThrow().size());
    }

    // ---- how a body ends ---------------------------------------------------------------------------

    @Test
    void aWholeBodyOfAnUploadWithoutLengthCompletesItOnlyWhenDeclaredTheLast() throws Exception {
        UploadId open = uploadHolding(UNKNOWN, "");
        UploadId lastOne = uploadHolding(UNKNOWN, "");
        UploadId articles = uploadHolding(UNKNOWN, "");

        assertFalse(send(open, at(0, 5), "hello").isComplete(), "tus: a deferred length never completes by itself");
        assertEquals(5, send(lastOne, last(0, 5), "hello").completed().orElseThrow().size());
        assertEquals(5, send(articles, article(0, UNKNOWN, 5), "hello").completed().orElseThrow().size());
        assertEquals(5, offsetOf(open));
        assertEquals(UNKNOWN, uploads.get(ALICE, open).length());
    }

    @Test
    void anArticleBodyOfAnUploadWithALengthCompletesOnlyAtThatLength() throws Exception {
        UploadId id = uploadHolding(10, "");

        assertFalse(send(id, article(0, 10, 5), "hello").isComplete());
        assertTrue(send(id, article(5, 10, 5), "world").isComplete());
    }

    @Test
    void aLastBodyEndingShortOfTheLengthIsRefusedAndDiscarded() throws Exception {
        UploadId id = uploadHolding(10, "hello");

        WriteSession session = begin(ALICE, id, last(5, UNKNOWN));
        write(session, "wor");

        refused(ErrorCode.SHORT_OF_LENGTH, 5, session::finish);
        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void aBodyShorterThanItsContentLengthNeverCompletesAndKeepsWhatArrived() throws Exception {
        UploadId id = uploadHolding(UNKNOWN, "");

        WriteOutcome outcome = send(id, last(0, 10), "hell");

        assertFalse(outcome.isComplete());
        assertEquals(4, outcome.offset());
        assertEquals(4, offsetOf(id));
        assertEquals(Optional.empty(), store.findCompleted(id));
    }

    @Test
    void aFinishedSessionRefusesFurtherBodiesWhetherItsBodyWasWholeOrShort() throws Exception {
        UploadId whole = uploadHolding(10, "");
        UploadId shortOne = uploadHolding(10, "");
        WriteSession wholeBody = begin(ALICE, whole, at(0, 4));
        WriteSession shortBody = begin(ALICE, shortOne, at(0, 8));
        write(wholeBody, "hell");
        write(shortBody, "hell");
        assertEquals(4, wholeBody.finish().offset());
        assertEquals(4, shortBody.finish().offset(), "what arrived of a short body is kept");

        for (WriteSession ended : new WriteSession[] {wholeBody, shortBody}) {
            refused(ErrorCode.SUPERSEDED, () -> write(ended, "o"));
            refused(ErrorCode.SUPERSEDED, ended::finish);
        }

        assertArrayEquals(bytes("hell"), partBytes(shortOne));
        assertTrue(send(shortOne, at(4, 6), "o worl").isComplete(), "its lock was let go");
    }

    @Test
    void abortKeepsWhatArrivedNeverCompletesAndEndsTheSession() throws Exception {
        UploadId id = uploadHolding(7, "");
        WriteSession session = begin(ALICE, id, at(0, 7));
        write(session, "partial");

        assertEquals(7, session.abort());
        assertEquals(7, session.abort(), "safe twice");

        assertEquals(7, offsetOf(id));
        assertArrayEquals(bytes("partial"), partBytes(id));
        assertEquals(Optional.empty(), store.findCompleted(id), "even at its length: a cut body never completes");
        assertThrows(UploadException.class, () -> write(session, "x"));
    }

    // ---- a complete upload -------------------------------------------------------------------------

    @Test
    void anEmptyAppendAtTheEndOfACompleteUploadAnswersItsCompletionAgain() throws Exception {
        UploadId id = uploadHolding(5, "");
        CompletedRecord first = send(id, at(0, 5), "hello").completed().orElseThrow();

        WriteOutcome again = send(id, at(5, 0), "");

        assertEquals(5, again.offset());
        assertEquals(first, again.completed().orElseThrow());
    }

    @Test
    void bytesPastTheEndOfACompleteUploadAreRefused() throws Exception {
        UploadId id = uploadHolding(5, "");
        send(id, at(0, 5), "hello");

        refused(ErrorCode.ALREADY_COMPLETE, 5, () -> begin(ALICE, id, at(5, 3)));
        WriteSession unknownLength = begin(ALICE, id, at(5, UNKNOWN));
        refused(ErrorCode.ALREADY_COMPLETE, 5, () -> write(unknownLength, "more"));
        refused(ErrorCode.OFFSET_MISMATCH, 5, () -> begin(ALICE, id, at(3, 2)));

        assertArrayEquals(bytes("hello"), completedBytes(id));
    }

    // ---- checksums ---------------------------------------------------------------------------------

    @Test
    void aBodyWhoseChecksumDoesNotMatchIsDiscardedAndTheOffsetStays() throws Exception {
        UploadId id = uploadHolding(10, "hello");
        WriteSession session = begin(ALICE, id, withSha256(at(5, 5), sha256("WORLD")));
        write(session, "world");

        refused(ErrorCode.CHECKSUM_MISMATCH, 5, session::finish);

        assertEquals(5, offsetOf(id));
        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void aBodyWhoseChecksumMatchesCountsAndTheFileDigestStaysRight() throws Exception {
        UploadId id = uploadHolding(10, "hello");
        WriteSession bad = begin(ALICE, id, withSha256(at(5, 5), new byte[32]));
        write(bad, "wrong");
        assertThrows(UploadException.class, bad::finish);

        WriteOutcome outcome = send(id, withSha256(at(5, 5), sha256("world")), "world");

        assertArrayEquals(sha256("helloworld"), outcome.completed().orElseThrow().sha256());
        assertArrayEquals(bytes("helloworld"), completedBytes(id));
    }

    @Test
    void aCutBodyWithAChecksumKeepsNothingOfIt() throws Exception {
        UploadId id = uploadHolding(10, "hello");

        assertEquals(5, sendCut(id, withSha256(at(5, 5), sha256("world")), "wor"));

        assertEquals(5, offsetOf(id));
        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void aBodyWithAChecksumShorterThanItsContentLengthCountsNothingOfIt() throws Exception {
        UploadId id = uploadHolding(UNKNOWN, "");

        WriteOutcome outcome = send(id, withSha256(last(0, 10), sha256("hello12345")), "hell");

        assertFalse(outcome.isComplete());
        assertEquals(0, outcome.offset());
        assertEquals(0, offsetOf(id));
    }

    @Test
    void everySupportedChecksumAlgorithmIsCheckedAndOthersAreRefused() throws Exception {
        Map<String, String> jdkNames = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256");
        assertEquals(jdkNames.keySet(), BodyChecksum.ALGORITHMS);
        for (Map.Entry<String, String> algorithm : jdkNames.entrySet()) {
            byte[] right = MessageDigest.getInstance(algorithm.getValue()).digest(bytes("hello"));
            byte[] wrong = MessageDigest.getInstance(algorithm.getValue()).digest(bytes("HELLO"));
            UploadId id = uploadHolding(5, "");
            WriteSession refusedBody = begin(ALICE, id, new AppendSpec(0, 5, UNKNOWN, AppendSpec.Ending.OPEN,
                    BodyChecksum.of(algorithm.getKey().toUpperCase(Locale.ROOT), wrong)));
            write(refusedBody, "hello");
            refused(ErrorCode.CHECKSUM_MISMATCH, 0, refusedBody::finish);

            AppendSpec matching = new AppendSpec(0, 5, UNKNOWN, AppendSpec.Ending.OPEN,
                    BodyChecksum.of(algorithm.getKey(), right));
            assertTrue(send(id, matching, "hello").isComplete(), algorithm.getKey());
        }
        refused(ErrorCode.UNSUPPORTED_CHECKSUM, () -> BodyChecksum.of("crc32", new byte[4]));
        refused(ErrorCode.MALFORMED_REQUEST, () -> BodyChecksum.of("sha256", new byte[20]));
    }
}
