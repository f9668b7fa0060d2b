package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The article's own client ("Resumable file upload", class {@code Uploader}) in a real browser: it asks
 * {@code status}, then sends the rest of the file in ONE XHR with only {@code X-File-Id} and
 * {@code X-Start-Byte}. The server must serve it unchanged.
 */
class ArticleClientIT extends BrowserTestSupport {
    /** The article's class as published; only its console logging is left out. */
    static final String ARTICLE_UPLOADER = """
            class Uploader {

              constructor({file, onProgress}) {
                this.file = file;
                this.onProgress = onProgress;

                // create fileId that uniquely identifies the file
                // we could also add user session identifier (if had one), to make it even more unique
                this.fileId = file.name + '-' + file.size + '-' + file.lastModified;
              }

              async getUploadedBytes() {
                let response = await fetch('status', {
                  headers: {
                    'X-File-Id': this.fileId
                  }
                });

                if (response.status != 200) {
                  throw new Error("Can't get uploaded bytes: " + response.statusText);
                }

                let text = await response.text();

                return +text;
              }

              async upload() {
                this.startByte = await this.getUploadedBytes();

                let xhr = this.xhr = new XMLHttpRequest();
                xhr.open("POST", "upload", true);

                // send file id, so that the server knows which file to resume
                xhr.setRequestHeader('X-File-Id', this.fileId);
                // send the byte we're resuming from, so the server knows we're resuming
                xhr.setRequestHeader('X-Start-Byte', this.startByte);

                xhr.upload.onprogress = (e) => {
                  this.onProgress(this.startByte + e.loaded, this.startByte + e.total);
                };

                xhr.send(this.file.slice(this.startByte));

                // return
                //   true if upload was successful,
                //   false if aborted
                // throw in case of an error
                return await new Promise((resolve, reject) => {

                  xhr.onload = xhr.onerror = () => {
                    if (xhr.status == 200) {
                      resolve(true);
                    } else {
                      reject(new Error("Upload failed: " + xhr.statusText));
                    }
                  };

                  // onabort triggers only when xhr.abort() is called
                  xhr.onabort = () => resolve(false);

                });
              }

              stop() {
                if (this.xhr) {
                  this.xhr.abort();
                }
              }

            }
            window.Uploader = Uploader;
            """;

    final List<Request> statusRequests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openPageWithArticleClient() {
        statusRequests.clear();
        openPage("");
        page.onRequest(request -> {
            if (request.url().endsWith("/status")) {
                statusRequests.add(request);
            }
        });
        // The article's client as a deployer would add it: a script file of the page's own origin, which
        // the page's Content-Security-Policy (script-src 'self', no inline script) allows.
        page.route("**/article-uploader.js", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                .setStatus(200).setContentType("text/javascript").setBody(ARTICLE_UPLOADER)));
        page.addScriptTag(new com.microsoft.playwright.Page.AddScriptTagOptions().setUrl("/article-uploader.js"));
        page.evaluate("() => { const input = document.createElement('input'); input.type = 'file';"
                + " input.id = 'article-file'; document.body.append(input); }");
    }

    @Test
    void articleUploaderUploadsAFileInOneRequest(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "article.bin", 700 * KiB);
        page.setInputFiles("#article-file", file);

        Object uploaded = page.evaluate("async () => { const file = document.getElementById('article-file').files[0];"
                + " window.uploader = new Uploader({ file, onProgress: () => {} }); return await uploader.upload(); }");

        assertEquals(Boolean.TRUE, uploaded);
        assertEquals(1, statusRequests.size());
        String fileId = (String) page.evaluate("() => uploader.fileId");
        assertEquals(fileId, statusRequests.get(0).headers().get("x-file-id"));
        assertEquals(1, posts.size(), "one request for the whole file");
        assertArticleHeaders(posts.get(0), fileId, 0);
        assertStoredAsListed("article.bin", file);
    }

    @Test
    void articleUploaderResumesAfterAnAbort(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "aborted.bin", 2 * MiB);
        throttleUpload(context, page, MiB);
        page.setInputFiles("#article-file", file);

        // Abort on the first progress event past 512 KiB, as a lost connection would.
        Object first = page.evaluate("async () => { const file = document.getElementById('article-file').files[0];"
                + " window.uploader = new Uploader({ file, onProgress: (loaded) => {"
                + "   if (loaded > 512 * 1024) uploader.stop(); } });"
                + " return await uploader.upload(); }");
        assertEquals(Boolean.FALSE, first, "upload() answers false when aborted");
        String fileId = (String) page.evaluate("() => uploader.fileId");
        // The server keeps what arrived once it sees the connection cut.
        page.waitForFunction("async id => +(await (await fetch('status', { headers: { 'X-File-Id': id },"
                + " cache: 'no-store' })).text()) > 0", fileId, new com.microsoft.playwright.Page.WaitForFunctionOptions()
                .setPollingInterval(20));
        long stored = serverOffset(fileId);

        Object second = page.evaluate("async () => { uploader.onProgress = () => {}; return await uploader.upload(); }");

        assertEquals(Boolean.TRUE, second);
        assertEquals(2, posts.size());
        assertArticleHeaders(posts.get(0), fileId, 0);
        assertArticleHeaders(posts.get(1), fileId, stored);
        assertTrue(stored > 0 && stored < Files.size(file), "resumed from " + stored);
        assertStoredAsListed("aborted.bin", file);
    }

    private static void assertArticleHeaders(Request post, String fileId, long startByte) {
        Map<String, String> headers = post.headers();
        assertEquals(fileId, headers.get("x-file-id"));
        assertEquals(Long.toString(startByte), headers.get("x-start-byte"));
        assertFalse(headers.containsKey("x-file-size"), "the article sends no X-File-Size");
        assertFalse(headers.containsKey("x-file-name"));
        assertFalse(headers.containsKey("content-digest"));
    }

    /** The owner's completed list (GET /files, with the page's cookies) has the file; its stored bytes match. */
    private void assertStoredAsListed(String name, Path original) throws Exception {
        String list = context.request().get(server.uri("/files").toString()).text();
        Matcher entry = Pattern.compile("\\{\"id\":\"([0-9a-f]{64})\",\"name\":\"" + Pattern.quote(name) + "\"").matcher(list);
        assertTrue(entry.find(), "listed in " + list);
        assertStoredIdentical(entry.group(1), name, original);
    }
}
