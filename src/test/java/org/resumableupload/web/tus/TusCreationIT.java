package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.tus.TusWire.OCTETS;
import static org.resumableupload.web.tus.TusWire.created;
import static org.resumableupload.web.tus.TusWire.randomBytes;
import static org.resumableupload.web.tus.TusWire.slice;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.resumableupload.web.RawHttp.Response;

/**
 * The creation, creation-with-upload, creation-defer-length and expiration extensions over raw
 * sockets: what a {@code POST /tus/} answers, what it refuses (creating nothing), and how a deferred
 * length is declared.
 */
@Timeout(60)
class TusCreationIT extends TusServerSupport {
    private static final byte[] NO_BODY = new byte[0];
    private static final Pattern IMF_FIXDATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} "
                    + "\\d{2}:\\d{2}:\\d{2} GMT");

    private static Response post(TusWire owner, byte[] body, String... headers) {
        return owner.send("POST", TusWire.BASE, body, headers);
    }

    /** Asserts an {@code Upload-Expires} about {@link #EXPIRE_AFTER} from now, in IMF-fixdate. */
    private static void assertExpiresInAnHour(Response answer) {
        String expires = answer.header("Upload-Expires").orElseThrow(() -> new AssertionError("no Upload-Expires: " + answer));
        assertTrue(IMF_FIXDATE.matcher(expires).matches(), "RFC 9110 IMF-fixdate: " + expires);
        Duration left = Duration.between(Instant.now(), TusDates.parse(expires));
        assertTrue(left.compareTo(EXPIRE_AFTER.minusMinutes(2)) > 0 && left.compareTo(EXPIRE_AFTER.plusMinutes(2)) < 0,
                "expires in about an hour: " + expires);
    }

    private static void assertNothingCreated(Response refused, int status) {
        assertEquals(status, refused.status(), refused::toString);
        assertTrue(refused.header("Location").isEmpty(), refused::toString);
    }

    @Test
    void aCreationAnswers201WithItsOwnUrlUnderTus() {
        TusWire owner = newOwner();

        String first = owner.create(300);
        String second = owner.create(300);

        assertNotEquals(first, second);
        assertEquals(0, owner.offset(first));
        assertEquals(Optional.of("300"), owner.head(first).header("Upload-Length"));
    }

    @Test
    void creationAndPatchAnswersCarryUploadExpiresWhileTheUploadIsUnfinished() {
        TusWire owner = newOwner();
        Response creation = post(owner, NO_BODY, "Upload-Length: 200");
        String upload = created(creation);
        assertExpiresInAnHour(creation);

        Response unfinished = owner.patch(upload, 0, new byte[100]);
        assertEquals(204, unfinished.status(), unfinished::toString);
        assertExpiresInAnHour(unfinished);

        Response finished = owner.patch(upload, 100, new byte[100]);
        assertEquals(204, finished.status(), finished::toString);
        assertTrue(finished.header("Upload-Expires").isEmpty(), "a finished upload does not expire: " + finished);
    }

    @Test
    void aLengthAboveTusMaxSizeGets413AndCreatesNothing() {
        TusWire owner = newOwner();

        assertNothingCreated(post(owner, NO_BODY, "Upload-Length: " + (MAX_SIZE + 1)), 413);
        assertNothingCreated(post(owner, NO_BODY, "Upload-Length: 99999999999999999999999"), 413);
        created(post(owner, NO_BODY, "Upload-Length: " + MAX_SIZE));
    }

    @Test
    void aCreationNeedsExactlyOneOfUploadLengthAndUploadDeferLength() {
        TusWire owner = newOwner();

        assertNothingCreated(post(owner, NO_BODY), 400);
        assertNothingCreated(post(owner, NO_BODY, "Upload-Length: 5", "Upload-Defer-Length: 1"), 400);
        assertNothingCreated(post(owner, NO_BODY, "Upload-Defer-Length: 2"), 400);
        for (String length : List.of("-1", "+5", "5.0", "0x10", "1 0")) {
            assertNothingCreated(post(owner, NO_BODY, "Upload-Length: " + length), 400);
        }
    }

    @Test
    void creationWithUploadStoresTheBytesOfTheCreationRequest() {
        TusWire owner = newOwner();
        byte[] file = randomBytes(300, 11);

        Response part = post(owner, slice(file, 0, 100), "Upload-Length: 300", OCTETS);
        String upload = created(part);
        assertEquals(100, part.uploadOffset(), part::toString);
        assertExpiresInAnHour(part);
        assertEquals(100, owner.offset(upload));
        owner.patchOk(upload, 100, slice(file, 100, 300));
        assertArrayEquals(file, owner.get(upload).body());

        Response whole = post(owner, file, "Upload-Length: 300", OCTETS);
        assertEquals(300, whole.uploadOffset(), whole::toString);
        assertArrayEquals(file, owner.get(created(whole)).body());
    }

    @Test
    void aCreationBodyOfAnotherTypeGets415RatherThanBeingDropped() {
        assertNothingCreated(post(newOwner(), new byte[10], "Upload-Length: 10",
                "Content-Type: application/octet-stream"), 415);
    }

    @Test
    void anEmptyUploadIsCompleteAtOnce() {
        TusWire owner = newOwner();
        Response creation = post(owner, NO_BODY, "Upload-Length: 0");
        String upload = created(creation);

        Response head = owner.head(upload);
        Response download = owner.get(upload);

        assertEquals(Optional.of("0"), head.header("Upload-Offset"));
        assertEquals(Optional.of("0"), head.header("Upload-Length"));
        assertTrue(creation.header("Upload-Expires").isEmpty(), "complete, so it does not expire: " + creation);
        assertEquals(200, download.status(), download::toString);
        assertEquals(0, download.body().length);
    }

    @Test
    void aDeferredLengthIsDeclaredOnALaterPatch() {
        TusWire owner = newOwner();
        byte[] file = randomBytes(300, 12);
        String upload = created(post(owner, NO_BODY, "Upload-Defer-Length: 1"));

        Response deferred = owner.head(upload);
        assertEquals(Optional.of("1"), deferred.header("Upload-Defer-Length"));
        assertTrue(deferred.header("Upload-Length").isEmpty(), deferred::toString);
        owner.patchOk(upload, 0, slice(file, 0, 100));
        assertEquals(Optional.of("1"), owner.head(upload).header("Upload-Defer-Length"));

        Response declaring = owner.patch(upload, 100, slice(file, 100, 300), "Upload-Length: 300");
        assertEquals(204, declaring.status(), declaring::toString);
        assertEquals(300, declaring.uploadOffset());

        Response declared = owner.head(upload);
        assertEquals(Optional.of("300"), declared.header("Upload-Length"));
        assertTrue(declared.header("Upload-Defer-Length").isEmpty(), declared::toString);
        assertArrayEquals(file, owner.get(upload).body());
    }

    @Test
    void aDeferredUploadIsNotCompleteUntilItsLengthIsDeclared() {
        TusWire owner = newOwner();
        byte[] file = randomBytes(50, 13);
        String upload = created(post(owner, NO_BODY, "Upload-Defer-Length: 1"));

        owner.patchOk(upload, 0, file);
        Response stillOpen = owner.get(upload);
        assertTrue(stillOpen.status() >= 400 && stillOpen.status() < 500, "not downloadable yet: " + stillOpen);
        assertEquals(Optional.of("1"), owner.head(upload).header("Upload-Defer-Length"));

        Response declaring = owner.patch(upload, 50, NO_BODY, "Upload-Length: 50");
        assertEquals(204, declaring.status(), declaring::toString);
        assertEquals(50, declaring.uploadOffset());
        assertArrayEquals(file, owner.get(upload).body());
    }

    @Test
    void aDeclaredLengthCannotFallBelowTheOffsetNorChangeOnceSet() {
        TusWire owner = newOwner();
        String upload = created(post(owner, NO_BODY, "Upload-Defer-Length: 1"));
        owner.patchOk(upload, 0, new byte[100]);

        Response belowOffset = owner.patch(upload, 100, NO_BODY, "Upload-Length: 50");
        assertEquals(400, belowOffset.status(), belowOffset::toString);
        assertEquals(Optional.of("1"), owner.head(upload).header("Upload-Defer-Length"));

        assertEquals(204, owner.patch(upload, 100, NO_BODY, "Upload-Length: 200").status());
        Response changed = owner.patch(upload, 100, new byte[10], "Upload-Length: 300");
        assertEquals(400, changed.status(), changed::toString);
        assertEquals(Optional.of("200"), owner.head(upload).header("Upload-Length"));
        assertEquals(100, owner.offset(upload));
    }

    @Test
    void metadataThatIsTooLargeOrMalformedGets400AndCreatesNothing() {
        TusWire owner = newOwner();
        String tooLarge = "k " + "QUFB".repeat(TusMetadata.DEFAULT_MAX_HEADER_CHARS / 4);

        assertNothingCreated(post(owner, NO_BODY, "Upload-Length: 5", "Upload-Metadata: " + tooLarge), 400);
        for (String metadata : List.of("name YQ==,name Yg==", "name YQ", "name YQ==,", ",", "name a b", "n\u00e4me YQ==")) {
            assertNothingCreated(post(owner, NO_BODY, "Upload-Length: 5", "Upload-Metadata: " + metadata), 400);
        }
    }
}
