package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.UploadId;

/** Closing the core stops every writer on this node; each keeps what it stored, and the store goes on. */
class ShutdownTest extends CoreTestSupport {

    @Test
    void closeStopsEveryWriterWhichKeepsWhatItWrote() throws Exception {
        UploadId first = uploadHolding(UNKNOWN, "");
        UploadId second = uploadHolding(10, "ab");
        WriteSession one = begin(ALICE, first, at(0, UNKNOWN));
        WriteSession two = begin(ALICE, second, at(2, 8));
        write(one, "abc");
        write(two, "cd");

        uploads.close();

        assertEquals(List.of(ErrorCode.SHUTTING_DOWN, ErrorCode.SHUTTING_DOWN),
                stops.stream().map(UploadException::code).toList());
        assertArrayEquals(bytes("abc"), partBytes(first));
        assertArrayEquals(bytes("abcd"), partBytes(second));
        assertEquals(3, offsetOf(first));
        refused(ErrorCode.SHUTTING_DOWN, 3, () -> write(one, "d"));
        refused(ErrorCode.SHUTTING_DOWN, 4, two::finish);
    }

    @Test
    void aWriterWithAChecksumStoppedByShutdownKeepsNoneOfItsUnverifiedBytes() throws Exception {
        UploadId id = uploadHolding(10, "ab");
        WriteSession session = begin(ALICE, id, withSha256(at(2, 3), sha256("cde")));
        write(session, "cd");

        uploads.close();

        assertEquals(OptionalLong.of(2), stops.get(0).storedOffset());
        assertArrayEquals(bytes("ab"), partBytes(id));
    }

    @Test
    void aStartOverStoppedByShutdownBeforeItsFirstCommitReplacesNothing() throws Exception {
        UploadId id = uploadHolding(5, "");
        send(id, at(0, 5), "hello");
        uploads.startOver(ALICE, id, deferred(), article(0, UNKNOWN, UNKNOWN), stops::add);

        uploads.close();

        assertEquals(OptionalLong.of(5), stops.get(0).storedOffset());
        assertEquals(Optional.empty(), store.findPart(id));
        assertArrayEquals(bytes("hello"), completedBytes(id));
    }

    @Test
    void closingTwiceOrWithNobodyWritingIsHarmlessAndTheNextStartGoesOn() throws Exception {
        UploadId id = uploadHolding(6, "abc");
        uploads.close();
        uploads.close();

        Uploads next = uploadsWith(s -> { }); // the next start, over the same store

        assertTrue(stops.isEmpty());
        assertEquals(3, next.get(ALICE, id).offset());
        assertArrayEquals(sha256("abcdef"), send(next, ALICE, id, at(3, 3), "def").completed().orElseThrow().sha256());
    }
}
