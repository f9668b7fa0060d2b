package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.UploadId;

/**
 * Completion that the client says, not the length (the IETF draft's {@code Upload-Complete}): a body
 * marked "more follows" never completes an upload, even at its length; a body marked "the rest" must
 * end exactly there.
 */
class CompletionTest extends CoreTestSupport {

    static AppendSpec notLast(long offset, long contentLength) {
        return new AppendSpec(offset, contentLength, UNKNOWN, AppendSpec.Ending.NOT_LAST, null);
    }

    @Test
    void aBodyMarkedMoreFollowsLeavesTheUploadIncompleteEvenAtItsLength() throws Exception {
        UploadId id = uploadHolding(10, "");

        WriteOutcome outcome = send(id, notLast(0, 10), "helloworld");

        assertFalse(outcome.isComplete());
        assertEquals(10, outcome.offset());
        assertEquals(Optional.empty(), store.findCompleted(id));
        assertFalse(uploads.get(ALICE, id).isComplete());
    }

    @Test
    void anEmptyLastBodyCompletesAnUploadThatHoldsAllItsBytes() throws Exception {
        UploadId id = uploadHolding(10, "");
        send(id, notLast(0, 10), "helloworld");

        WriteOutcome outcome = send(id, last(10, 0), "");

        assertTrue(outcome.isComplete());
        assertEquals(10, outcome.completed().orElseThrow().size());
        assertArrayEquals(sha256("helloworld"), outcome.completed().orElseThrow().sha256());
    }

    @Test
    void aLastBodyWhoseContentLengthEndsShortOfTheLengthIsRefusedBeforeItIsRead() throws Exception {
        UploadId id = uploadHolding(10, "hello");

        refused(ErrorCode.SHORT_OF_LENGTH, 5, () -> begin(ALICE, id, last(5, 3)));

        assertEquals(5, offsetOf(id));
        assertArrayEquals(bytes("hello"), partBytes(id));
        assertTrue(send(id, last(5, 5), "world").isComplete(), "the upload is as it was");
    }

    @Test
    void aLastBodyOfAnUploadWithoutALengthGivesItTheLengthWhereItEnds() throws Exception {
        UploadId id = uploadHolding(UNKNOWN, "");
        send(id, notLast(0, 5), "hello");

        WriteOutcome outcome = send(id, last(5, 3), "abc");

        assertEquals(8, outcome.completed().orElseThrow().size());
    }
}
