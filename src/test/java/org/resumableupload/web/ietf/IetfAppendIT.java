package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.web.RawHttp;
import org.resumableupload.web.RawHttp.Response;

/**
 * Upload append ({@code PATCH}): at the stored offset only (409 with the RFC 9457 problem otherwise),
 * never past or short of the upload's length (400, inconsistent length), never to a completed
 * upload; {@code Upload-Complete: ?0} never completes, an empty {@code ?1} does (and replays a
 * completion); the body is labelled {@code application/partial-upload}.
 */
@Timeout(60)
class IetfAppendIT extends IetfServerSupport {
    static final String PROBLEM_TYPES = "https://iana.org/assignments/http-problem-types";
    static final String MISMATCHING_OFFSET = PROBLEM_TYPES + "#mismatching-upload-offset";
    static final String INCONSISTENT_LENGTH = PROBLEM_TYPES + "#inconsistent-upload-length";

    /** Asserts a refusal: its status, {@code Upload-Complete: ?0}, an RFC 9457 body of {@code type}; its body. */
    static Map<String, Object> assertProblem(Response refusal, int status, String type) {
        assertEquals(status, refusal.status(), refusal::toString);
        assertEquals(Optional.of("?0"), refusal.header("Upload-Complete"), refusal::toString);
        assertTrue(refusal.header("Content-Type").orElse("").startsWith("application/problem+json"), refusal::toString);
        Map<String, Object> problem = json(refusal);
        assertEquals(type, problem.get("type"), refusal::toString);
        return problem;
    }

    @Test
    void aPatchWithPartOfTheRestAnswers204WithTheNewOffsetAndLimits() {
        IetfWire owner = newOwner();
        String upload = owner.create(1000);

        Response appended = owner.patch(upload, 0, randomBytes(400, 20), false);

        assertEquals(204, appended.status(), appended::toString);
        assertEquals(Optional.of("?0"), appended.header("Upload-Complete"));
        assertEquals(400, appended.uploadOffset());
        assertEquals(Optional.of(NEW_UPLOAD_LIMIT), appended.header("Upload-Limit"));
        assertEquals(400, owner.offset(upload));
    }

    @Test
    void aPatchAtAStaleOffsetGets409WithTheStoredOffsetAndLeavesTheUploadUntouched() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(1000, 21);
        String upload = owner.create(1000);
        assertEquals(204, owner.patch(upload, 0, slice(file, 0, 400), false).status());

        Response stale = owner.patch(upload, 100, randomBytes(50, 99), false);

        Map<String, Object> problem = assertProblem(stale, 409, MISMATCHING_OFFSET);
        assertEquals(400, stale.uploadOffset(), stale::toString);
        assertEquals(400L, problem.get("expected-offset"), stale::toString);
        assertEquals(100L, problem.get("provided-offset"), stale::toString);
        assertEquals(400, owner.offset(upload));
        assertEquals(200, owner.patch(upload, 400, slice(file, 400, 1000), true).status());
        assertArrayEquals(file, owner.download(upload), "the refused bytes changed nothing");
    }

    @Test
    void aChangedUploadLengthGets400AndStoresNothing() {
        IetfWire owner = newOwner();
        String upload = owner.create(1000);

        Response changed = owner.patch(upload, 0, randomBytes(100, 22), false, "Upload-Length: 2000");

        assertProblem(changed, 400, INCONSISTENT_LENGTH);
        Response head = owner.head(upload);
        assertEquals(0, head.uploadOffset(), head::toString);
        assertEquals(Optional.of("1000"), head.header("Upload-Length"));
    }

    @Test
    void aCompletingPatchThatEndsShortOfTheLengthGets400AndStoresNothing() {
        IetfWire owner = newOwner();
        String upload = owner.create(1000);

        Response shortOfIt = owner.patch(upload, 0, randomBytes(500, 23), true);

        assertProblem(shortOfIt, 400, INCONSISTENT_LENGTH);
        assertEquals(0, owner.offset(upload));
    }

    @ParameterizedTest(name = "Upload-Complete: ?{0}")
    @ValueSource(ints = {0, 1})
    void aBodyPastTheLengthGets400AndNotOneBytePastTheLengthIsStored(int complete) {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(1000, 24);
        String upload = owner.create(1000);

        Response past = owner.patch(upload, 0, RawHttp.concat(file, randomBytes(200, 25)), complete == 1);

        assertProblem(past, 400, INCONSISTENT_LENGTH);
        assertFinishesWithTheFile(owner, upload, file);
    }

    @ParameterizedTest(name = "Upload-Complete: ?{0}")
    @ValueSource(ints = {0, 1})
    void aChunkedBodyPastTheLengthGets400AndNotOneBytePastTheLengthIsStored(int complete) {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(1000, 26);
        String upload = owner.create(1000);

        Response past = owner.sendChunked("PATCH", upload, RawHttp.concat(file, randomBytes(200, 27)),
                IetfWire.appendHeaders(0, complete == 1));

        assertProblem(past, 400, INCONSISTENT_LENGTH);
        assertFinishesWithTheFile(owner, upload, file);
    }

    // HEAD shows at most the length; a PATCH from there completes the upload with the file's bytes alone.
    private static void assertFinishesWithTheFile(IetfWire owner, String upload, byte[] file) {
        Response head = owner.head(upload);
        long stored = head.uploadOffset();
        assertTrue(stored >= 0 && stored <= file.length, head::toString);
        assertEquals(Optional.of("?0"), head.header("Upload-Complete"), head::toString);
        Response done = owner.patch(upload, stored, slice(file, (int) stored, file.length), true);
        assertEquals(200, done.status(), done::toString);
        assertArrayEquals(file, owner.download(upload), "nothing past the length was stored");
    }

    @Test
    void aChunkedCompletingPatchCompletesAtWhereItsBodyEnds() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(5000, 28);
        String upload = IetfWire.created(owner.createIncomplete(slice(file, 0, 1000)));

        Response done = owner.sendChunked("PATCH", upload, slice(file, 1000, 5000), IetfWire.appendHeaders(1000, true));

        assertEquals(200, done.status(), done::toString);
        assertEquals(Optional.of(reprDigest(file)), done.header("Repr-Digest"));
        assertArrayEquals(file, owner.download(upload));
    }

    @ParameterizedTest(name = "Upload-Complete: ?{0}")
    @ValueSource(ints = {0, 1})
    void contentAppendedToACompletedUploadGets400AndChangesNothing(int complete) {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(300, 29);
        String upload = IetfWire.location(owner.createComplete(file));

        Response more = owner.patch(upload, 300, randomBytes(10, 30), complete == 1);

        assertProblem(more, 400, INCONSISTENT_LENGTH);
        assertArrayEquals(file, owner.download(upload));
    }

    @Test
    void anEmptyCompletingPatchOnACompletedUploadReplaysTheCompletion() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(300, 31);
        String upload = IetfWire.location(owner.createComplete(file));

        Response replay = owner.patch(upload, 300, new byte[0], true);

        assertEquals(200, replay.status(), replay::toString);
        assertEquals(Optional.of("?1"), replay.header("Upload-Complete"));
        assertEquals(300, replay.uploadOffset());
        assertEquals(Optional.of(reprDigest(file)), replay.header("Repr-Digest"));
        assertEquals(sha256Hex(file), json(replay).get("sha256"), replay::toString);
    }

    @Test
    void aPatchUpToTheLengthWithoutCompletingLeavesItIncompleteUntilAnEmptyCompletingPatch() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(100, 32);
        String upload = owner.create(100);

        Response full = owner.patch(upload, 0, file, false);
        Response head = owner.head(upload);
        Response done = owner.patch(upload, 100, new byte[0], true);

        assertEquals(204, full.status(), full::toString);
        assertEquals(Optional.of("?0"), full.header("Upload-Complete"));
        assertEquals(Optional.of("?0"), head.header("Upload-Complete"), head::toString);
        assertEquals(100, head.uploadOffset());
        assertEquals(Optional.of("100"), head.header("Upload-Length"));
        assertEquals(200, done.status(), done::toString);
        assertEquals(Optional.of("?1"), done.header("Upload-Complete"));
        assertEquals(Optional.of(reprDigest(file)), done.header("Repr-Digest"));
        assertArrayEquals(file, owner.download(upload));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Type: application/octet-stream", "Content-Type: application/offset+octet-stream",
            "X-No-Content-Type: x"})
    void aPatchNotLabelledPartialUploadGets415AndStoresNothing(String contentType) {
        IetfWire owner = newOwner();
        String upload = owner.create(100);

        Response unlabelled = owner.send("PATCH", upload, randomBytes(10, 33), contentType, "Upload-Offset: 0",
                IetfWire.INCOMPLETE);

        assertEquals(415, unlabelled.status(), unlabelled::toString);
        assertEquals(0, owner.offset(upload));
    }

    @ParameterizedTest(name = "Upload-Draft-Interop-Version: {0}")
    @ValueSource(ints = {4, 5})
    void aPatchNotLabelledPartialUploadIsAcceptedFromAClientOfInteropVersion4Or5(int version) {
        IetfWire owner = newOwner();
        String upload = owner.create(100);

        Response appended = owner.send("PATCH", upload, randomBytes(10, 34), "Upload-Offset: 0",
                IetfWire.INCOMPLETE, "Upload-Draft-Interop-Version: " + version);

        assertEquals(204, appended.status(), appended::toString);
        assertEquals(10, appended.uploadOffset());
    }
}
