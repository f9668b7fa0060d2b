package org.resumableupload.web.ietf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.resumableupload.core.Upload;
import org.resumableupload.core.UploadSettings;

/**
 * The {@code Upload-Limit} Dictionary: {@code max-size} (the server's maximum upload size) and
 * {@code max-age} (seconds an incomplete upload lives without new bytes; for an upload, the seconds
 * until it expires now). A completed upload does not expire, so it has no {@code max-age}. With no
 * limit at all the draft wants {@code min-size=0}, never an empty field.
 */
final class UploadLimits {
    private static final long MAX_STRUCTURED_INTEGER = 999_999_999_999_999L; // RFC 9651 §3.3.1

    private final UploadSettings settings;

    UploadLimits(UploadSettings settings) {
        this.settings = settings;
    }

    /** The limits a new upload gets (creation, OPTIONS). */
    String forNewUpload() {
        return dictionary(settings.expireAfter().toSeconds());
    }

    /** The limits of {@code upload} at {@code now}. */
    String of(Upload upload, Instant now) {
        long maxAge = upload.expiresAt().map(at -> Math.max(0, Duration.between(now, at).toSeconds())).orElse(-1L);
        return dictionary(maxAge);
    }

    /** The limits of an upload that has just been written to, so expires a full expiry age from now. */
    String afterWrite() {
        return forNewUpload();
    }

    private String dictionary(long maxAgeSeconds) {
        List<String> members = new ArrayList<>();
        if (settings.maxUploadSize() <= MAX_STRUCTURED_INTEGER) {
            members.add("max-size=" + settings.maxUploadSize());
        }
        if (maxAgeSeconds >= 0) {
            members.add("max-age=" + Math.min(maxAgeSeconds, MAX_STRUCTURED_INTEGER));
        }
        return members.isEmpty() ? "min-size=0" : String.join(", ", members);
    }
}
