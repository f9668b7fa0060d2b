package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.tus.TusWire.OCTETS;
import static org.resumableupload.web.tus.TusWire.randomBytes;
import static org.resumableupload.web.tus.TusWire.slice;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.resumableupload.web.OpenRequest;
import org.resumableupload.web.RawHttp.Response;

/**
 * One writer per upload, over raw sockets: a PATCH cut mid-body keeps what arrived, a newer PATCH
 * takes over from a stalled one (never 423), and nobody but the owner can read, write, delete or
 * disturb an upload, however much of its URL they know.
 */
@Timeout(90)
class TusWritersIT extends TusServerSupport {
    /** Polls HEAD until the offset satisfies {@code until} or {@code millis} pass; returns the last one. */
    private static long awaitOffset(TusWire owner, String upload, LongPredicate until, long millis)
            throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long offset = owner.offset(upload);
        while (!until.test(offset) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            offset = owner.offset(upload);
        }
        return offset;
    }

    @Test
    void aPatchCutMidBodyKeepsWhatArrived() throws Exception {
        TusWire owner = newOwner();
        byte[] file = randomBytes(1000, 21);
        String upload = owner.create(1000);

        try (OpenRequest cut = owner.openPatch(upload, 0, 1000, slice(file, 0, 600))) {
            Thread.sleep(200); // let the bytes reach the server before the connection goes
        }

        assertEquals(600, awaitOffset(owner, upload, offset -> offset == 600, 10_000),
                "HEAD shows every byte that arrived before the cut");
        owner.patchOk(upload, 600, slice(file, 600, 1000));
        assertArrayEquals(file, owner.get(upload).body());
    }

    @Test
    void aNewerPatchTakesOverAStalledOneKeepingItsBytes() throws Exception {
        TusWire owner = newOwner();
        byte[] file = randomBytes(800_000, 22);
        String upload = owner.create(file.length);

        try (OpenRequest stalled = owner.openPatch(upload, 0, file.length, slice(file, 0, 400_000))) {
            Thread.sleep(300); // the stalled bytes reach the server; HEAD may count them only once it stops
            // The client resumes as tus-js-client does: HEAD, PATCH there, and on a 409 HEAD and PATCH again.
            long resumeAt = owner.offset(upload);
            Response newer = owner.patch(upload, resumeAt, slice(file, (int) resumeAt, file.length));
            if (newer.status() == 409) {
                resumeAt = owner.offset(upload);
                newer = owner.patch(upload, resumeAt, slice(file, (int) resumeAt, file.length));
            }

            assertNotEquals(423, newer.status(), "a stalled writer is taken over, not waited for");
            assertEquals(204, newer.status(), newer::toString);
            assertEquals(400_000, resumeAt, "the stalled PATCH's bytes are kept and the newer one appends after them");
            assertEquals(file.length, newer.uploadOffset());
            Response old = stalled.finalResponse(10_000);
            assertTrue(old == null || old.status() == 409, "the stalled PATCH is answered 409 or closed: " + old);
            stalled.send(slice(file, 400_000, 500_000)); // too late: nothing of it may land
        }
        assertEquals(file.length, owner.offset(upload));
        assertArrayEquals(file, owner.get(upload).body(), "no byte lost, duplicated or interleaved");
    }

    @Test
    void anotherOwnerGets404ForEveryRequestAndTheOwnersStalledWriterIsNotDisturbed() throws Exception {
        TusWire alice = newOwner();
        byte[] file = randomBytes(600_000, 23);
        String upload = alice.create(file.length, "Upload-Metadata: filename c2VjcmV0LnR4dA==");
        TusWire mallory = ownerWithCookie();
        TusWire stranger = newOwner(); // no cookie at all: a new owner on every request

        try (OpenRequest writer = alice.openPatch(upload, 0, file.length, slice(file, 0, 300_000))) {
            Thread.sleep(300); // alice's first bytes reach the server
            List<Response> refused = new ArrayList<>();
            for (TusWire other : List.of(mallory, stranger)) {
                refused.add(other.head(upload));
                refused.add(other.patch(upload, 0, new byte[10]));
                refused.add(other.patch(upload, 300_000, slice(file, 300_000, 300_010)));
                refused.add(other.send("POST", upload, new byte[10], "X-HTTP-Method-Override: PATCH", OCTETS,
                        "Upload-Offset: 300000"));
                refused.add(other.get(upload));
                refused.add(other.delete(upload));
            }
            for (Response answer : refused) {
                assertTrue(answer.status() == 404 || answer.status() == 403, answer::toString);
                assertTrue(answer.header("Upload-Offset").isEmpty(), answer::toString);
                assertTrue(answer.header("Upload-Metadata").isEmpty(), answer::toString);
                assertFalse(answer.text().contains("secret"), answer::toString);
            }

            assertTrue(writer.send(slice(file, 300_000, file.length)), "alice's connection is still open");
            Response finished = writer.finalResponse(20_000);
            assertTrue(finished != null && finished.status() == 204, "alice's PATCH completes: " + finished);
            assertEquals(file.length, finished.uploadOffset());
        }
        assertArrayEquals(file, alice.get(upload).body());
    }
}
