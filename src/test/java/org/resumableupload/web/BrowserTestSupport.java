package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.UploadId;

/**
 * What the browser tests share: one app server and one headless Chromium per test class, a fresh
 * browser context (so a fresh owner cookie and empty localStorage) per test, and helpers to make
 * files, read what the server stored, throttle the network and watch the page's requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTestSupport {
    static final int KiB = 1024;
    static final int MiB = 1024 * KiB;
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    Path storage;
    TestServer server;
    Chromium chromium;
    BrowserContext context;
    Page page;
    /** Uncaught errors the page raised; a test fails if there are any. */
    final List<String> pageErrors = new CopyOnWriteArrayList<>();
    /** Console messages of the page that mention its Content Security Policy; a test fails if there are any. */
    final List<String> cspMessages = new CopyOnWriteArrayList<>();
    /** Every {@code POST upload} the page sent, in order. */
    final List<Request> posts = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startBrowserAndServer(@TempDir Path storageDir) throws Exception {
        storage = storageDir;
        chromium = Chromium.launch(); // first: without Chromium, fail at once with the install line
        server = TestServer.start(storage);
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stopBrowserAndServer() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void newContext() {
        context = chromium.browser().newContext();
        context.setDefaultTimeout(30_000);
        pageErrors.clear();
        cspMessages.clear();
        posts.clear();
    }

    @AfterEach
    void closeContext() {
        context.close();
        assertEquals(List.of(), pageErrors, "uncaught errors in the page");
        assertEquals(List.of(), cspMessages, "the page broke its Content-Security-Policy");
    }

    /** Opens the upload page with {@code query} (e.g. "?chunkSize=131072") and waits until it is ready. */
    Page openPage(String query) {
        page = context.newPage();
        page.onPageError(pageErrors::add);
        watchCsp(page);
        page.onRequest(request -> {
            if (request.method().equals("POST") && request.url().endsWith("/upload")) {
                posts.add(request);
            }
        });
        page.navigate(server.uri("/" + query).toString());
        waitUntilReady(page);
        return page;
    }

    /** Collects {@code page}'s console messages about its Content Security Policy into {@link #cspMessages}. */
    void watchCsp(Page page) {
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                cspMessages.add(message.type() + ": " + message.text());
            }
        });
    }

    static void waitUntilReady(Page page) {
        page.waitForFunction("() => window.uploadApp !== undefined");
        page.evaluate("() => window.uploadApp.ready");
    }

    /** Limits the page's upload bandwidth (Chromium's network emulation), so uploads take a while. */
    static void throttleUpload(BrowserContext context, Page page, long bytesPerSecond) {
        CDPSession cdp = context.newCDPSession(page);
        JsonObject conditions = new JsonObject();
        conditions.addProperty("offline", false);
        conditions.addProperty("latency", 0);
        conditions.addProperty("downloadThroughput", -1);
        conditions.addProperty("uploadThroughput", bytesPerSecond);
        cdp.send("Network.emulateNetworkConditions", conditions);
    }

    /** A file of {@code size} random bytes. */
    static Path randomFile(Path dir, String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(name.hashCode() * 31L + size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    static String sha256(Path file) throws IOException {
        return UploadClient.sha256Hex(file);
    }

    /** The row of the upload of {@code fileName}. */
    Locator row(String fileName) {
        return page.locator("li.upload").filter(new Locator.FilterOptions().setHasText(fileName));
    }

    /** The button {@code "ACTION FILENAME"} (e.g. {@code action} "Pause") in the row of {@code fileName}. */
    Locator rowButton(String fileName, String action) {
        return row(fileName).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(action + " " + fileName));
    }

    /**
     * Makes every page of the context count its requests in flight at once (XMLHttpRequest sends whose
     * {@code load}, {@code error}, {@code abort} or {@code timeout} has not come); read the highest count with {@link #maxRequestsInFlight()}. Call it
     * before {@link #openPage(String)}.
     */
    void countRequestsInFlight() {
        // A request ends with its load, error, abort or timeout event. The listeners are added in open(),
        // before the page sets its own handlers, so they run first: the page may send the next request
        // from its onload (in a microtask), before a later listener such as 'loadend' would run.
        context.addInitScript("""
                window.inFlight = 0; window.maxInFlight = 0;
                const open = XMLHttpRequest.prototype.open;
                const send = XMLHttpRequest.prototype.send;
                XMLHttpRequest.prototype.open = function (...args) {
                  if (!this.counted) {
                    this.counted = true;
                    const ended = () => { if (this.inFlight) { this.inFlight = false; window.inFlight--; } };
                    for (const type of ['load', 'error', 'abort', 'timeout']) this.addEventListener(type, ended);
                  }
                  return open.apply(this, args);
                };
                XMLHttpRequest.prototype.send = function (body) {
                  this.inFlight = true;
                  window.inFlight++; window.maxInFlight = Math.max(window.maxInFlight, window.inFlight);
                  return send.call(this, body);
                };""");
    }

    /** The most requests the page had in flight at once since {@link #countRequestsInFlight()}. */
    int maxRequestsInFlight() {
        return ((Number) page.evaluate("() => window.maxInFlight")).intValue();
    }

    /** Waits until the page's upload of {@code fileName} is done. */
    void awaitDone(String fileName) {
        PlaywrightAssertions.assertThat(row(fileName)).hasAttribute("data-state", "done");
    }

    /** Waits until the server has confirmed at least {@code bytes} of {@code fileName} to the page. */
    void awaitConfirmed(String fileName, long bytes) {
        page.waitForFunction("([name, bytes]) => { const u = uploadApp.queue.uploads.find(u => u.file.name === name);"
                + " return u !== undefined && u.confirmed >= bytes; }", List.of(fileName, (double) bytes),
                new Page.WaitForFunctionOptions().setPollingInterval(10));
    }

    /** The page's upload of {@code fileName}: its JavaScript object's simple fields. */
    @SuppressWarnings("unchecked")
    Map<String, Object> upload(String fileName) {
        return (Map<String, Object>) page.evaluate("name => { const u = uploadApp.queue.uploads.find(u => u.file.name === name);"
                + " return { id: u.id, state: u.state, confirmed: u.confirmed, size: u.size, result: u.result }; }",
                fileName);
    }

    /** The stored offset the server reports for the client file id {@code clientFileId} (asked from the page). */
    long serverOffset(String clientFileId) {
        Object text = page.evaluate("id => fetch('status', { headers: { 'X-File-Id': encodeURIComponent(id) },"
                + " cache: 'no-store' }).then(r => r.text())", clientFileId);
        return Long.parseLong(text.toString().strip());
    }

    /** Asserts the server stored {@code fileName} (completed/ID/NAME on disk) byte-identical to {@code original}. */
    @SuppressWarnings("unchecked")
    void assertStoredIdentical(String fileName, Path original) throws IOException {
        Map<String, Object> result = (Map<String, Object>) upload(fileName).get("result");
        assertNotNull(result, "the server's completion answer for " + fileName);
        assertStoredIdentical(result.get("id").toString(), result.get("name").toString(), original);
    }

    void assertStoredIdentical(String serverId, String storedName, Path original) throws IOException {
        Path stored = StoredFiles.completedFile(storage, UploadId.of(serverId));
        assertEquals(storedName, stored.getFileName().toString(), "stored name");
        assertTrue(Files.isRegularFile(stored), "stored file " + stored);
        assertEquals(Files.size(original), Files.size(stored), "stored size");
        assertEquals(sha256(original), sha256(stored), "SHA-256 of the stored file");
    }

    /** The {@code X-Start-Byte} of a recorded POST. */
    static long startByte(Request post) {
        return Long.parseLong(post.headers().get("x-start-byte"));
    }

    void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)).setFullPage(true));
    }
}
