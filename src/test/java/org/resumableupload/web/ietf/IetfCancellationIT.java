package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.resumableupload.web.OpenRequest;
import org.resumableupload.web.RawHttp.Response;

/** Upload cancellation ({@code DELETE}): 204, then the upload is gone for every method; a running PATCH is stopped. */
@Timeout(60)
class IetfCancellationIT extends IetfServerSupport {

    private static void assertGone(IetfWire owner, String upload) {
        List<Response> answers = List.of(owner.head(upload), owner.get(upload),
                owner.patch(upload, 0, new byte[10], false), owner.delete(upload));
        for (Response answer : answers) {
            assertEquals(404, answer.status(), answer::toString);
        }
    }

    @Test
    void deletingAnIncompleteUploadAnswers204AndThenItIs404() {
        IetfWire owner = newOwner();
        String upload = IetfWire.created(owner.createIncomplete(randomBytes(100, 60), "Upload-Length: 1000"));

        Response deleted = owner.delete(upload);

        assertEquals(204, deleted.status(), deleted::toString);
        assertGone(owner, upload);
    }

    @Test
    void deletingACompletedUploadAnswers204AndThenItIs404() {
        IetfWire owner = newOwner();
        String upload = IetfWire.location(owner.createComplete(randomBytes(100, 61)));

        Response deleted = owner.delete(upload);

        assertEquals(204, deleted.status(), deleted::toString);
        assertGone(owner, upload);
    }

    @Test
    void deletingDuringARunningPatchStopsThatPatch() throws Exception {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(600_000, 62);
        String upload = owner.create(file.length);

        try (OpenRequest running = owner.openPatch(upload, 0, true, file.length, slice(file, 0, 300_000))) {
            awaitBytesWritten(upload, 300_000);

            Response deleted = owner.delete(upload);

            assertEquals(204, deleted.status(), deleted::toString);
            Response stopped = running.finalResponse(10_000); // answered (or closed), not left waiting
            assertTrue(stopped == null || stopped.status() >= 400, () -> "the stopped PATCH succeeded: " + stopped);
            running.send(slice(file, 300_000, file.length)); // too late: nothing of it may land
        }
        assertGone(owner, upload);
    }
}
