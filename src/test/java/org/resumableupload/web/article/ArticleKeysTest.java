package org.resumableupload.web.article;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.store.UploadId;

/** The article's mapping from an owner's {@code X-File-Id} to the upload resource. */
class ArticleKeysTest {
    private final ArticleKeys keys = new ArticleKeys(64);
    private final Owner alice = Owner.token("alice-token");
    private final Owner bob = Owner.token("bob-token");

    @Test
    void theIdIsStablePerOwnerAndDiffersBetweenOwnersAndKeys() throws UploadException {
        UploadId first = keys.idFor(alice, "file-1-2");

        assertEquals(first, keys.idFor(alice, "file-1-2"));
        assertNotEquals(first, keys.idFor(bob, "file-1-2"));
        assertNotEquals(first, keys.idFor(alice, "file-1-3"));
    }

    @Test
    void theIdIsTheSha256OfTheOwnersTagAZeroByteAndTheKeySoUploadsStoredEarlierKeepTheirNames()
            throws UploadException {
        // Computed independently (Python hashlib): sha256(tag + b"\0" + key), tag = sha256(b"token\0alice-token").
        assertEquals("248309e65f92a6dce515e9c4dfaa4c0415eac0077db43516548b228cfbe8f356", alice.tag());
        assertEquals("42a6eb0cd56c7ec904b2c03d4b5448d2223937a3fe4430be33e5cbdd2817b9b8",
                keys.idFor(alice, "photo.jpg-2048-1700000000000").value());
    }

    @Test
    void aMissingOrEmptyKeyIsRefused() {
        assertEquals(ErrorCode.MISSING_UPLOAD_KEY,
                assertThrows(UploadException.class, () -> keys.idFor(alice, "")).code());
        assertEquals(ErrorCode.MISSING_UPLOAD_KEY,
                assertThrows(UploadException.class, () -> keys.idFor(alice, null)).code());
    }

    @Test
    void aKeyLongerThanTheLimitIsRefusedNamingItAndOneAtTheLimitIsAccepted() throws UploadException {
        UploadException tooLong = assertThrows(UploadException.class, () -> keys.idFor(alice, "x".repeat(65)));

        assertEquals(ErrorCode.UPLOAD_KEY_TOO_LONG, tooLong.code());
        assertEquals(400, ArticleErrors.status(tooLong.code()));
        assertEquals("X-File-Id is longer than 64 characters", tooLong.getMessage());
        assertTrue(UploadId.isValid(keys.idFor(alice, "x".repeat(64)).value()));
    }
}
