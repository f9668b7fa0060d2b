package org.resumableupload.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.AriaRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upload page in headless Chromium: what a person sees and uses, checked against what the server stored. */
class UploadPageIT extends BrowserTestSupport {

    @Test
    void fiftyMegabyteFileUploadsToFullProgressAndShowsTheServersSha256(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "big.bin", 50 * 1000 * 1000);
        openPage("");

        page.setInputFiles("#file-input", file);

        awaitDone("big.bin");
        Locator bar = row("big.bin").locator("progress");
        assertEquals("50000000", bar.evaluate("p => String(p.max)"));
        assertEquals("50000000", bar.evaluate("p => String(p.value)"), "progress reaches 100%");
        assertThat(row("big.bin").locator(".state")).hasText("Done");
        var track = row("big.bin").locator(".bar-wrap").boundingBox();
        var drawn = bar.boundingBox();
        assertEquals(List.of(track.x, track.y, track.width, track.height),
                List.of(drawn.x, drawn.y, drawn.width, drawn.height), "the bar covers its track exactly");
        assertThat(row("big.bin").locator(".bytes")).hasText("50.0 MB of 50.0 MB stored");
        assertThat(row("big.bin").locator(".sha256")).hasText("SHA-256 " + sha256(file));
        assertStoredIdentical("big.bin", file);
        screenshot("done.png");
    }

    @Test
    void filesPickedTogetherUploadThreeAtATimeAndAllComplete(@TempDir Path dir) throws Exception {
        List<String> names = List.of("one.bin", "two.bin", "three.bin", "four.bin");
        Path[] files = new Path[names.size()];
        for (int i = 0; i < files.length; i++) {
            files[i] = randomFile(dir, names.get(i), 640 * KiB + i * 1000);
        }
        countRequestsInFlight();
        openPage("?chunkSize=131072");
        throttleUpload(context, page, 2 * MiB);

        page.setInputFiles("#file-input", files);

        assertThat(row("four.bin")).hasAttribute("data-state", "queued");
        assertThat(row("four.bin").locator(".state")).hasText("Queued");
        awaitConfirmed("one.bin", 128 * KiB);
        screenshot("mid-upload.png");
        for (String name : names) {
            awaitDone(name);
        }
        assertEquals(3, maxRequestsInFlight(), "three uploads ran at once and never more");
        for (int i = 0; i < files.length; i++) {
            assertStoredIdentical(names.get(i), files[i]);
        }
        assertThat(page.locator("#completed-list tr")).hasCount(4);
        screenshot("done-several.png");
    }

    @Test
    void filesDroppedOnThePageUpload(@TempDir Path dir) throws Exception {
        byte[] content = new byte[200 * KiB];
        new java.util.Random(42).nextBytes(content);
        openPage("");

        // A real drop event carrying a File, as a person dragging it from their desktop.
        page.evaluate("""
                base64 => {
                  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
                  const transfer = new DataTransfer();
                  transfer.items.add(new File([bytes], 'dropped.bin', { lastModified: 1700000000000 }));
                  const zone = document.getElementById('drop-zone');
                  zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
                  zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
                }""", java.util.Base64.getEncoder().encodeToString(content));

        awaitDone("dropped.bin");
        assertThat(page.locator("#drop-zone")).not().hasClass(Pattern.compile("dragging"));
        assertStoredIdentical("dropped.bin", Files.write(dir.resolve("dropped.bin"), content));
    }

    @Test
    void fileAboveTheServersLimitFailsWithTheServersReason(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "huge.bin", 300 * KiB);
        try (TestServer limited = TestServer.start(dir.resolve("limited"), Map.of("upload.maxSize", "100000"))) {
            page = context.newPage();
            page.onPageError(pageErrors::add);
            watchCsp(page);
            page.navigate(limited.uri("/?chunkSize=65536").toString());
            waitUntilReady(page);

            page.setInputFiles("#file-input", file);

            assertThat(row("huge.bin")).hasAttribute("data-state", "failed");
            assertThat(row("huge.bin").locator(".state")).hasText("Failed: upload exceeds the maximum upload size");
            assertThat(page.locator("#announcer")).hasText("huge.bin: Failed: upload exceeds the maximum upload size");
            assertThat(rowButton("huge.bin", "Resume")).isVisible();
        }
    }

    @Test
    void completedListShowsTheFileAndItsLinkDownloadsTheSameBytes(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "report (final).bin", 300 * KiB);
        openPage("");
        page.setInputFiles("#file-input", file);
        awaitDone("report (final).bin");

        Locator link = page.locator("#completed-list a", new com.microsoft.playwright.Page.LocatorOptions()
                .setHasText("report (final).bin"));
        assertThat(page.locator("#completed")).isVisible();
        assertThat(link).hasCount(1);
        Locator listed = page.locator("#completed-list tr").filter(new Locator.FilterOptions()
                .setHasText("report (final).bin"));
        assertThat(listed.locator(".sha256")).hasText(sha256(file));
        assertThat(listed.locator(".size")).hasText("307.2 KB");

        Download download = page.waitForDownload(link::click);
        assertEquals("report (final).bin", download.suggestedFilename());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(download.path()), "downloaded bytes");

        // The same link fetched with the page's cookies: the server's headers for a download.
        APIResponse response = context.request().get(server.uri("/") + link.getAttribute("href"));
        assertEquals(200, response.status());
        assertEquals("nosniff", response.headers().get("x-content-type-options"));
        assertTrue(response.headers().get("content-disposition").startsWith("attachment;"));
        assertArrayEquals(Files.readAllBytes(file), response.body());

        // Another browser (another owner) does not see it.
        try (var stranger = chromium.browser().newContext()) {
            assertEquals(404, stranger.request().get(server.uri("/") + link.getAttribute("href")).status());
            assertEquals("[]", stranger.request().get(server.uri("/files").toString()).text());
        }
    }

    @Test
    void a255CharacterJapaneseFileNameUploadsAndIsStoredAndDownloadedUnderItsFirst200Utf8Bytes(@TempDir Path dir)
            throws Exception {
        // 255 UTF-16 units, as Windows and macOS allow: each is 3 bytes of UTF-8, 9 characters percent-encoded.
        String letters = "長い日本語のファイル名前漢字表記試験用紙";
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < 251; i++) {
            base.append(letters.charAt(i % letters.length()));
        }
        String name = base + ".bin";
        assertEquals(255, name.length());
        byte[] content = new byte[100 * KiB];
        new java.util.Random(255).nextBytes(content);
        Path original = Files.write(dir.resolve("original.bin"), content);
        openPage("");

        page.setInputFiles("#file-input", new FilePayload(name, "application/octet-stream", content));

        awaitDone(name);
        // 200 bytes less ".bin" leaves 196: 65 letters of 3 bytes (195), whole characters only.
        String expectedStored = base.substring(0, 65) + ".bin";
        assertEquals(199, expectedStored.getBytes(StandardCharsets.UTF_8).length);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) upload(name).get("result");
        assertEquals(expectedStored, result.get("name"), "cut to 200 UTF-8 bytes, keeping the extension");
        assertStoredIdentical(result.get("id").toString(), expectedStored, original);

        // What the page sent: far over the old limit of 1,024, well under the default 4,096 and the
        // containers' 8 KiB for the whole request head.
        Request last = posts.get(posts.size() - 1);
        Map<String, String> sent = last.allHeaders();
        int idLength = sent.get("x-file-id").length();
        assertTrue(idLength > 1024 && idLength <= 4096, "X-File-Id of " + idLength + " characters");
        int head = ("POST " + last.url() + " HTTP/1.1\r\n").length() + sent.entrySet().stream()
                .mapToInt(h -> h.getKey().length() + 2 + h.getValue().length() + 2).sum();
        assertTrue(head < 8 * KiB, "request head of " + head + " bytes");
        System.out.println("255-character Japanese name: X-File-Id " + idLength + " characters, X-File-Name "
                + sent.get("x-file-name").length() + ", request head " + head + " bytes");

        Locator link = page.locator("#completed-list a", new com.microsoft.playwright.Page.LocatorOptions()
                .setHasText(expectedStored));
        Download download = page.waitForDownload(link::click);
        assertEquals(expectedStored, download.suggestedFilename());
        assertArrayEquals(content, Files.readAllBytes(download.path()), "downloaded bytes");
    }

    @Test
    void thePagesPolicyRefusesInlineScriptAndTheBrowserSaysSo() {
        openPage("");
        assertEquals(List.of(), cspMessages, "the page itself keeps to its policy");

        // An injected inline script (what an injection would try) does not run.
        page.evaluate("() => { const s = document.createElement('script');"
                + " s.textContent = 'window.inlineRan = true'; document.body.appendChild(s); }");

        assertThat(page.locator("#file-input")).isAttached();
        page.waitForCondition(() -> !cspMessages.isEmpty());
        assertEquals(Boolean.FALSE, page.evaluate("() => window.inlineRan === true"));
        assertTrue(cspMessages.get(0).contains("script-src 'self'"), cspMessages.toString());
        cspMessages.clear(); // expected here; any other test fails on such a message
    }

    @Test
    void controlsAreNamedLabelledKeyboardOperableAndStateChangesAreAnnounced(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "a11y.bin", 1536 * KiB);
        // An unfinished upload from an earlier visit, so the page lists it with its Forget button.
        context.addInitScript("localStorage.setItem('resumable-upload.pending', JSON.stringify("
                + "[{ id: 'earlier.bin-10-1', name: 'earlier.bin', size: 10, lastModified: 1, addedAt: 1 }]));");
        context.addInitScript("""
                window.announcements = [];
                document.addEventListener('DOMContentLoaded', () => {
                  const live = document.getElementById('announcer');
                  new MutationObserver(() => window.announcements.push(live.textContent))
                      .observe(live, { childList: true, characterData: true, subtree: true });
                });""");
        openPage("?chunkSize=131072");
        throttleUpload(context, page, MiB);

        // The file input is reachable with the keyboard and labelled.
        page.keyboard().press("Tab");
        assertEquals("file-input", page.evaluate("() => document.activeElement.id"));
        assertThat(page.locator("#file-input")).hasAccessibleName(Pattern.compile("Choose files"));
        assertThat(page.locator("#pending-list li")).hasCount(1);

        page.setInputFiles("#file-input", file);
        awaitConfirmed("a11y.bin", 128 * KiB);

        // Pause and resume with the keyboard; focus follows to the button that replaces the pressed one.
        Locator pause = page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions()
                .setName("Pause a11y.bin"));
        pause.focus();
        page.keyboard().press("Enter");
        assertThat(row("a11y.bin")).hasAttribute("data-state", "paused");
        Locator resume = page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions()
                .setName("Resume a11y.bin"));
        assertThat(resume).isFocused();

        // Every visible button has an accessible name; the progress bar too.
        List<Locator> buttons = page.getByRole(AriaRole.BUTTON).all();
        assertTrue(buttons.size() >= 3, "pause/resume, cancel and forget buttons are present: " + buttons.size());
        for (Locator button : buttons) {
            assertThat(button).hasAccessibleName(Pattern.compile("\\S"));
        }
        assertThat(row("a11y.bin").locator("progress")).hasAccessibleName("Upload of a11y.bin");
        assertThat(page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions()
                .setName("Forget earlier.bin"))).isVisible();

        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions()
                .setName("Pause a11y.bin"))).isFocused();
        awaitDone("a11y.bin");

        Locator live = page.locator("#announcer");
        assertThat(live).hasAttribute("aria-live", "polite");
        assertThat(live).hasText("a11y.bin: Done");
        @SuppressWarnings("unchecked")
        List<String> announced = (List<String>) page.evaluate("() => window.announcements");
        assertTrue(announced.stream().anyMatch(text -> text.startsWith("a11y.bin: Uploading")), announced.toString());
        assertTrue(announced.contains("a11y.bin: Paused"), announced.toString());
        assertStoredIdentical("a11y.bin", file);

        // Cancelling with the keyboard removes the row and returns focus to the file input.
        Path other = randomFile(dir, "cancel.bin", 1536 * KiB);
        page.setInputFiles("#file-input", other);
        awaitConfirmed("cancel.bin", 128 * KiB);
        page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions()
                .setName("Cancel cancel.bin")).focus();
        page.keyboard().press("Enter");
        assertThat(row("cancel.bin")).hasCount(0);
        assertThat(page.locator("#file-input")).isFocused();
        assertThat(live).hasText("cancel.bin: cancelled");
    }

    @Test
    void phoneWidthPageFitsWithoutSidewaysScrolling(@TempDir Path dir) throws Exception {
        Path done = randomFile(dir, "holiday-photos-from-the-mountains-2026-archive-part-one.zip", 200 * KiB);
        Path running = randomFile(dir, "second.bin", 1 * MiB);
        page = null;
        context.close();
        context = chromium.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(390, 844).setIsMobile(true).setHasTouch(true).setDeviceScaleFactor(2));
        openPage("?chunkSize=131072");
        page.setInputFiles("#file-input", done);
        awaitDone(done.getFileName().toString());
        throttleUpload(context, page, 512 * KiB);
        page.setInputFiles("#file-input", running);
        awaitConfirmed("second.bin", 128 * KiB);
        rowButton("second.bin", "Pause").click();
        assertThat(row("second.bin")).hasAttribute("data-state", "paused");
        assertThat(row("second.bin").locator(".bytes")).not().containsText("sent");
        assertEquals(((Number) row("second.bin").locator("progress")
                        .evaluate("p => p.getBoundingClientRect().width * p.value / p.max")).doubleValue(),
                ((Number) row("second.bin").locator(".sent").evaluate("e => e.getBoundingClientRect().width")).doubleValue(),
                1.0, "while paused the bar shows only what the server confirmed");
        var pauseBox = rowButton("second.bin", "Resume").boundingBox();
        assertTrue(pauseBox.height >= 44 && pauseBox.width >= 44, "touch target: " + pauseBox.width + "x" + pauseBox.height);

        screenshot("phone.png");
        @SuppressWarnings("unchecked")
        Map<String, Object> widths = (Map<String, Object>) page.evaluate(
                "() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth })");
        assertFalse(((Number) widths.get("page")).intValue() > ((Number) widths.get("viewport")).intValue(),
                "page is wider than the phone: " + widths);
        rowButton("second.bin", "Resume").click();
        awaitDone("second.bin");
        assertStoredIdentical("second.bin", running);
    }
}
