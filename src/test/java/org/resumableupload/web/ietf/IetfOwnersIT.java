package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.resumableupload.web.OpenRequest;
import org.resumableupload.web.RawHttp.Response;

/**
 * Owners: an upload resource is its owner's alone. Another owner (another {@code upload-owner}
 * cookie, or none) gets 404 for every method, learns nothing of it, and changes nothing.
 */
@Timeout(60)
class IetfOwnersIT extends IetfServerSupport {

    private List<Response> everyMethodOf(IetfWire other, String upload, long offset) {
        List<Response> answers = new ArrayList<>();
        answers.add(other.head(upload));
        answers.add(other.get(upload));
        answers.add(other.patch(upload, offset, randomBytes(10, 80), false));
        answers.add(other.patch(upload, offset, new byte[0], true));
        answers.add(other.delete(upload));
        return answers;
    }

    private static void assertNotFound(List<Response> answers) {
        for (Response answer : answers) {
            assertEquals(404, answer.status(), answer::toString);
            assertTrue(answer.header("Upload-Offset").isEmpty(), answer::toString);
            assertTrue(answer.header("Upload-Length").isEmpty(), answer::toString);
            assertTrue(answer.header("Repr-Digest").isEmpty(), answer::toString);
        }
    }

    @Test
    void anotherOwnerGets404ForEveryMethodOnAnIncompleteUploadWhichIsUnchanged() {
        IetfWire alice = newOwner();
        byte[] file = randomBytes(1000, 81);
        String upload = IetfWire.created(alice.createIncomplete(slice(file, 0, 300), "Upload-Length: 1000"));

        assertNotFound(everyMethodOf(ownerWithCookie(), upload, 300));
        assertNotFound(everyMethodOf(withoutCookie(), upload, 300));

        assertEquals(300, alice.offset(upload), "the upload is unchanged");
        assertEquals(200, alice.patch(upload, 300, slice(file, 300, 1000), true).status());
        assertArrayEquals(file, alice.download(upload));
    }

    @Test
    void anotherOwnerGets404ForEveryMethodOnACompletedUploadAndNeverItsBytes() {
        IetfWire alice = newOwner();
        byte[] file = randomBytes(1000, 82);
        String upload = IetfWire.location(alice.createComplete(file));

        List<Response> answers = new ArrayList<>(everyMethodOf(ownerWithCookie(), upload, 1000));
        answers.addAll(everyMethodOf(withoutCookie(), upload, 1000));

        assertNotFound(answers);
        for (Response answer : answers) {
            assertTrue(answer.body().length < file.length, answer::toString);
        }
        assertArrayEquals(file, alice.download(upload), "the upload is unchanged");
    }

    @Test
    void anotherOwnersRequestsDoNotDisturbTheOwnersRunningPatch() throws Exception {
        IetfWire alice = newOwner();
        byte[] file = randomBytes(600_000, 83);
        String upload = alice.create(file.length);

        try (OpenRequest writer = alice.openPatch(upload, 0, true, file.length, slice(file, 0, 300_000))) {
            awaitBytesWritten(upload, 300_000);
            assertNotFound(everyMethodOf(ownerWithCookie(), upload, 0));
            assertNotFound(everyMethodOf(withoutCookie(), upload, 0));

            assertTrue(writer.send(slice(file, 300_000, file.length)), "alice's connection is still open");
            Response finished = writer.finalResponse(20_000);
            assertTrue(finished != null && finished.status() == 200, () -> "alice's PATCH completes: " + finished);
        }
        assertArrayEquals(file, alice.download(upload));
    }
}
