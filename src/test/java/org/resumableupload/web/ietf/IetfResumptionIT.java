package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.resumableupload.web.OpenRequest;
import org.resumableupload.web.RawHttp.Response;

/**
 * Resumption: a creation cut mid-body after its 104 keeps what arrived and is finished by a PATCH
 * from the offset HEAD reports; a PATCH that stalls mid-body is taken over by a newer PATCH of the
 * same owner (never refused as busy), and no byte is lost, duplicated or interleaved.
 */
@Timeout(90)
class IetfResumptionIT extends IetfServerSupport {

    @Test
    void aCreationCutMidBodyAfterIts104KeepsWhatArrivedAndAPatchFromThereCompletesIt() throws Exception {
        IetfWire owner = newOwner(); // its owner cookie comes with the 104, as the final answer never does
        byte[] file = randomBytes(4 * MIB, 11);
        int sent = 2 * MIB + 12_345;
        String upload;
        try (OpenRequest creation = owner.open("POST", IetfWire.BASE, IetfWire.COMPLETE, IetfWire.INTEROP,
                "Content-Length: " + file.length)) {
            Response interim = creation.next(10_000);
            assertEquals(104, interim.status(), interim::toString);
            upload = IetfWire.location(interim);
            assertTrue(interim.all("Set-Cookie").stream().anyMatch(c -> c.startsWith("upload-owner=")),
                    () -> "the 104 carries the new owner's cookie: " + interim);
            assertTrue(creation.send(slice(file, 0, sent)), "the server read the body");
            awaitBytesWritten(upload, sent);
        } // the connection is cut here, mid-body

        long stored = owner.awaitOffset(upload, offset -> offset == sent);
        Response head = owner.head(upload);
        assertTrue(stored > 0 && stored <= sent, () -> "stored " + stored + " of the " + sent + " bytes sent");
        assertEquals(sent, stored, "every byte that reached the server before the cut is kept");
        assertEquals(Optional.of("?0"), head.header("Upload-Complete"), head::toString);
        assertEquals(Optional.of(Integer.toString(file.length)), head.header("Upload-Length"),
                "a complete creation's Content-Length is the upload's length");

        Response done = owner.patch(upload, stored, slice(file, (int) stored, file.length), true);
        assertEquals(200, done.status(), done::toString);
        assertEquals(Optional.of("?1"), done.header("Upload-Complete"));
        assertEquals(file.length, done.uploadOffset());
        assertEquals(Optional.of(reprDigest(file)), done.header("Repr-Digest"));
        assertArrayEquals(file, owner.download(upload), "the bytes are the source's, byte for byte");
    }

    @Test
    void aStalledPatchIsTakenOverByANewerPatchOfTheSameOwnerWhichCompletes() throws Exception {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(800_000, 12);
        String upload = owner.create(file.length);

        try (OpenRequest stalled = owner.openPatch(upload, 0, true, file.length, slice(file, 0, 400_000))) {
            awaitBytesWritten(upload, 400_000); // then it sends nothing, its connection open
            // The client resumes as the draft says: HEAD, then PATCH there; HEAD may stop the stalled
            // request or leave that to the PATCH, which then answers 409 with the offset it kept.
            long resumeAt = owner.offset(upload);
            Response newer = owner.patch(upload, resumeAt, slice(file, (int) resumeAt, file.length), true);
            if (newer.status() == 409) {
                resumeAt = owner.offset(upload);
                newer = owner.patch(upload, resumeAt, slice(file, (int) resumeAt, file.length), true);
            }

            assertNotEquals(503, newer.status(), "a stalled writer is taken over, not waited for");
            assertEquals(200, newer.status(), newer::toString);
            assertEquals(400_000, resumeAt, "the stalled PATCH's bytes are kept and the newer one appends after them");
            assertEquals(Optional.of(reprDigest(file)), newer.header("Repr-Digest"));
            Response old = stalled.finalResponse(10_000);
            assertTrue(old == null || old.status() == 409, () -> "the stalled PATCH is answered 409 or closed: " + old);
            stalled.send(slice(file, 400_000, 500_000)); // too late: nothing of it may land
        }
        Response head = owner.head(upload);
        assertEquals(Optional.of("?1"), head.header("Upload-Complete"), head::toString);
        assertEquals(file.length, head.uploadOffset());
        assertArrayEquals(file, owner.download(upload), "no byte lost, duplicated or interleaved");
    }
}
