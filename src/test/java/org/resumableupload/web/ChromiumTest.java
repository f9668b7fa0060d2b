package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChromiumTest {
    @Test
    void missingExecutableFailsWithOneLineSayingHowToInstallIt(@TempDir Path dir) {
        Path missing = dir.resolve("chromium");

        Chromium.ChromiumNotFound failure = assertThrows(Chromium.ChromiumNotFound.class, () -> Chromium.launch(missing));

        assertEquals("Chromium not found at " + missing
                + ": install it with `apt-get install -y chromium` (see README prerequisites)", failure.getMessage());
        assertEquals(0, failure.getStackTrace().length, "no stack trace to bury the line");
    }
}
