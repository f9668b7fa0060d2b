package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.resumableupload.web.RawHttp.Response;

/**
 * Upload creation ({@code POST /uploads/}): with the whole representation it completes at once (200,
 * {@code Repr-Digest}); with part of it, or none, it answers 201 with the upload's {@code Location}
 * and offset; the {@code Content-Disposition} file name becomes the upload's name.
 */
@Timeout(60)
class IetfCreationIT extends IetfServerSupport {
    private static final String SHA256_OF_NOTHING = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void aCreationWithTheWholeBodyCompletesWith200AndItsDigestAndGetReturnsTheBytes() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(300_000, 1);

        Response done = owner.createComplete(file);

        assertEquals(200, done.status(), done::toString);
        assertEquals(Optional.of("?1"), done.header("Upload-Complete"));
        assertEquals(file.length, done.uploadOffset());
        assertEquals(Optional.of(reprDigest(file)), done.header("Repr-Digest"));
        String upload = IetfWire.location(done);
        Map<String, Object> description = json(done);
        assertEquals(upload.substring(IetfWire.BASE.length()), description.get("id"), done::toString);
        assertEquals((long) file.length, description.get("size"), done::toString);
        assertEquals(sha256Hex(file), description.get("sha256"), done::toString);
        assertTrue(owner.hasCookie(), "the creation answer issues the owner cookie");

        Response get = owner.get(upload);
        assertEquals(200, get.status(), get::toString);
        assertArrayEquals(file, get.body(), "GET returns the bytes byte-identically");
        assertEquals(Optional.of(reprDigest(file)), get.header("Repr-Digest"));
    }

    @Test
    void anIncompleteCreationWithPartOfTheBodyAnswers201WithItsLocationAndOffset() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(3000, 2);

        Response created = owner.createIncomplete(slice(file, 0, 1000), "Upload-Length: 3000");

        String upload = IetfWire.created(created);
        assertEquals(Optional.of("?0"), created.header("Upload-Complete"));
        assertEquals(1000, created.uploadOffset());
        assertEquals(Optional.of(NEW_UPLOAD_LIMIT), created.header("Upload-Limit"));
        Response head = owner.head(upload);
        assertEquals(1000, head.uploadOffset(), head::toString);
        assertEquals(Optional.of("3000"), head.header("Upload-Length"));
        assertEquals(Optional.of("?0"), head.header("Upload-Complete"));
    }

    @Test
    void anEmptyIncompleteCreationAnswers201AtOffsetZero() {
        IetfWire owner = newOwner();

        Response created = owner.createIncomplete(new byte[0]);

        String upload = IetfWire.created(created);
        assertEquals(0, created.uploadOffset(), created::toString);
        assertEquals(Optional.of("?0"), created.header("Upload-Complete"));
        assertEquals(0, owner.offset(upload));
    }

    @Test
    void anIncompleteCreationOfLengthZeroStaysIncompleteUntilTheClientCompletesIt() {
        IetfWire owner = newOwner();

        Response created = owner.createIncomplete(new byte[0], "Upload-Length: 0");

        assertEquals(201, created.status(), created::toString);
        assertEquals(Optional.of("?0"), created.header("Upload-Complete"), created::toString);
        assertTrue(created.header("Upload-Limit").isPresent(), created::toString);
        String upload = IetfWire.created(created);
        Response head = owner.head(upload);
        assertEquals(Optional.of("?0"), head.header("Upload-Complete"), "completion is what the client says");
        assertEquals(Optional.of("0"), head.header("Upload-Length"), head::toString);
        Response done = owner.patch(upload, 0, new byte[0], true);
        assertEquals(200, done.status(), done::toString);
        assertEquals(Optional.of(reprDigest(new byte[0])), done.header("Repr-Digest"));
    }

    @Test
    void aCompleteCreationWithAnEmptyBodyIsACompletedEmptyUpload() {
        IetfWire owner = newOwner();

        Response done = owner.createComplete(new byte[0]);

        assertEquals(200, done.status(), done::toString);
        assertEquals(Optional.of("?1"), done.header("Upload-Complete"));
        assertEquals(0, done.uploadOffset());
        assertEquals(Optional.of(reprDigest(new byte[0])), done.header("Repr-Digest"));
        assertEquals(0L, json(done).get("size"), done::toString);
        assertEquals(SHA256_OF_NOTHING, json(done).get("sha256"), done::toString);
        String upload = IetfWire.location(done);
        Response head = owner.head(upload);
        assertEquals(Optional.of("?1"), head.header("Upload-Complete"), head::toString);
        assertEquals(0, head.uploadOffset());
        assertArrayEquals(new byte[0], owner.download(upload));
    }

    @Test
    void theContentDispositionFilenameBecomesTheUploadsName() {
        IetfWire owner = newOwner();

        Response done = owner.createComplete(randomBytes(10, 3),
                "Content-Disposition: attachment; filename=\"report 2024.pdf\"");

        assertEquals(200, done.status(), done::toString);
        assertEquals("report 2024.pdf", json(done).get("name"), done::toString);
    }

    @Test
    void anExtendedUtf8FilenameWinsOverThePlainOneAndIsDecoded() {
        IetfWire owner = newOwner();

        Response done = owner.createComplete(randomBytes(10, 4), "Content-Disposition: attachment;"
                + " filename=\"fallback.txt\"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt");

        assertEquals(200, done.status(), done::toString);
        assertEquals("na\u00efve r\u00e9sum\u00e9.txt", json(done).get("name"), done::toString);
    }

    @Test
    void anIncompleteUploadKeepsItsContentDispositionNameUntilItCompletes() {
        IetfWire owner = newOwner();
        byte[] file = randomBytes(100, 5);

        String upload = IetfWire.created(owner.createIncomplete(slice(file, 0, 40), "Upload-Length: 100",
                "Content-Disposition: attachment; filename=plain-token.bin"));
        Response done = owner.patch(upload, 40, slice(file, 40, 100), true);

        assertEquals(200, done.status(), done::toString);
        assertEquals("plain-token.bin", json(done).get("name"), done::toString);
        assertArrayEquals(file, owner.download(upload));
    }
}
