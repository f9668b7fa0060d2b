package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.UploadId;

/** Housekeeping: idle writers are stopped (keeping their bytes), incomplete uploads untouched too long deleted. */
class SweepTest extends CoreTestSupport {

    /** Sweeps until a stop was reported: one nanosecond of idleness is enough, and nanoTime moves on. */
    private void sweepUntilStopped(Uploads on) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (stops.isEmpty() && System.nanoTime() < deadline) {
            on.sweep();
        }
    }

    @Test
    void theSweepStopsWritersIdleLongerThanTheIdleTimeoutKeepingTheirBytes() throws Exception {
        uploads = uploadsWith(s -> s.idleTimeout = Duration.ofNanos(1));
        UploadId id = uploadHolding(UNKNOWN, "");
        WriteSession session = begin(ALICE, id, at(0, UNKNOWN));
        write(session, "1234");

        sweepUntilStopped(uploads);

        assertEquals(1, stops.size());
        assertEquals(ErrorCode.IDLE_TIMEOUT, stops.get(0).code());
        assertEquals(OptionalLong.of(4), stops.get(0).storedOffset());
        assertEquals(4, offsetOf(id));
        refused(ErrorCode.IDLE_TIMEOUT, 4, () -> write(session, "5"));
        assertTrue(send(id, last(4, 1), "5").isComplete(), "the stopped writer let the lock go");
    }

    @Test
    void theSweepLeavesAWriterWithinItsIdleTimeoutAlone() throws Exception {
        UploadId id = uploadHolding(UNKNOWN, "");
        WriteSession session = begin(ALICE, id, at(0, UNKNOWN));
        write(session, "12");

        uploads.sweep();

        assertTrue(stops.isEmpty());
        write(session, "34");
        assertEquals(4, session.finish().offset());
    }

    @Test
    void theSweepDeletesIncompleteUploadsUntouchedForLongerThanTheExpiryAgeAndNothingElse() throws Exception {
        uploads = uploadsWith(s -> s.expireAfter = Duration.ofDays(1));
        UploadId stale = uploadHolding(UNKNOWN, "old bytes");
        UploadId active = uploadHolding(UNKNOWN, "still ");
        UploadId done = uploadHolding(4, "");
        send(done, at(0, 4), "kept");
        UploadId unusedPartial = uploads.create(ALICE, new CreateSpec(1, "p", Metadata.EMPTY, true)).id();
        send(unusedPartial, at(0, 1), "p");

        assertEquals(0, uploads.sweep());
        clock.advance(Duration.ofDays(2));
        UploadId fresh = uploadHolding(UNKNOWN, "new");
        WriteSession writing = begin(ALICE, active, at(6, UNKNOWN));

        assertEquals(1, uploads.sweep());

        assertEquals(Optional.empty(), uploads.find(ALICE, stale));
        assertEquals(Optional.empty(), store.findPart(stale));
        assertTrue(store.findPart(active).isPresent(), "an upload being written is not expired");
        assertEquals(3, offsetOf(fresh));
        assertArrayEquals(bytes("kept"), completedBytes(done), "complete uploads are kept");
        assertTrue(uploads.find(ALICE, unusedPartial).isPresent(), "a complete partial upload too");
        write(writing, "fine");
        assertEquals(10, writing.finish().offset());
    }

    @Test
    void expiryCountsFromTheLastCommit() throws Exception {
        uploads = uploadsWith(s -> s.expireAfter = Duration.ofDays(1));
        UploadId id = uploadHolding(UNKNOWN, "abc");
        clock.advance(Duration.ofHours(20));
        sendCut(id, at(3, UNKNOWN), "def");
        clock.advance(Duration.ofHours(20));

        assertEquals(0, uploads.sweep(), "touched 20 hours ago: 40 hours after creation, not expired");

        assertEquals(6, offsetOf(id));
        assertEquals(Optional.of(clock.instant().plus(Duration.ofHours(4))), uploads.get(ALICE, id).expiresAt());
    }

    @Test
    void anExpiredUploadIsGoneAndItsIdCanBeStartedOverAgain() throws Exception {
        uploads = uploadsWith(s -> s.expireAfter = Duration.ofDays(1));
        UploadId id = UploadId.random();
        WriteSession first = uploads.startOver(ALICE, id, deferred(), article(0, UNKNOWN, UNKNOWN), stops::add);
        write(first, "old");
        first.abort();
        clock.advance(Duration.ofDays(2));
        uploads.sweep();

        refused(ErrorCode.NOT_FOUND, () -> begin(ALICE, id, article(3, UNKNOWN, 1)));
        WriteSession again = uploads.startOver(ALICE, id, deferred(), article(0, UNKNOWN, 3), stops::add);
        write(again, "new");

        assertTrue(again.finish().isComplete());
        assertArrayEquals(bytes("new"), completedBytes(id));
    }
}
