package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The file name of a Content-Disposition field: filename* (UTF-8) over filename; nothing readable, no name. */
class ContentDispositionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "attachment; filename=\"report.pdf\"|report.pdf",
        "attachment; filename=report.pdf|report.pdf",
        "inline; FILENAME=\"Upper.txt\"|Upper.txt",
        "attachment; filename=\"a\\\"b.txt\"|a\"b.txt",
        "attachment; filename=\"a;b.txt\"|a;b.txt",
        "attachment; filename*=UTF-8''na%C3%AFve.txt|na\u00efve.txt",
        "attachment; filename*=utf-8'en'%E2%82%AC%20rates.txt|\u20ac rates.txt",
        "attachment; filename*=UTF-8''na%C3%AFve.txt; filename=\"naive.txt\"|na\u00efve.txt",
        "attachment; filename=\"naive.txt\"; filename*=UTF-8''na%C3%AFve.txt|na\u00efve.txt",
        "attachment; filename=\"plain.txt\"; filename*=ISO-8859-1''%E9t%E9.txt|plain.txt",
        "attachment; filename=\"plain.txt\"; filename*=UTF-8''bad%G1.txt|plain.txt",
        "attachment; filename=\"plain.txt\"; filename*=UTF-8''cut%C|plain.txt",
        "attachment; filename=\"plain.txt\"; filename*=UTF-8''raw space.txt|plain.txt",
        "attachment; filename=\"plain.txt\"; filename*=no-quotes.txt|plain.txt"})
    void theFileNameIsRead(String field, String name) {
        assertEquals(Optional.of(name), ContentDisposition.fileName(field));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"attachment", "inline", "", "attachment; filename=\"\"", "attachment; filename=  ",
        "attachment; name=\"x.txt\"", "attachment; filename*=UTF-8''%ZZ"})
    void aFieldWithoutAReadableFileNameGivesNone(String field) {
        assertEquals(Optional.empty(), ContentDisposition.fileName(field));
    }

    @Test
    void noFieldGivesNoName() {
        assertEquals(Optional.empty(), ContentDisposition.fileName(null));
    }
}
