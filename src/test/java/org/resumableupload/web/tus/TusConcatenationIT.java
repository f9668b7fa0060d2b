package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.tus.TusWire.created;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.resumableupload.web.RawHttp.Response;

/**
 * The concatenation extension over raw sockets, as in the spec's example: partial uploads, a final
 * upload of them (as tus-js-client's {@code parallelUploads} makes), and what a final upload refuses.
 * {@code concatenation-unfinished} is not offered: every part must be complete.
 */
@Timeout(60)
class TusConcatenationIT extends TusServerSupport {
    private static final byte[] NO_BODY = new byte[0];

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A complete partial upload of {@code content}; returns its Location as the server gave it. */
    private static String partial(TusWire owner, String content) {
        Response creation = owner.send("POST", TusWire.BASE, NO_BODY, "Upload-Concat: partial",
                "Upload-Length: " + content.length());
        String upload = created(creation);
        owner.patchOk(upload, 0, ascii(content));
        return creation.header("Location").orElseThrow();
    }

    private static Response finalUpload(TusWire owner, String concat, String... headers) {
        List<String> lines = new java.util.ArrayList<>(List.of("Upload-Concat: " + concat));
        lines.addAll(List.of(headers));
        return owner.send("POST", TusWire.BASE, NO_BODY, lines.toArray(String[]::new));
    }

    @Test
    void partialUploadsConcatenateIntoAFinalUploadInTheOrderNamed() {
        TusWire owner = newOwner();
        String hello = partial(owner, "hello");
        String world = partial(owner, " world");
        String concat = "final;" + hello + " " + world;

        String upload = created(finalUpload(owner, concat, "Upload-Metadata: filename aGVsbG8udHh0"));

        Response head = owner.head(upload);
        assertEquals(Optional.of("11"), head.header("Upload-Length"), head::toString);
        assertEquals(Optional.of("11"), head.header("Upload-Offset"), head::toString);
        assertEquals(Optional.of(concat), head.header("Upload-Concat"), "as received");
        assertEquals(Optional.of("filename aGVsbG8udHh0"), head.header("Upload-Metadata"));
        assertEquals("hello world", owner.get(upload).text());
        assertPartKeptOrRemoved(owner, hello);
    }

    /** tus: the server MAY delete partial uploads once concatenated; kept, a part is as it was. */
    private static void assertPartKeptOrRemoved(TusWire owner, String partUrl) {
        Response part = owner.head(TusWire.uploadPath(partUrl));
        if (part.status() != 404 && part.status() != 410) {
            assertEquals(Optional.of("partial"), part.header("Upload-Concat"), part::toString);
            assertEquals(Optional.of("5"), part.header("Upload-Offset"), part::toString);
        }
    }

    @Test
    void aPartialUploadAnswersHeadWithItsConcatAndOffset() {
        TusWire owner = newOwner();
        Response creation = owner.send("POST", TusWire.BASE, NO_BODY, "Upload-Concat: partial", "Upload-Length: 5");
        String part = created(creation);
        owner.patchOk(part, 0, ascii("hel"));

        Response head = owner.head(part);

        assertEquals(Optional.of("partial"), head.header("Upload-Concat"), head::toString);
        assertEquals(Optional.of("3"), head.header("Upload-Offset"), head::toString);
        assertEquals(Optional.of("5"), head.header("Upload-Length"), head::toString);
    }

    @Test
    void partsMayBeNamedByPathAndMoreThanOnce() {
        TusWire owner = newOwner();
        String hello = TusWire.uploadPath(partial(owner, "hello"));
        String world = TusWire.uploadPath(partial(owner, " world"));

        String upload = created(finalUpload(owner, "final;" + hello + " " + world + " " + hello));

        assertEquals("hello worldhello", owner.get(upload).text());
    }

    @Test
    void aPatchOnAFinalUploadGets403AndChangesNeitherItNorItsParts() {
        TusWire owner = newOwner();
        String hello = partial(owner, "hello");
        String upload = created(finalUpload(owner, "final;" + hello));

        for (long offset : List.of(0L, 5L)) {
            Response refused = owner.patch(upload, offset, ascii("XXXXX"));
            assertEquals(403, refused.status(), refused::toString);
        }
        assertEquals(Optional.of("5"), owner.head(upload).header("Upload-Offset"));
        assertEquals("hello", owner.get(upload).text());
        assertPartKeptOrRemoved(owner, hello);
    }

    @Test
    void aFinalUploadOfAnUnfinishedPartGets400() {
        TusWire owner = newOwner();
        Response creation = owner.send("POST", TusWire.BASE, NO_BODY, "Upload-Concat: partial", "Upload-Length: 10");
        String unfinished = created(creation);
        owner.patchOk(unfinished, 0, ascii("abc"));

        Response refused = finalUpload(owner, "final;" + partial(owner, "hello") + " " + unfinished);

        assertEquals(400, refused.status(), refused::toString);
        assertTrue(refused.header("Location").isEmpty());
        assertEquals(3, owner.offset(unfinished), "the part is untouched");
    }

    @Test
    void aFinalUploadCannotUseAnotherOwnersPartNorAnUploadThatIsNotPartial() {
        TusWire alice = newOwner();
        TusWire mallory = ownerWithCookie();
        String theirs = partial(mallory, "secret");
        String plain = alice.create(5);
        alice.patchOk(plain, 0, ascii("plain"));

        Response stolen = finalUpload(alice, "final;" + theirs);
        Response notPartial = finalUpload(alice, "final;" + plain);

        for (Response refused : List.of(stolen, notPartial)) {
            assertTrue(refused.status() >= 400 && refused.status() < 500, refused::toString);
            assertTrue(refused.header("Location").isEmpty(), refused::toString);
            assertTrue(!refused.text().contains("secret"), refused::toString);
        }
    }

    @Test
    void aFinalUploadMustNameUploadUrlsAndSendNoLength() {
        TusWire owner = newOwner();
        String hello = partial(owner, "hello");

        for (String concat : List.of("final;", "final;/files/abc", "final;/tus/../status", "final;ftp://x/tus/a",
                "partial;" + hello, "complete;" + hello)) {
            Response refused = finalUpload(owner, concat);
            assertEquals(400, refused.status(), () -> concat + ": " + refused);
        }
        Response withLength = finalUpload(owner, "final;" + hello, "Upload-Length: 5");
        assertEquals(400, withLength.status(), withLength::toString);
        Response unknown = finalUpload(owner, "final;" + hello + " /tus/" + "0".repeat(64));
        assertTrue(unknown.status() == 400 || unknown.status() == 404, unknown::toString);
    }
}
