package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.resumableupload.core.Upload;
import org.resumableupload.core.UploadSettings;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.UploadId;

/** The Upload-Limit Dictionary: max-size, max-age for what expires, min-size=0 when there is no limit to name. */
class UploadLimitsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final UploadId ID = UploadId.of("ab".repeat(32));

    private static UploadLimits limits(long maxSize, Duration expireAfter) {
        return new UploadLimits(new UploadSettings(Path.of("unused"), maxSize, 4096, 0, expireAfter,
                Duration.ofMinutes(1), Duration.ofSeconds(60), 64L << 20, 4096));
    }

    private static Upload expiringAt(Optional<Instant> expiresAt) {
        return new Upload(ID, "owner", "name", 100, 10, Optional.empty(), NOW.minusSeconds(60), expiresAt,
                Metadata.EMPTY, null);
    }

    @Test
    void aNewUploadGetsTheMaximumSizeAndTheFullExpiryAge() {
        UploadLimits limits = limits(1L << 30, Duration.ofHours(1));

        assertEquals("max-size=1073741824, max-age=3600", limits.forNewUpload());
        assertEquals(limits.forNewUpload(), limits.afterWrite());
    }

    @Test
    void anIncompleteUploadsMaxAgeIsTheSecondsUntilItExpires() {
        UploadLimits limits = limits(1L << 30, Duration.ofHours(1));

        assertEquals("max-size=1073741824, max-age=1800",
                limits.of(expiringAt(Optional.of(NOW.plusSeconds(1800))), NOW));
        assertEquals("max-size=1073741824, max-age=0", limits.of(expiringAt(Optional.of(NOW.minusSeconds(5))), NOW));
    }

    @Test
    void anUploadThatDoesNotExpireHasNoMaxAge() {
        assertEquals("max-size=1073741824",
                limits(1L << 30, Duration.ofHours(1)).of(expiringAt(Optional.empty()), NOW));
    }

    @Test
    void aMaximumSizeNoStructuredIntegerCanCarryIsLeftOutAndNothingLeftIsMinSizeZero() {
        UploadLimits limits = limits(1_000_000_000_000_000L, Duration.ofHours(1));

        assertEquals("max-age=3600", limits.forNewUpload());
        assertEquals("min-size=0", limits.of(expiringAt(Optional.empty()), NOW));
        assertEquals("max-size=999999999999999, max-age=3600", limits(999_999_999_999_999L, Duration.ofHours(1))
                .forNewUpload());
    }

    @Test
    void aMaxAgeBeyondAStructuredIntegerIsCappedAtTheLargestOne() {
        assertEquals("max-size=1024, max-age=999999999999999",
                limits(1024, Duration.ofSeconds(10_000_000_000_000_000L)).forNewUpload());
    }
}
