package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    // ---- sanitize ------------------------------------------------------------------------------

    @Test
    void decomposedAccentsAsMacOsSendsThemAreComposedNotReplaced() {
        assertEquals("caf\u00e9.txt", FileNames.sanitize("cafe\u0301.txt"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "a/b#a_b",
            "a\\b#a_b",
            "C:\\Users\\me\\file.txt#C__Users_me_file.txt",
            "../../etc/passwd#_.._etc_passwd",
            "a;b|c$d`e&f>g<h#a_b_c_d_e_f_g_h",
            "quote\"and'apostrophe#quote_and_apostrophe",
            "file name (1).txt#file name (1).txt",
            "a-b_c+d,e@f.g#a-b_c+d,e@f.g"
    })
    void separatorsAndShellCharactersBecomeUnderscores(String raw, String expected) {
        assertEquals(expected, FileNames.sanitize(raw));
    }

    @Test
    void controlCharactersBecomeUnderscores() {
        assertEquals("a_b_c_d_e_f", FileNames.sanitize("a\nb\rc\td\u0000e\u007ff"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            ".bashrc|bashrc",
            "...hidden.txt|hidden.txt",
            " . .x|x",
            "  spaced  |spaced"
    })
    void leadingDotsAndSpacesAreDroppedSoTheNameIsNeverHidden(String raw, String expected) {
        assertEquals(expected, FileNames.sanitize(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".", "..", "...", ". .", "   ..  "})
    void namesThatWouldBeEmptyOrADotNameBecomeUpload(String raw) {
        assertEquals("upload", FileNames.sanitize(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Übersicht été.xlsx", "写真.jpg", "Москва 2026.pdf", "ελληνικά.txt", "ﾃｽﾄ.csv"})
    void nonAsciiLettersAndDigitsAreKept(String name) {
        assertEquals(name, FileNames.sanitize(name));
    }

    @Test
    void charactersOutsideTheBasicPlaneThatAreNotLettersBecomeOneUnderscoreEach() {
        assertEquals("_ party.png", FileNames.sanitize("\uD83C\uDF89 party.png"));
    }

    @Test
    void aNameOfExactly200Utf8BytesIsKept() {
        String name = "a".repeat(196) + ".txt";
        assertEquals(name, FileNames.sanitize(name));
    }

    @Test
    void aLongNameIsCutTo200Utf8BytesKeepingItsExtension() {
        String name = FileNames.sanitize("a".repeat(300) + ".pdf");

        assertEquals(200, utf8Length(name));
        assertTrue(name.endsWith(".pdf"));
        assertEquals("a".repeat(196) + ".pdf", name);
    }

    @Test
    void aLongMultiByteNameIsCutOnWholeCharactersKeepingItsExtension() {
        String name = FileNames.sanitize("写".repeat(100) + ".txt");

        assertTrue(utf8Length(name) <= 200, "at most 200 UTF-8 bytes, was " + utf8Length(name));
        assertTrue(name.endsWith(".txt"));
        assertEquals("写".repeat(65) + ".txt", name); // 65 * 3 + 4 = 199 bytes: a 66th would not fit
    }

    @Test
    void aLongNameCutOnASupplementaryCharacterNeverSplitsIt() {
        String name = FileNames.sanitize("\uD840\uDC00".repeat(80) + ".txt"); // U+20000, a letter of 4 bytes

        assertTrue(utf8Length(name) <= 200);
        assertTrue(name.endsWith(".txt"));
        assertEquals("\uD840\uDC00".repeat(49) + ".txt", name);
        assertFalse(name.chars().anyMatch(c -> c == '?'));
    }

    @Test
    void anOverlongExtensionIsNotKeptAsOne() {
        String name = FileNames.sanitize("a".repeat(300) + "." + "b".repeat(40));

        assertEquals(200, utf8Length(name));
        assertEquals("a".repeat(200), name);
    }

    @Test
    void aCutNameDoesNotEndInASpaceBeforeItsExtension() {
        String name = FileNames.sanitize("a".repeat(195) + " " + "b".repeat(100) + ".txt");

        assertEquals("a".repeat(195) + ".txt", name);
    }
}
