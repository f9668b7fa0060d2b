package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.web.OpenRequest;
import org.resumableupload.web.RawHttp.Response;
import org.resumableupload.web.TestServer;

/**
 * The maximum upload size ({@code Upload-Limit: max-size}): a creation or append that declares more
 * is refused with 413 and the limits before its body is read, storing nothing; a body of unknown
 * length is stopped at the maximum, not one byte past it.
 */
@Timeout(60)
class IetfLimitsIT extends IetfServerSupport {
    private static final long OVER_MAX = MAX_SIZE + 1;

    private static void assertTooLarge(Response refusal, String limits) {
        assertEquals(413, refusal.status(), refusal::toString);
        assertEquals(Optional.of("?0"), refusal.header("Upload-Complete"), refusal::toString);
        assertEquals(Optional.of(limits), refusal.header("Upload-Limit"), refusal::toString);
    }

    @Test
    void aCreationDeclaringALengthOverTheMaximumGets413WithTheLimitsAndStoresNothing() throws IOException {
        IetfWire owner = newOwner();
        List<Path> before = stored(storage);

        Response refused = owner.createIncomplete(new byte[0], "Upload-Length: " + OVER_MAX);

        assertTooLarge(refused, NEW_UPLOAD_LIMIT);
        assertTrue(refused.header("Location").isEmpty(), "no upload was created: " + refused);
        assertEquals(before, stored(storage), "nothing stored");
    }

    @Test
    void aCompleteCreationWhoseContentLengthIsOverTheMaximumIsRefusedBeforeItsBodyAndGetsNo104() throws IOException {
        IetfWire owner = ownerWithCookie();
        List<Path> before = stored(storage);
        try (OpenRequest creation = owner.open("POST", IetfWire.BASE, IetfWire.COMPLETE, IetfWire.INTEROP,
                "Content-Length: " + OVER_MAX)) {

            Response first = creation.next(10_000); // not a byte of the body sent

            assertTooLarge(first, NEW_UPLOAD_LIMIT);
            assertTrue(first.header("Location").isEmpty(), "no upload was created: " + first);
        }
        assertEquals(before, stored(storage), "nothing stored");
    }

    @Test
    void aCreationOfMoreToComeWhoseContentLengthIsOverTheMaximumIsRefusedBeforeAnythingIsCreated() throws IOException {
        IetfWire owner = ownerWithCookie();
        List<Path> before = stored(storage);
        try (OpenRequest creation = owner.open("POST", IetfWire.BASE, "Upload-Complete: ?0", IetfWire.INTEROP,
                "Content-Length: " + OVER_MAX)) {

            Response first = creation.next(10_000); // no Upload-Length: only the body's length says it

            assertTooLarge(first, NEW_UPLOAD_LIMIT);
            assertTrue(first.header("Location").isEmpty(), "no upload was created: " + first);
        }
        assertEquals(before, stored(storage), "nothing stored, not even an empty upload");
    }

    @Test
    void aRefusalAfterThe104NamesTheSameUploadSoItCanBeResumed(@TempDir Path fullStorage) throws Exception {
        // No space above the reserve: the creation is made and announced, its body then refused (507).
        try (TestServer full = TestServer.start(fullStorage, Map.of("upload.diskReserve", "1000T"))) {
            IetfWire owner = IetfWire.newOwner(full.port());
            try (OpenRequest creation = owner.open("POST", IetfWire.BASE, "Upload-Complete: ?0", IetfWire.INTEROP,
                    "Content-Length: 1000")) {
                Response interim = creation.next(10_000);
                assertEquals(104, interim.status(), interim::toString);
                // The client sends its body, as after any 104; the server drains it (a small body), then refuses.
                // Unsent, the refusal would wait for the drain's deadline (Refusals.DRAIN_DEADLINE, 10 s).
                creation.send(randomBytes(1000, 53));

                Response refused = creation.finalResponse(10_000);

                assertEquals(507, refused.status(), refused::toString);
                assertEquals(interim.header("Location"), refused.header("Location"), refused::toString);
                assertEquals(Optional.of("?0"), refused.header("Upload-Complete"), refused::toString);
            }
        }
    }

    @Test
    void anAppendWhoseContentLengthWouldPassTheMaximumIsRefusedBeforeItsBody() throws IOException {
        IetfWire owner = newOwner();
        String upload = IetfWire.created(owner.createIncomplete(randomBytes(10, 50))); // length unknown
        try (OpenRequest append = owner.open("PATCH", upload, IetfWire.appendHeaders(10, false,
                "Content-Length: " + (OVER_MAX - 10 + 1)))) {

            assertTooLarge(append.next(10_000), NEW_UPLOAD_LIMIT);
        }
        assertEquals(10, owner.offset(upload));
    }

    @Test
    void aChunkedBodyOverTheMaximumWithoutADeclaredLengthStoresNothingPastTheMaximum(@TempDir Path smallStorage)
            throws Exception {
        int max = 256 * 1024;
        try (TestServer small = TestServer.start(smallStorage, Map.of("upload.maxSize", "256K",
                "upload.expireAfter", "1h"))) {
            IetfWire owner = IetfWire.newOwner(small.port());

            Response creation = owner.sendChunked("POST", IetfWire.BASE, randomBytes(max + 100_000, 51),
                    IetfWire.INCOMPLETE);
            String appended = IetfWire.created(owner.createIncomplete(new byte[0]));
            Response append = owner.sendChunked("PATCH", appended, randomBytes(max + 1, 52),
                    IetfWire.appendHeaders(0, false));

            assertTooLarge(creation, "max-size=" + max + ", max-age=3600");
            assertTooLarge(append, "max-size=" + max + ", max-age=3600");
            for (String upload : List.of(IetfWire.location(creation), appended)) {
                Response head = owner.head(upload);
                assertTrue(head.uploadOffset() <= max, () -> "stored past the maximum: " + head);
            }
            for (Path file : stored(smallStorage)) {
                assertTrue(Files.size(smallStorage.resolve(file)) <= max, () -> file + " holds more than the maximum");
            }
        }
    }
}
