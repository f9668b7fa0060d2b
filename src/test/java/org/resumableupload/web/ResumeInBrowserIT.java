package org.resumableupload.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.Locator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page carries on after a lost network, a pause, a reload, and a damaged chunk: never from 0. */
class ResumeInBrowserIT extends BrowserTestSupport {
    private static final String SMALL_CHUNKS = "?chunkSize=131072";

    /**
     * Picks a new 1.5 MiB file {@code name} in the page (small chunks, upload throttled to 1 MiB/s) and
     * returns once the server has confirmed {@code confirmed} bytes of it.
     */
    private Path uploadingThrottled(Path dir, String name, long confirmed) throws Exception {
        Path file = randomFile(dir, name, 1536 * KiB);
        openPage(SMALL_CHUNKS);
        throttleUpload(context, page, MiB);
        page.setInputFiles("#file-input", file);
        awaitConfirmed(name, confirmed);
        return file;
    }

    @Test
    void uploadWaitsForTheNetworkAndFinishesWhenItReturnsWithoutAClick(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "offline.bin", 1536 * KiB);
        openPage(SMALL_CHUNKS);
        // Hold the request for the third chunk, so the network drops while it is in flight. (Bandwidth
        // throttling is not used here: a second session's network emulation can undo setOffline.)
        List<Route> held = new CopyOnWriteArrayList<>();
        page.route("**/upload", route -> {
            if (held.isEmpty() && "262144".equals(route.request().headers().get("x-start-byte"))) {
                held.add(route);
            } else {
                route.resume();
            }
        });
        page.setInputFiles("#file-input", file);
        page.waitForCondition(() -> !held.isEmpty());

        context.setOffline(true);
        held.get(0).abort("internetdisconnected");

        assertThat(row("offline.bin")).hasAttribute("data-state", "offline");
        assertThat(row("offline.bin").locator(".state")).hasText("Waiting for network");
        assertThat(page.locator("#announcer")).hasText("offline.bin: Waiting for network");
        screenshot("offline.png");
        int postsBefore = posts.size();

        context.setOffline(false); // no click: the page's 'online' event restarts it

        awaitDone("offline.bin");
        List<Request> after = posts.subList(postsBefore, posts.size());
        assertTrue(!after.isEmpty() && startByte(after.get(0)) >= 256 * KiB,
                "the first request after the network returned resumed from the stored offset, not 0");
        assertStoredIdentical("offline.bin", file);
    }

    @Test
    void resumeAfterPauseStartsAtTheServersOffset(@TempDir Path dir) throws Exception {
        Path file = uploadingThrottled(dir, "pause.bin", 256 * KiB);

        rowButton("pause.bin", "Pause").click();
        assertThat(row("pause.bin")).hasAttribute("data-state", "paused");
        assertThat(row("pause.bin").locator(".state")).hasText("Paused");
        long stored = serverOffset(upload("pause.bin").get("id").toString());
        int postsBefore = posts.size();

        rowButton("pause.bin", "Resume").click();

        awaitDone("pause.bin");
        assertTrue(stored >= 256 * KiB, "server offset while paused: " + stored);
        assertTrue(posts.size() > postsBefore, "requests were sent after resuming");
        assertEquals(stored, startByte(posts.get(postsBefore)), "first X-Start-Byte after resume");
        assertStoredIdentical("pause.bin", file);
    }

    @Test
    void pauseWhileAskingTheServersOffsetStaysPaused(@TempDir Path dir) throws Exception {
        Path file = uploadingThrottled(dir, "hold.bin", 128 * KiB);
        Locator pause = rowButton("hold.bin", "Pause");
        Locator resume = rowButton("hold.bin", "Resume");
        pause.click();
        assertThat(row("hold.bin")).hasAttribute("data-state", "paused");

        // Hold the next status request, pause while it is in flight, then let it answer.
        List<Route> held = new CopyOnWriteArrayList<>();
        page.route("**/status", held::add);
        page.evaluate("() => { const u = uploadApp.queue.uploads[0]; const run = u.run;"
                + " u.run = function () { window.runDone = run.call(this); return window.runDone; }; }");
        resume.click();
        page.waitForCondition(() -> !held.isEmpty());
        pause.click();
        int postsBefore = posts.size();
        held.get(0).resume();
        page.evaluate("() => window.runDone");

        assertEquals("paused", upload("hold.bin").get("state"), "the pause was kept");
        assertEquals(postsBefore, posts.size(), "nothing was sent after the pause");
        page.unroute("**/status");
        resume.click();
        awaitDone("hold.bin");
        assertStoredIdentical("hold.bin", file);
    }

    @Test
    void pauseAndResumeWhileAskingTheServersOffsetRunsOneUploadNotTwo(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "twice.bin", 1536 * KiB);
        countRequestsInFlight();
        openPage(SMALL_CHUNKS);
        throttleUpload(context, page, MiB);
        List<Response> answers = new CopyOnWriteArrayList<>();
        page.onResponse(response -> {
            if (response.url().endsWith("/upload")) {
                answers.add(response);
            }
        });
        page.setInputFiles("#file-input", file);
        awaitConfirmed("twice.bin", 128 * KiB);
        Locator pause = rowButton("twice.bin", "Pause");
        Locator resume = rowButton("twice.bin", "Resume");
        pause.click();
        assertThat(row("twice.bin")).hasAttribute("data-state", "paused");

        // Resume, pause and resume again while the first status request is held.
        List<Route> held = new CopyOnWriteArrayList<>();
        page.route("**/status", held::add);
        resume.click();
        page.waitForCondition(() -> held.size() == 1);
        pause.click();
        resume.click();
        page.waitForCondition(() -> held.size() == 2);
        page.unroute("**/status");
        held.get(0).resume();
        held.get(1).resume();

        awaitDone("twice.bin");
        assertEquals(1, maxRequestsInFlight(), "one request at a time for one upload");
        assertTrue(answers.stream().allMatch(r -> r.status() == 204 || r.status() == 200),
                "no request was refused or superseded: " + answers.stream().map(Response::status).toList());
        assertStoredIdentical("twice.bin", file);
    }

    @Test
    void afterAReloadTheSameFilePickedAgainResumes(@TempDir Path dir) throws Exception {
        Path file = uploadingThrottled(dir, "reload.bin", 256 * KiB);

        page.reload();
        waitUntilReady(page);
        int postsBefore = posts.size();

        Locator pending = page.locator("#pending-list li");
        assertThat(page.locator("#pending")).isVisible();
        assertThat(pending).hasCount(1);
        assertThat(pending).containsText("reload.bin");
        assertThat(pending).containsText("stored; pick it again to resume");
        assertThat(page.locator("#uploads-section")).isHidden();
        screenshot("pending-after-reload.png");

        page.setInputFiles("#file-input", file);

        awaitDone("reload.bin");
        List<Request> after = posts.subList(postsBefore, posts.size());
        assertTrue(!after.isEmpty() && startByte(after.get(0)) > 0, "resumed with X-Start-Byte > 0");
        assertStoredIdentical("reload.bin", file);
        assertThat(page.locator("#pending")).isHidden();
        assertEquals("[]", page.evaluate("() => localStorage.getItem('resumable-upload.pending')"),
                "the finished upload is forgotten");
    }

    @Test
    void serverErrorIsRetriedAfterABackoffShowingTheNextAttemptsTime(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "retry.bin", 512 * KiB);
        openPage(SMALL_CHUNKS);
        // The second chunk is answered once as a server in trouble would; the real server sees the rest.
        List<String> failedOnce = new CopyOnWriteArrayList<>();
        page.route("**/upload", route -> {
            if (failedOnce.isEmpty() && "131072".equals(route.request().headers().get("x-start-byte"))) {
                failedOnce.add("131072");
                route.fulfill(new Route.FulfillOptions().setStatus(503)
                        .setBody("server is shutting down; what was stored is kept\n"));
            } else {
                route.resume();
            }
        });

        page.setInputFiles("#file-input", file);

        assertThat(row("retry.bin")).hasAttribute("data-state", "retrying");
        assertThat(row("retry.bin").locator(".state")).hasText(java.util.regex.Pattern.compile(
                "^Retrying at \\d{1,2}:\\d{2}:\\d{2}.*: server is shutting down; what was stored is kept$"));
        awaitDone("retry.bin");
        assertEquals(List.of("131072"), failedOnce);
        List<Long> starts = posts.stream().map(ResumeInBrowserIT::startByte).toList();
        assertEquals(List.of(0L, 131072L, 131072L, 262144L, 393216L), starts, "the failed chunk was sent again, nothing from 0");
        assertStoredIdentical("retry.bin", file);
    }

    @Test
    void chunkWithAWrongDigestIsRefusedAndSentAgain(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "digest.bin", 640 * KiB);
        openPage(SMALL_CHUNKS);
        String wrongDigest = "sha-256=:" + Base64.getEncoder().encodeToString(new byte[32]) + ":";
        List<Long> tampered = new ArrayList<>();
        page.route("**/upload", route -> {
            Map<String, String> headers = new HashMap<>(route.request().headers());
            if (tampered.isEmpty() && "262144".equals(headers.get("x-start-byte"))) {
                tampered.add(262144L);
                headers.put("content-digest", wrongDigest);
                route.resume(new Route.ResumeOptions().setHeaders(headers));
            } else {
                route.resume();
            }
        });
        List<Response> answers = new CopyOnWriteArrayList<>();
        page.onResponse(response -> {
            if (response.url().endsWith("/upload")) {
                answers.add(response);
            }
        });

        page.setInputFiles("#file-input", file);

        awaitDone("digest.bin");
        assertEquals(List.of(262144L), tampered);
        List<Response> refused = answers.stream().filter(r -> r.status() == 400).toList();
        assertEquals(1, refused.size(), "exactly one chunk was refused");
        assertEquals("262144", refused.get(0).request().headers().get("x-start-byte"));
        assertEquals("262144", refused.get(0).headerValue("upload-offset"), "the offset did not move");
        assertTrue(refused.get(0).text().startsWith("Content-Digest does not match"), refused.get(0).text());
        int index = answers.indexOf(refused.get(0));
        assertEquals("262144", answers.get(index + 1).request().headers().get("x-start-byte"), "the chunk was sent again");
        assertEquals(204, answers.get(index + 1).status());
        assertTrue(answers.stream().allMatch(r -> r.status() == 400 || r.status() == 204 || r.status() == 200));
        assertStoredIdentical("digest.bin", file);
    }
}
