package org.resumableupload.web.article;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.resumableupload.web.article.StatusServletTest.OWNER_COOKIE;
import static org.resumableupload.web.article.StatusServletTest.assertError;
import static org.resumableupload.web.article.StatusServletTest.assertNoStackTrace;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.core.MemoryLocker;
import org.resumableupload.core.Owner;
import org.resumableupload.core.Upload;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.UploadSettings;
import org.resumableupload.core.Uploads;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.disk.DiskUploadStore;
import org.resumableupload.web.Owners;
import org.resumableupload.web.ServletMocks.Body;
import org.resumableupload.web.ServletMocks.Request;
import org.resumableupload.web.ServletMocks.Response;

/**
 * {@code /upload} through mocked requests and responses, over the real core and disk store. The
 * body is handed to the servlet's {@code ReadListener} in one go by {@link Body}; streaming over real
 * sockets is left to the integration tests.
 */
class UploadServletTest {
    private static final String TOKEN = StatusServletTest.TOKEN;
    private static final Owner OWNER = StatusServletTest.TOKENS.owner(TOKEN).orElseThrow();
    private static final long MAX_SIZE = 100;

    @TempDir
    Path dir;

    private final ArticleKeys keys = new ArticleKeys(64);
    private DiskUploadStore store;
    private Uploads uploads;
    private Servlet servlet;

    /** Settings the tests vary. */
    private static final class Settings {
        long diskReserve = 0;
        Duration idleTimeout = Duration.ofHours(1);
    }

    @BeforeEach
    void open() throws IOException {
        store = new DiskUploadStore(dir);
        useCore(settings -> { });
    }

    private void useCore(Consumer<Settings> change) {
        Settings settings = new Settings();
        change.accept(settings);
        uploads = new Uploads(store, new MemoryLocker(), new UploadSettings(dir, MAX_SIZE, 64, settings.diskReserve,
                Duration.ofDays(7), Duration.ofMinutes(1), settings.idleTimeout, 64 << 20, 4096), Clock.systemUTC(),
                store::usableSpace);
        servlet = new UploadServlet(uploads, new Owners(StatusServletTest.TOKENS));
    }

    /** One request and what the servlet did with it. */
    private record Exchange(Request request, Response response, AsyncContext async, Body body) {
    }

    /** A POST of the owner with the cookie {@link #TOKEN}; {@code headers} as name, value pairs. */
    private static Request post(String... headers) {
        Request request = new Request("POST").cookies(new Cookie(OWNER_COOKIE, TOKEN));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    private Exchange send(Request request, Body body) throws Exception {
        AsyncContext async = mock(AsyncContext.class);
        when(request.mock.startAsync()).thenReturn(async);
        when(request.mock.getInputStream()).thenReturn(body);
        Response response = new Response();
        servlet.service(request.mock, response.mock);
        return new Exchange(request, response, async, body);
    }

    /** Sends {@code text} as a body whose Content-Length is known. */
    private Exchange send(Request request, String text) throws Exception {
        request.contentLength(text.getBytes(StandardCharsets.UTF_8).length);
        return send(request, Body.of(text));
    }

    /**
     * The request was refused with {@code status} and {@code reason} before its body was streamed or
     * anything stored: a small body is only drained (to its end, before the answer, on a connection kept
     * open).
     */
    private void assertRefusedUpFront(Exchange exchange, int status, String reason) throws Exception {
        assertError(exchange.response(), status, reason);
        assertTrue(exchange.body() == null || exchange.body().isFinished(), "the small body was drained");
        assertEquals(null, exchange.response().header("Connection"), "drained: the connection stays open");
        assertTrue(store.listParts().isEmpty(), "nothing stored");
    }

    /**
     * The request was refused with {@code status} and {@code reason}, told the stored offset {@code offset}
     * of upload {@code "f"}, and that offset is still what is stored.
     */
    private void assertRefusedAt(Exchange exchange, int status, String reason, long offset) throws Exception {
        assertError(exchange.response(), status, reason);
        assertEquals(Long.toString(offset), exchange.response().header("Upload-Offset"));
        assertEquals(offset, stored("f"));
    }

    /** Stores {@code "hello"}, the first 5 of 10 declared bytes, as upload {@code fileId} (answered 204). */
    private void storeHelloOfTen(String fileId) throws Exception {
        assertEquals(204, send(post("X-File-Id", fileId, "X-File-Size", "10"), "hello").response().status());
    }

    private UploadId id(String fileId) throws UploadException {
        return keys.idFor(OWNER, fileId);
    }

    private long stored(String fileId) throws UploadException {
        return storedOf(OWNER, fileId);
    }

    /** What {@code owner}'s upload {@code fileId} holds, as status answers it (0 if there is none). */
    private long storedOf(Owner owner, String fileId) throws UploadException {
        return uploads.find(owner, keys.idFor(owner, fileId)).map(Upload::offset).orElse(0L);
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code Content-Digest} / {@code Repr-Digest} value of {@code text}: {@code sha-256=:BASE64:}. */
    private static String digestOf(String text) throws Exception {
        return "sha-256=:" + Base64.getEncoder().encodeToString(sha256(text)) + ":";
    }

    private String completedContent(String fileId) throws Exception {
        try (CompletedContent content = uploads.completed().open(OWNER, id(fileId))) {
            SeekableByteChannel channel = content.channel();
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read all
            }
            return new String(buffer.array(), StandardCharsets.UTF_8);
        }
    }

    // ---- success -------------------------------------------------------------------------------

    @Test
    void aWholeBodyWithoutASizeCompletesTheUploadWith200AndItsDigest() throws Exception {
        Exchange exchange = send(post("X-File-Id", "notes.txt-11-1700000000000"), "hello world");

        Response response = exchange.response();
        assertEquals(200, response.status());
        assertEquals("application/json;charset=UTF-8", response.contentType());
        assertEquals("11", response.header("Upload-Offset"));
        assertEquals(digestOf("hello world"), response.header("Repr-Digest"));
        assertEquals("nosniff", response.header("X-Content-Type-Options"));
        assertEquals("SAMEORIGIN", response.header("X-Frame-Options"));
        String json = response.body();
        assertTrue(json.contains("\"id\":\"" + id("notes.txt-11-1700000000000").value() + "\""), json);
        assertTrue(json.contains("\"name\":\"notes.txt\""), json);
        assertTrue(json.contains("\"size\":11"), json);
        assertTrue(json.contains("\"sha256\":\"" + HexFormat.of().formatHex(sha256("hello world")) + "\""), json);
        assertTrue(json.contains("\"completedAt\":\""), json);
        assertEquals("hello world", completedContent("notes.txt-11-1700000000000"));
        verify(exchange.async()).setTimeout(0);
        verify(exchange.async()).complete();
    }

    @Test
    void aChunkThatDoesNotCompleteIs204WithTheNewOffset() throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", "10"), "hello");

        assertEquals(204, exchange.response().status());
        assertEquals("5", exchange.response().header("Upload-Offset"));
        assertEquals("", exchange.response().body());
        assertEquals(5, stored("f"));
        verify(exchange.async()).complete();
    }

    @Test
    void chunksWithASizeCompleteWhenTheLastArrives() throws Exception {
        send(post("X-File-Id", "f", "X-File-Size", "10", "X-File-Name", "r%C3%A9sum%C3%A9.txt"), "hello");

        Exchange last = send(post("X-File-Id", "f", "X-File-Size", "10", "X-Start-Byte", "5"), "world");

        assertEquals(200, last.response().status());
        assertTrue(last.response().body().contains("\"name\":\"résumé.txt\""), last.response().body());
        assertEquals("helloworld", completedContent("f"));
    }

    @Test
    void aBodyCutShortIsAnswered400WithTheOffsetKeptNeverASuccess() throws Exception {
        Request request = post("X-File-Id", "f").contentLength(10);

        Exchange exchange = send(request, Body.of("0123456789").cutAfter(4));

        // If the connection still carries an answer, it must not read as success (the container
        // would otherwise send 200 for a completed async request).
        assertEquals(400, exchange.response().status());
        assertEquals("4", exchange.response().header("Upload-Offset"));
        verify(exchange.async()).complete();
        assertEquals(4, stored("f"));
        assertFalse(uploads.get(OWNER, id("f")).isComplete(), "a cut body never completes");
    }

    @Test
    void postingAtTheEndOfACompletedUploadAnswers200Again() throws Exception {
        send(post("X-File-Id", "f"), "abc");

        Exchange again = send(post("X-File-Id", "f", "X-Start-Byte", "3"), "");

        assertEquals(200, again.response().status());
        assertEquals("3", again.response().header("Upload-Offset"));
    }

    @Test
    void aChunkWithAMatchingDigestIsStored() throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", "10",
                "Content-Digest", digestOf("hello")), "hello");

        assertEquals(204, exchange.response().status());
        assertEquals(5, stored("f"));
    }

    // ---- refused before the body ---------------------------------------------------------------

    @Test
    void aMissingFileIdIs400() throws Exception {
        Exchange exchange = send(post(), "data");

        assertRefusedUpFront(exchange, 400, "X-File-Id header is required");
    }

    @Test
    void anEmptyFileIdIs400() throws Exception {
        Exchange exchange = send(post("X-File-Id", ""), "data");

        assertRefusedUpFront(exchange, 400, "X-File-Id header is required");
    }

    @Test
    void aTooLongFileIdIs400() throws Exception {
        Exchange exchange = send(post("X-File-Id", "x".repeat(65)), "data");

        assertRefusedUpFront(exchange, 400, "X-File-Id is longer than 64 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+5", "abc", "0x10", "1e3", "5.0", "1 0", "99999999999999999999", "9223372036854775808"})
    void aMalformedStartByteIs400(String value) throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "X-Start-Byte", value), "data");

        assertRefusedUpFront(exchange, 400, "X-Start-Byte");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "ten", "", "9223372036854775808"})
    void aMalformedFileSizeIs400(String value) throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", value), "data");

        assertRefusedUpFront(exchange, 400, "X-File-Size");
    }

    @Test
    void aStartByteSentTwiceWithDifferentValuesIs400() throws Exception {
        Request request = post("X-File-Id", "f");
        request.header("X-Start-Byte", "0", "5");

        Exchange exchange = send(request, "data");

        assertRefusedUpFront(exchange, 400, "X-Start-Byte was sent more than once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%ZZ", "%FF", "caf\u00e9"})
    void aBrokenFileNameIs400(String value) throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "X-File-Name", value), "data");

        assertRefusedUpFront(exchange, 400, "X-File-Name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha-256=:AAAA:", "sha-512=:AAAA:", "sha-256=abc", "nonsense"})
    void aBadContentDigestIs400(String value) throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "Content-Digest", value), "data");

        assertRefusedUpFront(exchange, 400, "Content-Digest must carry sha-256");
    }

    @Test
    void aStaleOffsetIs409WithTheStoredOffsetAndChangesNothing() throws Exception {
        storeHelloOfTen("f");

        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", "10", "X-Start-Byte", "3"), "lo wo");

        assertRefusedAt(exchange, 409, "X-Start-Byte does not match the stored offset", 5);
        assertTrue(exchange.response().body().endsWith("offset: 5\n"), exchange.response().body());
        assertTrue(exchange.body().isFinished(), "the refused body was drained, not streamed into the upload");
    }

    @Test
    void resumingAnUnknownUploadIs409WithOffsetZero() throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "X-Start-Byte", "42"), "data");

        assertRefusedUpFront(exchange, 409, "X-Start-Byte does not match");
        assertEquals("0", exchange.response().header("Upload-Offset"));
    }

    @Test
    void aChangedFileSizeIs409WithTheStoredOffset() throws Exception {
        storeHelloOfTen("f");

        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", "11", "X-Start-Byte", "5"), "world!");

        assertRefusedAt(exchange, 409, "X-File-Size differs", 5);
    }

    @Test
    void aDeclaredSizeAboveTheMaximumIs413() throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", Long.toString(MAX_SIZE + 1)), "data");

        assertRefusedUpFront(exchange, 413, "upload exceeds the maximum upload size");
    }

    @Test
    void aContentLengthAboveTheMaximumIs413() throws Exception {
        Exchange exchange = send(post("X-File-Id", "f").contentLength(MAX_SIZE + 1), Body.of("x"));

        assertRefusedUpFront(exchange, 413, "upload exceeds the maximum upload size");
    }

    @Test
    void aContentLengthPastTheDeclaredSizeIs413() throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", "3"), "four");

        assertRefusedUpFront(exchange, 413, "body goes past the declared X-File-Size");
    }

    @Test
    void aResumedBodyPastTheDeclaredSizeIs413WithTheStoredOffset() throws Exception {
        storeHelloOfTen("f");

        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", "10", "X-Start-Byte", "5"), "world!");

        assertRefusedAt(exchange, 413, "body goes past the declared X-File-Size", 5);
    }

    @Test
    void bytesPastTheEndOfACompletedUploadAre413() throws Exception {
        send(post("X-File-Id", "f"), "abc");

        Exchange exchange = send(post("X-File-Id", "f", "X-Start-Byte", "3"), "more");

        assertError(exchange.response(), 413, "body goes past the declared X-File-Size");
        assertEquals("3", exchange.response().header("Upload-Offset"));
        assertEquals("abc", completedContent("f"));
    }

    @Test
    void belowTheDiskReserveAnUploadIs507BeforeAnythingIsWritten() throws Exception {
        useCore(settings -> settings.diskReserve = Long.MAX_VALUE);

        Exchange exchange = send(post("X-File-Id", "f"), "data");

        assertRefusedUpFront(exchange, 507, "not enough free disk space");
    }

    @Test
    void aStorageFailureIs500WithoutAStackTrace() throws Exception {
        Files.createDirectories(dir.resolve("parts").resolve(id("broken").value() + ".record"));

        Exchange exchange = send(post("X-File-Id", "broken"), "data");

        assertError(exchange.response(), 500, "storage error");
        assertEquals("storage error\ncode: storage-failure\n", exchange.response().body());
    }

    // ---- refused while the body streams --------------------------------------------------------

    @Test
    void aChunkWhoseDigestDoesNotMatchIs400AndIsDiscarded() throws Exception {
        storeHelloOfTen("f");

        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", "10", "X-Start-Byte", "5",
                "Content-Digest", digestOf("WORLD")), "world");

        assertRefusedAt(exchange, 400, "Content-Digest does not match the body", 5);
        verify(exchange.async()).complete();
    }

    @Test
    void aBodyOfUnknownLengthPastTheDeclaredSizeIs413AndIsDiscarded() throws Exception {
        Exchange exchange = send(post("X-File-Id", "f", "X-File-Size", "4"), Body.of("123456"));

        assertRefusedAt(exchange, 413, "body goes past the declared X-File-Size", 0);
        verify(exchange.async(), times(1)).complete();
    }

    @Test
    void aStalledRequestTakenOverByANewerOneIs409AndKeepsWhatItWrote() throws Exception {
        Exchange stalled = send(post("X-File-Id", "f", "X-File-Size", "10"), Body.of("0123456789").stallAfter(4));
        assertFalse(stalled.response().answered(), "still waiting for the rest of its body");

        Exchange newer = send(post("X-File-Id", "f", "X-File-Size", "10", "X-Start-Byte", "4"), "456789");

        assertError(stalled.response(), 409, "a newer request for this upload took over");
        assertEquals("4", stalled.response().header("Upload-Offset"));
        verify(stalled.async()).complete();
        assertEquals(200, newer.response().status());
        assertEquals("0123456789", completedContent("f"));
    }

    @Test
    void anIdleRequestIsStoppedWith408KeepingWhatItWrote() throws Exception {
        useCore(settings -> settings.idleTimeout = Duration.ofNanos(1));
        Exchange stalled = send(post("X-File-Id", "f"), Body.of("0123456789").stallAfter(3));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!stalled.response().answered() && System.nanoTime() < deadline) {
            uploads.sweep();
        }

        assertRefusedAt(stalled, 408, "no bytes arrived for too long", 3);
        verify(stalled.async()).complete();
    }

    @Test
    void aRequestRunningAtShutdownIs503KeepingWhatItWrote() throws Exception {
        Exchange stalled = send(post("X-File-Id", "f"), Body.of("0123456789").stallAfter(6));

        uploads.close();

        assertRefusedAt(stalled, 503, "server is shutting down", 6);
    }

    // ---- methods -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PROPFIND"})
    void otherMethodsAre405WithAllow(String method) throws Exception {
        Request request = new Request(method).cookies(new Cookie(OWNER_COOKIE, TOKEN)).header("X-File-Id", "f");

        Exchange exchange = send(request, "data");

        assertRefusedUpFront(exchange, 405, "method not allowed");
        assertEquals(Set.of("POST", "OPTIONS"), exchange.response().headerElements("Allow"));
    }

    @Test
    void optionsAdvertisesExactlyTheMethodsThatAreAllowed() throws Exception {
        Exchange exchange = send(new Request("OPTIONS"), Body.of(""));

        assertEquals(200, exchange.response().status());
        assertEquals(Set.of("POST", "OPTIONS"), exchange.response().headerElements("Allow"));
    }

    // ---- owners --------------------------------------------------------------------------------

    @Test
    void theFirstContactGetsAnHttpOnlySameSiteStrictCookieAndItsUploadIsStored() throws Exception {
        Request request = new Request("POST").header("X-File-Id", "f").header("X-File-Size", "10");

        Exchange exchange = send(request, "hello");

        assertEquals(204, exchange.response().status());
        Cookie cookie = exchange.response().cookies().get(0);
        assertEquals(OWNER_COOKIE, cookie.getName());
        assertTrue(cookie.isHttpOnly());
        assertEquals("Strict", cookie.getAttribute("SameSite"));
        assertFalse(cookie.getSecure());
        Owner issued = StatusServletTest.TOKENS.owner(cookie.getValue()).orElseThrow();
        assertEquals(5, storedOf(issued, "f"));
        assertEquals(0, stored("f"), "not the upload of another owner");
    }

    @Test
    void theCookieIsSecureOverHttps() throws Exception {
        Exchange exchange = send(new Request("POST").secure().header("X-File-Id", "f"), "x");

        assertTrue(exchange.response().cookies().get(0).getSecure());
    }

    @Test
    void aRefusedFirstContactStillGetsItsCookie() throws Exception {
        Exchange exchange = send(new Request("POST"), "x");

        assertEquals(400, exchange.response().status());
        assertEquals(1, exchange.response().cookies().size());
        verify(exchange.response().mock).resetBuffer();
        verify(exchange.response().mock, never()).reset();
    }

    @Test
    void aKnownOwnerGetsNoNewCookie() throws Exception {
        assertTrue(send(post("X-File-Id", "f"), "x").response().cookies().isEmpty());
    }

    @Test
    void anAuthenticatedUserIsTheOwnerAndGetsNoCookie() throws Exception {
        Request request = new Request("POST").remoteUser("carol").header("X-File-Id", "f")
                .header("X-File-Size", "10");

        Exchange exchange = send(request, "carol");

        assertEquals(204, exchange.response().status());
        assertTrue(exchange.response().cookies().isEmpty());
        Owner carol = Owner.user("carol");
        assertEquals(5, storedOf(carol, "f"));
        Owner dave = Owner.user("dave");
        assertEquals(0, storedOf(dave, "f"));
    }

    @Test
    void anotherOwnerCannotResumeAnUpload() throws Exception {
        storeHelloOfTen("shared");
        Request intruder = new Request("POST").cookies(new Cookie(OWNER_COOKIE, StatusServletTest.TOKENS.issue().value()))
                .header("X-File-Id", "shared").header("X-File-Size", "10").header("X-Start-Byte", "5");

        Exchange exchange = send(intruder, "world");

        assertError(exchange.response(), 409, "X-Start-Byte does not match");
        assertEquals("0", exchange.response().header("Upload-Offset"));
        assertEquals(5, stored("shared"));
    }

    @Test
    void noErrorBodyCarriesAStackTrace() throws Exception {
        Exchange[] refusals = {
                send(post(), "x"),
                send(post("X-File-Id", "f", "X-Start-Byte", "nope"), "x"),
                send(post("X-File-Id", "f", "Content-Digest", "bad"), "x"),
                send(post("X-File-Id", "f", "X-Start-Byte", "7"), "x"),
                send(post("X-File-Id", "f", "X-File-Size", "1000"), "x"),
                send(new Request("PUT"), "x"),
        };

        for (Exchange refusal : refusals) {
            assertTrue(refusal.response().status() >= 400);
            assertNoStackTrace(refusal.response().body());
            assertNull(refusal.response().header("Repr-Digest"));
        }
    }

    @Test
    void theDigestOfAFileResumedAcrossRequestsIsTheWholeFilesDigest() throws Exception {
        send(post("X-File-Id", "f"), Body.of("first half|second half").cutAfter(11));
        assertEquals(11, stored("f"));

        Exchange last = send(post("X-File-Id", "f", "X-Start-Byte", "11"), "second half");

        assertEquals(200, last.response().status());
        assertArrayEquals(sha256("first half|second half"), Base64.getDecoder().decode(
                last.response().header("Repr-Digest").replaceAll("^sha-256=:|:$", "")));
    }
}
