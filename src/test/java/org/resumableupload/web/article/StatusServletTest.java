package org.resumableupload.web.article;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.when;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.CreateSpec;
import org.resumableupload.core.FreeSpace;
import org.resumableupload.core.MemoryLocker;
import org.resumableupload.core.Owner;
import org.resumableupload.core.OwnerTokens;
import org.resumableupload.core.UploadSettings;
import org.resumableupload.core.Uploads;
import org.resumableupload.core.WriteSession;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.disk.DiskUploadStore;
import org.resumableupload.web.Owners;
import org.resumableupload.web.ServletMocks.Request;
import org.resumableupload.web.ServletMocks.Response;

/** {@code /status} through mocked requests and responses, over the real core and disk store. */
class StatusServletTest {
    /** The owner cookie's name on the wire. */
    static final String OWNER_COOKIE = "upload-owner";
    /** Signs the tests' owner cookies (a fixed test key). */
    static final OwnerTokens TOKENS = new OwnerTokens(new byte[OwnerTokens.KEY_BYTES]);
    private static final OwnerTokens.Issued ISSUED = TOKENS.issue();
    /** The cookie value of the owner most tests act as. */
    static final String TOKEN = ISSUED.value();
    private static final Owner TOKEN_OWNER = ISSUED.owner();

    @TempDir
    Path dir;

    private final ArticleKeys keys = new ArticleKeys(64);
    private Uploads uploads;
    private Servlet servlet;

    @BeforeEach
    void open() throws IOException {
        UploadSettings settings = new UploadSettings(dir, 1 << 20, 64, 0, Duration.ofDays(7), Duration.ofMinutes(1),
                Duration.ofMinutes(1), 64 << 20, 4096);
        uploads = new Uploads(new DiskUploadStore(dir), new MemoryLocker(), settings, Clock.systemUTC(),
                FreeSpace.UNLIMITED);
        servlet = new StatusServlet(uploads, new Owners(TOKENS));
    }

    private Response call(Request request) throws Exception {
        Response response = new Response();
        servlet.service(request.mock, response.mock);
        return response;
    }

    private static Request get(String fileId) {
        Request request = new Request("GET").cookies(new Cookie(OWNER_COOKIE, TOKEN));
        return fileId == null ? request : request.header("X-File-Id", fileId);
    }

    /** Stores {@code text} for {@code owner}'s {@code fileId}; completes the upload if {@code complete}. */
    private void store(Owner owner, String fileId, String text, boolean complete) throws Exception {
        UploadId id = keys.idFor(owner, fileId);
        byte[] data = text.getBytes();
        long size = complete ? data.length : 1000;
        WriteSession session = uploads.startOver(owner, id, new CreateSpec(size, "f", Metadata.EMPTY, false),
                new AppendSpec(0, data.length, size, AppendSpec.Ending.LAST_UNLESS_SIZED, null), stopped -> { });
        session.write(data, 0, data.length);
        session.finish();
    }

    /** The response is the error {@code status} with a plain-text reason and nothing more. */
    static void assertError(Response response, int status, String reason) {
        assertEquals(status, response.status());
        assertEquals("text/plain;charset=UTF-8", response.contentType());
        assertEquals("nosniff", response.header("X-Content-Type-Options"));
        assertEquals("SAMEORIGIN", response.header("X-Frame-Options"), "set without the filter too");
        assertEquals("no-store", response.header("Cache-Control"));
        String body = response.body();
        assertTrue(body.startsWith(reason), "body starts with the reason: " + body);
        assertNoStackTrace(body);
    }

    static void assertNoStackTrace(String body) {
        for (String leak : List.of("Exception", "\tat ", "at org.", "at java.", "org.resumableupload", "Caused by")) {
            assertFalse(body.contains(leak), "error body leaks '" + leak + "': " + body);
        }
    }

    // ---- offsets -------------------------------------------------------------------------------

    @Test
    void answersTheStoredOffsetAsPlainText() throws Exception {
        store(TOKEN_OWNER, "file-10-1", "hello", false);

        Response response = call(get("file-10-1"));

        assertEquals(200, response.status());
        assertEquals("5", response.body());
        assertEquals("5", response.header("Upload-Offset"));
        assertEquals("text/plain;charset=UTF-8", response.contentType());
        assertEquals(1, response.contentLength());
        assertEquals("no-store", response.header("Cache-Control"));
        assertEquals("nosniff", response.header("X-Content-Type-Options"));
        assertEquals("SAMEORIGIN", response.header("X-Frame-Options"), "set without the filter too");
        assertTrue(response.cookies().isEmpty(), "a known owner gets no new cookie");
    }

    @Test
    void anUnknownUploadIsAtZero() throws Exception {
        Response response = call(get("never-sent"));

        assertEquals(200, response.status());
        assertEquals("0", response.body());
        assertEquals("0", response.header("Upload-Offset"));
    }

    @Test
    void aCompletedUploadAnswersItsSize() throws Exception {
        store(TOKEN_OWNER, "done-7-1", "1234567", true);

        assertEquals("7", call(get("done-7-1")).body());
    }

    @Test
    void headAnswersTheOffsetHeader() throws Exception {
        store(TOKEN_OWNER, "f", "abc", false);
        Request head = new Request("HEAD").cookies(new Cookie(OWNER_COOKIE, TOKEN)).header("X-File-Id", "f");

        Response response = call(head);

        assertEquals(200, response.status());
        assertEquals("3", response.header("Upload-Offset"));
    }

    // ---- refusals ------------------------------------------------------------------------------

    @Test
    void aMissingFileIdIs400() throws Exception {
        Response response = call(get(null));

        assertError(response, 400, "X-File-Id header is required");
        assertNull(response.header("Upload-Offset"));
    }

    @Test
    void anEmptyFileIdIs400() throws Exception {
        assertError(call(get("")), 400, "X-File-Id header is required");
    }

    @Test
    void aTooLongFileIdIs400() throws Exception {
        assertError(call(get("x".repeat(65))), 400, "X-File-Id is longer than 64 characters");
        assertEquals(200, call(get("x".repeat(64))).status());
    }

    @Test
    void aFileIdSentTwiceWithDifferentValuesIs400() throws Exception {
        Request request = new Request("GET").cookies(new Cookie(OWNER_COOKIE, TOKEN)).header("X-File-Id", "a", "b");

        assertError(call(request), 400, "X-File-Id was sent more than once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PROPFIND"})
    void otherMethodsAre405WithAllow(String method) throws Exception {
        Request request = new Request(method).cookies(new Cookie(OWNER_COOKIE, TOKEN)).header("X-File-Id", "f");

        Response response = call(request);

        assertError(response, 405, "method not allowed");
        assertEquals(Set.of("GET", "HEAD", "OPTIONS"), response.headerElements("Allow"));
    }

    @Test
    void optionsAdvertisesExactlyTheMethodsThatAreAllowed() throws Exception {
        Response response = call(new Request("OPTIONS"));

        assertEquals(200, response.status());
        assertEquals(Set.of("GET", "HEAD", "OPTIONS"), response.headerElements("Allow"));
    }

    @Test
    void aStorageFailureIs500WithoutAStackTrace() throws Exception {
        UploadId id = keys.idFor(TOKEN_OWNER, "broken");
        // A record that cannot be read: a directory where the file should be.
        Files.createDirectories(dir.resolve("parts").resolve(id.value() + ".record"));

        Response response = call(get("broken"));

        assertError(response, 500, "storage error");
        assertEquals("storage error\ncode: storage-failure\n", response.body());
        assertEquals("storage-failure", response.header("Upload-Error"));
    }

    // ---- owners --------------------------------------------------------------------------------

    @Test
    void theFirstContactGetsAnHttpOnlySameSiteStrictCookie() throws Exception {
        Response response = call(new Request("GET").header("X-File-Id", "f"));

        assertEquals(200, response.status());
        assertEquals(1, response.cookies().size());
        Cookie cookie = response.cookies().get(0);
        assertEquals(OWNER_COOKIE, cookie.getName());
        assertTrue(cookie.getValue().matches("[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}"), cookie.getValue());
        assertTrue(cookie.isHttpOnly());
        assertEquals("Strict", cookie.getAttribute("SameSite"));
        assertFalse(cookie.getSecure(), "not Secure over plain HTTP");
        assertEquals("/", cookie.getPath());
        assertEquals(Duration.ofDays(400).toSeconds(), cookie.getMaxAge());
    }

    @Test
    void theCookieIsSecureOverHttps() throws Exception {
        Response response = call(new Request("GET").secure().header("X-File-Id", "f"));

        assertTrue(response.cookies().get(0).getSecure());
    }

    @Test
    void theCookiePathIsTheContextPath() throws Exception {
        Request request = new Request("GET").header("X-File-Id", "f");
        when(request.mock.getContextPath()).thenReturn("/uploads");

        assertEquals("/uploads", call(request).cookies().get(0).getPath());
    }

    @Test
    void theFirstContactGetsItsCookieEvenWhenRefused() throws Exception {
        Response response = call(new Request("GET"));

        assertEquals(400, response.status());
        assertEquals(1, response.cookies().size());
    }

    @Test
    void eachFirstContactGetsADifferentToken() throws Exception {
        String first = call(new Request("GET").header("X-File-Id", "f")).cookies().get(0).getValue();
        String second = call(new Request("GET").header("X-File-Id", "f")).cookies().get(0).getValue();

        assertNotEquals(first, second);
    }

    @Test
    void theIssuedCookieNamesTheSameOwnerNextTime() throws Exception {
        Cookie issued = call(new Request("GET").header("X-File-Id", "f")).cookies().get(0);
        store(TOKENS.owner(issued.getValue()).orElseThrow(), "f", "four", false);

        Response response = call(new Request("GET").cookies(issued).header("X-File-Id", "f"));

        assertEquals("4", response.body());
        assertTrue(response.cookies().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "has spaces in it and is long enough to pass 43", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"})
    void aMalformedOwnerCookieIsReplacedByAFreshOne(String value) throws Exception {
        Response response = call(new Request("GET").cookies(new Cookie(OWNER_COOKIE, value)).header("X-File-Id", "f"));

        assertEquals(1, response.cookies().size());
        assertNotEquals(value, response.cookies().get(0).getValue());
    }

    @Test
    void anotherOwnerSeesNothingOfAnUpload() throws Exception {
        store(TOKEN_OWNER, "shared-name", "secret", false);

        Response response = call(new Request("GET").cookies(new Cookie(OWNER_COOKIE, TOKENS.issue().value()))
                .header("X-File-Id", "shared-name"));

        assertEquals("0", response.body());
    }

    @Test
    void anAuthenticatedUserIsTheOwnerAndGetsNoCookie() throws Exception {
        store(Owner.user("carol"), "f", "carol's", false);

        Response carol = call(new Request("GET").remoteUser("carol").header("X-File-Id", "f"));
        Response dave = call(new Request("GET").remoteUser("dave").header("X-File-Id", "f"));
        Response tokenNamedCarol = call(new Request("GET").cookies(new Cookie(OWNER_COOKIE, TOKEN))
                .header("X-File-Id", "f"));

        assertEquals("7", carol.body());
        assertTrue(carol.cookies().isEmpty());
        assertEquals("0", dave.body());
        assertTrue(dave.cookies().isEmpty());
        assertEquals("0", tokenNamedCarol.body());
    }

    @Test
    void anAuthenticatedUserWinsOverAnOwnerCookie() throws Exception {
        store(Owner.user("carol"), "f", "carol's", false);

        Response response = call(new Request("GET").remoteUser("carol").cookies(new Cookie(OWNER_COOKIE, TOKEN))
                .header("X-File-Id", "f"));

        assertEquals("7", response.body());
    }
}
