package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9651 Items as the draft's request fields use them: a non-negative Integer, a Boolean; parameters ignored. */
class StructuredFieldsTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "0|0", "4096|4096", " 7 |7", "5;a=1|5", "5;a|5", "5; a=1|5", "5;a=?0;b=\"x;y\"|5", "5;a=tok/en|5",
        "5;a=:cHJldGVuZA==:|5", "5;a=-1.5|5", "5;*k_-.9=1|5", "007|7", "999999999999999|999999999999999"})
    void aNonNegativeIntegerItemIsRead(String field, long value) {
        assertEquals(Optional.of(value), StructuredFields.nonNegativeInteger(field));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"+1", "-1", "1.0", "1.", "1,2", "1, 2", "abc", "1234567890123456", "", " ", "1 2",
        "0x10", "1e3", "5;A=1", "5;a=", "5;=1", "5;a=\"open", "5;a=?2", "5 ;a=1", "5;a=1 x", "\t5", "٣"})
    void anythingElseIsNotANonNegativeInteger(String field) {
        assertEquals(Optional.empty(), StructuredFields.nonNegativeInteger(field));
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "?1|true", "?0|false", "?1;x|true", " ?0 |false", "?1;x=2;y=?0|true"})
    void aBooleanItemIsRead(String field, boolean value) {
        assertEquals(Optional.of(value), StructuredFields.bool(field));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"?1 x", "?2", "1", "0", "yes", "true", "?", "", "?1,?0", "?10", "?1;", "?1;X", "? 1"})
    void anythingElseIsNotABoolean(String field) {
        assertEquals(Optional.empty(), StructuredFields.bool(field));
    }
}
