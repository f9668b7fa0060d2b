package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.resumableupload.web.RawHttp.Response;

/**
 * Offset retrieval ({@code HEAD}, and {@code GET} before completion): the offset, whether the upload
 * is complete, its length when known, its limits, never cached; a completed upload's {@code GET} sends
 * its bytes (ranges too); {@code OPTIONS} names the limits a new upload gets.
 */
@Timeout(60)
class IetfRetrievalIT extends IetfServerSupport {
    private static final List<String> STATE_HEADERS = List.of("Upload-Offset", "Upload-Complete", "Upload-Length",
            "Upload-Limit", "Cache-Control", "Repr-Digest");

    @Test
    void headOfAnIncompleteUploadReportsOffsetLengthLimitsAndIsNeverCached() {
        IetfWire owner = newOwner();
        String upload = IetfWire.created(owner.createIncomplete(randomBytes(300, 40), "Upload-Length: 1000"));

        Response head = owner.head(upload);

        assertEquals(204, head.status(), head::toString);
        assertEquals(300, head.uploadOffset());
        assertEquals(Optional.of("?0"), head.header("Upload-Complete"));
        assertEquals(Optional.of("1000"), head.header("Upload-Length"));
        assertEquals(Optional.of("no-store"), head.header("Cache-Control"));
        Map<String, Long> limits = limits(head);
        assertEquals(MAX_SIZE, limits.get("max-size"), head::toString);
        long maxAge = limits.get("max-age");
        assertTrue(maxAge > 0 && maxAge <= EXPIRE_AFTER.toSeconds(), head::toString);
        assertTrue(head.header("Repr-Digest").isEmpty(), "no digest before completion: " + head);
    }

    @Test
    void headOfAnUploadOfUnknownLengthHasNoUploadLength() {
        IetfWire owner = newOwner();
        String upload = IetfWire.created(owner.createIncomplete(randomBytes(10, 41)));

        Response head = owner.head(upload);

        assertEquals(10, head.uploadOffset(), head::toString);
        assertTrue(head.header("Upload-Length").isEmpty(), head::toString);
    }

    @Test
    void getBeforeCompletionAnswersAsHeadWithNoContent() {
        IetfWire owner = newOwner();
        String upload = IetfWire.created(owner.createIncomplete(randomBytes(300, 42), "Upload-Length: 1000"));

        Response head = owner.head(upload);
        Response get = owner.get(upload);

        assertEquals(204, get.status(), get::toString);
        assertEquals(0, get.body().length, get::toString);
        for (String name : STATE_HEADERS) {
            assertEquals(head.all(name), get.all(name), name);
        }
    }

    @Test
    void afterCompletionHeadSaysCompleteWithTheFullOffsetAndTheDigest() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(2000, 43);
        String upload = IetfWire.created(owner.createIncomplete(slice(file, 0, 500), "Upload-Length: 2000"));
        assertEquals(200, owner.patch(upload, 500, slice(file, 500, 2000), true).status());

        Response head = owner.head(upload);

        assertEquals(204, head.status(), head::toString);
        assertEquals(Optional.of("?1"), head.header("Upload-Complete"));
        assertEquals(2000, head.uploadOffset());
        assertEquals(Optional.of("2000"), head.header("Upload-Length"));
        assertEquals(Optional.of(reprDigest(file)), head.header("Repr-Digest"));
        assertEquals(Map.of("max-size", MAX_SIZE), limits(head), "a completed upload does not expire: no max-age");
    }

    @Test
    void getOfACompletedUploadSendsItsBytesAndRanges() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(300, 44);
        String upload = IetfWire.location(owner.createComplete(file));

        Response whole = owner.get(upload);
        Response range = owner.get(upload, "Range: bytes=10-19");

        assertEquals(200, whole.status(), whole::toString);
        assertArrayEquals(file, whole.body());
        assertEquals(Optional.of("?1"), whole.header("Upload-Complete"));
        assertEquals(Optional.of(reprDigest(file)), whole.header("Repr-Digest"));
        assertEquals(206, range.status(), range::toString);
        assertEquals(Optional.of("bytes 10-19/300"), range.header("Content-Range"));
        assertArrayEquals(slice(file, 10, 20), range.body());
    }

    @Test
    void aRangeOutsideACompletedUploadIs416AndTheUploadStillSaysItIsComplete() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(300, 45);
        String upload = IetfWire.location(owner.createComplete(file));

        Response outside = owner.get(upload, "Range: bytes=400-500");

        assertEquals(416, outside.status(), outside::toString);
        assertEquals(Optional.of("range-not-satisfiable"), outside.header("Upload-Error"), outside::toString);
        assertEquals(Optional.of("?1"), outside.header("Upload-Complete"), "only the range was wrong");
        assertEquals(Optional.of("bytes */300"), outside.header("Content-Range"), outside::toString);
    }

    @Test
    void optionsOnTheCollectionNamesTheLimitsAndAcceptPatch() {
        Response options = newOwner().options(IetfWire.BASE);

        assertEquals(204, options.status(), options::toString);
        assertEquals(Optional.of(NEW_UPLOAD_LIMIT), options.header("Upload-Limit"));
        assertEquals(Optional.of("application/partial-upload"), options.header("Accept-Patch"));
        assertTrue(options.header("Allow").orElse("").contains("POST"), options::toString);
    }

    @Test
    void optionsOnAnUploadResourceNamesItsMethodsAndTheLimits() {
        IetfWire owner = newOwner();
        String upload = owner.create(10);

        Response options = owner.options(upload);

        assertEquals(204, options.status(), options::toString);
        assertEquals(Optional.of("HEAD, GET, PATCH, DELETE, OPTIONS"), options.header("Allow"));
        assertEquals(MAX_SIZE, limits(options).get("max-size"));
        assertEquals(Optional.of("application/partial-upload"), options.header("Accept-Patch"));
    }
}
