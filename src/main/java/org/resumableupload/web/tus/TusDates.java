package org.resumableupload.web.tus;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * {@code Upload-Expires} dates: RFC 9110 IMF-fixdate, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}.
 * Not {@link DateTimeFormatter#RFC_1123_DATE_TIME}: it writes a one-digit day ({@code 6 Nov}), which
 * IMF-fixdate does not allow.
 */
public final class TusDates {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private TusDates() {
    }

    /** {@code instant} as an IMF-fixdate, to the second (truncated: the date never claims a later second). */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Reads an IMF-fixdate (for clients and tests; the obsolete RFC 850 and asctime forms are not read).
     *
     * @throws DateTimeParseException if {@code text} is not one
     */
    public static Instant parse(String text) {
        return IMF_FIXDATE.parse(text, Instant::from);
    }
}
