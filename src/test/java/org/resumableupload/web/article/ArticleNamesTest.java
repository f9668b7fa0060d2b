package org.resumableupload.web.article;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file name of an article upload: the client's name, else the name part of its file id, sanitized. */
class ArticleNamesTest {

    @Test
    void articleIdGivesTheNameBeforeSizeAndLastModified() {
        assertEquals("holiday photo.jpg", ArticleNames.forUpload(null, "holiday photo.jpg-2483212-1700000000000"));
    }

    @Test
    void articleIdWhoseNameHasDashesAndDigitsKeepsThemAll() {
        assertEquals("report-2024-v2.pdf", ArticleNames.forUpload(null, "report-2024-v2.pdf-10-20"));
    }

    @Test
    void anIdNotShapedLikeTheArticlesIsUsedWholeAsTheName() {
        assertEquals("my-upload", ArticleNames.forUpload(null, "my-upload"));
        assertEquals("file-12", ArticleNames.forUpload(null, "file-12"));
    }

    @Test
    void anIdThatIsOnlyDigitsAndDashesStillGivesASafeName() {
        String name = ArticleNames.forUpload(null, "-1-2");
        assertEquals("-1-2", name);
    }

    @Test
    void theClientsFileNameWinsOverTheId() {
        assertEquals("given.txt", ArticleNames.forUpload("given.txt", "other.bin-1-2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t"})
    void aBlankClientNameFallsBackToTheId(String blank) {
        assertEquals("from-id.txt", ArticleNames.forUpload(blank, "from-id.txt-5-6"));
    }

    @Test
    void theNameFromTheIdIsSanitizedToo() {
        assertEquals("_etc_passwd", ArticleNames.forUpload(null, "../etc/passwd-1-2"));
    }
}
