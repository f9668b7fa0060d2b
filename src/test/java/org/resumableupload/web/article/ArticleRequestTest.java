package org.resumableupload.web.article;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.CreateSpec;
import org.resumableupload.store.Metadata;

/** How one {@code POST upload} becomes the core's creation and append. */
class ArticleRequestTest {

    @Test
    void aStartByteOfZeroOrNoneStartsOverAndCreatesWithTheDeclaredSizeAndName() {
        for (long startByte : new long[] {0, AppendSpec.UNKNOWN}) {
            ArticleRequest upload = new ArticleRequest(startByte, 10, 4, "a.txt", null);

            assertTrue(upload.startsOver());
            assertEquals(new CreateSpec(10, "a.txt", Metadata.EMPTY, false), upload.creation());
            assertEquals(0, upload.append().offset(), "the body goes to byte 0");
        }
    }

    @Test
    void aStartByteAboveZeroResumesThereAndRepeatsTheDeclaredSize() {
        ArticleRequest upload = new ArticleRequest(5, 10, 5, "a.txt", null);

        assertFalse(upload.startsOver());
        AppendSpec append = upload.append();
        assertEquals(5, append.offset());
        assertEquals(5, append.contentLength());
        assertEquals(10, append.declaredLength());
    }

    @Test
    void aWholeBodyCompletesOnlyAnUploadWithoutADeclaredSize() {
        assertEquals(AppendSpec.Ending.LAST_UNLESS_SIZED,
                new ArticleRequest(0, AppendSpec.UNKNOWN, AppendSpec.UNKNOWN, "a", null).append().ending());
        assertEquals(AppendSpec.UNKNOWN,
                new ArticleRequest(0, AppendSpec.UNKNOWN, AppendSpec.UNKNOWN, "a", null).creation().length());
    }
}
