package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TusDatesTest {
    @Test
    void theRfc9110ExampleFormatsExactly() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", TusDates.format(Instant.parse("1994-11-06T08:49:37Z")));
    }

    @Test
    void theTusExampleRoundTrips() {
        String expires = "Wed, 25 Jun 2014 16:00:00 GMT";

        assertEquals(Instant.parse("2014-06-25T16:00:00Z"), TusDates.parse(expires));
        assertEquals(expires, TusDates.format(TusDates.parse(expires)));
    }

    @Test
    void fractionsOfASecondAreCutNotRounded() {
        assertEquals("Thu, 01 Jan 2026 23:59:59 GMT", TusDates.format(Instant.parse("2026-01-01T23:59:59.999Z")));
    }

    @Test
    void theFormatIsEnglishWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("Mon, 02 Mar 2026 07:05:09 GMT", TusDates.format(Instant.parse("2026-03-02T07:05:09Z")));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void otherFormsAreNotRead() {
        assertThrows(DateTimeParseException.class, () -> TusDates.parse("Sunday, 06-Nov-94 08:49:37 GMT"));
        assertThrows(DateTimeParseException.class, () -> TusDates.parse("Sun, 6 Nov 1994 08:49:37 GMT"));
        assertThrows(DateTimeParseException.class, () -> TusDates.parse("Mon, 06 Nov 1994 08:49:37 GMT"));
    }
}
