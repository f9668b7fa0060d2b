package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.BodyChecksum;
import org.resumableupload.core.ErrorCode;
import java.util.Base64;
import java.util.List;

/** Reads an {@code Upload-Checksum} request header into the core's {@link BodyChecksum}. */
final class TusChecksum {
    /** The algorithms this server checks, as {@code Tus-Checksum-Algorithm} lists them. */
    static final List<String> ALGORITHMS = List.of("sha1", "md5", "sha256");
    private static final int QUOTED_CHARS = 20;

    private TusChecksum() {
    }

    /**
     * Parses {@code algorithm base64-digest}.
     *
     * @throws UploadException UNSUPPORTED_CHECKSUM for an algorithm not in {@link #ALGORITHMS} (names
     *                         are lowercase: {@code SHA1} is unsupported); MALFORMED_REQUEST if there is
     *                         no space, the digest is not Base64, or it has the wrong length
     */
    static BodyChecksum parse(String headerValue) throws UploadException {
        int space = headerValue.indexOf(' ');
        if (space <= 0) {
            throw malformed("Upload-Checksum must be an algorithm and a Base64 digest separated by a space");
        }
        String algorithm = headerValue.substring(0, space);
        if (!ALGORITHMS.contains(algorithm)) {
            throw new UploadException(ErrorCode.UNSUPPORTED_CHECKSUM, "Upload-Checksum algorithm "
                    + quoted(algorithm) + " is not supported; use one of " + String.join(", ", ALGORITHMS));
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(headerValue.substring(space + 1));
        } catch (IllegalArgumentException notBase64) {
            throw malformed("Upload-Checksum digest is not Base64");
        }
        return BodyChecksum.of(algorithm, expected);
    }

    private static String quoted(String token) {
        String printable = token.chars().allMatch(c -> c > ' ' && c <= '~') ? token : "?";
        return "'" + (printable.length() <= QUOTED_CHARS ? printable : printable.substring(0, QUOTED_CHARS) + "...") + "'";
    }

    private static UploadException malformed(String reason) {
        return new UploadException(ErrorCode.MALFORMED_REQUEST, reason);
    }
}
