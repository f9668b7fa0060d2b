package org.resumableupload.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The system Chromium driven by Playwright, offline: no browser download, the executable from
 * {@code CHROMIUM_PATH} or {@code /usr/bin/chromium}. Browser tests fail (never skip) when it is
 * missing, with one line saying how to install it.
 */
final class Chromium implements AutoCloseable {
    static final String DEFAULT_PATH = "/usr/bin/chromium";
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Starts headless Chromium; throws {@link ChromiumNotFound} if the executable is missing. */
    static Chromium launch() {
        return launch(executable());
    }

    /** Starts headless Chromium from {@code executable}; throws {@link ChromiumNotFound} if it is missing. */
    static Chromium launch(Path executable) {
        if (!Files.isExecutable(executable)) {
            throw new ChromiumNotFound("Chromium not found at " + executable
                    + ": install it with `apt-get install -y chromium` (see README prerequisites)");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(executable)
                    .setHeadless(true)
                    .setArgs(ARGS));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    static Path executable() {
        String configured = System.getenv("CHROMIUM_PATH");
        return Path.of(configured == null || configured.isBlank() ? DEFAULT_PATH : configured);
    }

    Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }

    /** A missing browser: one line, no stack trace, so the cause is not buried. */
    static final class ChromiumNotFound extends AssertionError {
        ChromiumNotFound(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
