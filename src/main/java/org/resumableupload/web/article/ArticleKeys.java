package org.resumableupload.web.article;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.store.UploadId;

/**
 * The article protocol's mapping from an owner's key for a file ({@code X-File-Id}) to the upload
 * resource: the resource's id is the SHA-256 of the owner's tag and the key. Kept as a function rather
 * than a stored index so that it needs no storage of its own, holds on every node at once, and keeps
 * naming the uploads stored before resources had minted ids. One owner can never name another's upload,
 * and the client's string never becomes a path.
 */
final class ArticleKeys {
    private final int maxKeyLength;

    ArticleKeys(int maxKeyLength) {
        this.maxKeyLength = maxKeyLength;
    }

    /**
     * The upload {@code owner} calls {@code clientFileId}.
     *
     * @throws UploadException MISSING_UPLOAD_KEY if empty, UPLOAD_KEY_TOO_LONG above the limit
     */
    UploadId idFor(Owner owner, String clientFileId) throws UploadException {
        if (clientFileId == null || clientFileId.isEmpty()) {
            throw new UploadException(ErrorCode.MISSING_UPLOAD_KEY);
        }
        if (clientFileId.length() > maxKeyLength) {
            throw new UploadException(ErrorCode.UPLOAD_KEY_TOO_LONG,
                    "X-File-Id is longer than " + maxKeyLength + " characters");
        }
        MessageDigest sha256 = sha256();
        sha256.update(owner.tag().getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(clientFileId.getBytes(StandardCharsets.UTF_8));
        return UploadId.of(HexFormat.of().formatHex(sha256.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
