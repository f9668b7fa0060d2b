package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;
import org.resumableupload.web.ServletMocks.Body;
import org.resumableupload.web.ServletMocks.Request;
import org.resumableupload.web.ServletMocks.Response;

class RefusalsTest {
    private final AsyncContext async = mock(AsyncContext.class);
    private final Response response = new Response();

    private Request post(long contentLength, Body body, String... headers) throws Exception {
        Request request = new Request("POST").contentLength(contentLength);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        when(request.mock.startAsync()).thenReturn(async);
        when(request.mock.getInputStream()).thenReturn(body);
        return request;
    }

    private static UploadException offsetMismatch() {
        return new UploadException(ErrorCode.OFFSET_MISMATCH, 5);
    }

    /** A front end's error writer, as small as it can be: what Refusals hands it shows in the answer. */
    private static final ErrorWriter ERRORS = (response, refusal) -> {
        response.setStatus(409);
        response.setHeader("Upload-Offset", Long.toString(refusal.storedOffset().orElseThrow()));
    };

    @Test
    void aRefusalWithoutABodyIsAnsweredDirectly() throws Exception {
        Request request = post(-1, Body.of(""));

        Refusals.answer(request.mock, response.mock, offsetMismatch(), ERRORS);

        assertEquals(409, response.status());
        assertEquals("5", response.header("Upload-Offset"));
        verify(request.mock, never()).startAsync();
    }

    @Test
    void aSmallBodyIsDrainedToItsEndThenRefusedOnAConnectionKeptOpen() throws Exception {
        Body body = new Body(new byte[100_000]);
        Request request = post(100_000, body);

        Refusals.answer(request.mock, response.mock, offsetMismatch(), ERRORS);

        assertTrue(body.isFinished(), "drained");
        assertEquals(409, response.status());
        assertNull(response.header("Connection"));
        verify(async).complete();
    }

    @Test
    void aRefusalExpectingContinueIsAnsweredAtOnceWithConnectionCloseAndItsBodyNeverRead() throws Exception {
        Body body = new Body(new byte[1_000]);
        Request request = post(1_000, body, "Expect", "100-Continue");

        Refusals.answer(request.mock, response.mock, offsetMismatch(), ERRORS);

        assertEquals(409, response.status());
        assertEquals("close", response.header("Connection"));
        assertNull(body.listener, "never read: no 100 Continue");
        verify(async).complete();
    }

    @Test
    void aLargeOrChunkedBodyIsRefusedAtOnceWithConnectionCloseUnread() throws Exception {
        Body large = new Body(new byte[10]);
        Refusals.answer(post(Refusals.DRAIN_LIMIT_BYTES + 1, large).mock, response.mock, offsetMismatch(), ERRORS);
        assertEquals("close", response.header("Connection"));
        assertNull(large.listener);

        Response chunkedResponse = new Response();
        Body chunked = new Body(new byte[10]);
        Refusals.answer(post(-1, chunked, "Transfer-Encoding", "chunked").mock, chunkedResponse.mock, offsetMismatch(), ERRORS);
        assertEquals(409, chunkedResponse.status());
        assertEquals("close", chunkedResponse.header("Connection"));
        assertNull(chunked.listener);
    }

    @Test
    void aSmallBodyThatStallsIsRefusedAtTheDrainDeadlineWithConnectionClose() throws Exception {
        Body body = new Body(new byte[1_000]).stallAfter(10);
        Request request = post(1_000, body);

        Refusals.answer(request.mock, response.mock, offsetMismatch(), ERRORS);
        assertFalse(response.answered(), "waits for the body, holding no thread");
        verify(async).setTimeout(Refusals.DRAIN_DEADLINE.toMillis());
        ArgumentCaptor<AsyncListener> listener = ArgumentCaptor.forClass(AsyncListener.class);
        verify(async).addListener(listener.capture());

        listener.getValue().onTimeout(new AsyncEvent(async));
        body.listener.onError(new java.io.IOException("closed meanwhile")); // a second ending: no second answer

        assertEquals(409, response.status());
        assertEquals("close", response.header("Connection"));
        verify(async).complete();
    }

    @Test
    void aSmallBodyWhoseConnectionFailsIsStillRefused() throws Exception {
        Body body = new Body(new byte[1_000]).cutAfter(10);
        Request request = post(1_000, body);

        Refusals.answer(request.mock, response.mock, offsetMismatch(), ERRORS);

        assertEquals(409, response.status());
        assertEquals("close", response.header("Connection"));
        verify(async).complete();
        verify(async, never()).dispatch(any(String.class));
    }

    @Test
    void aServletRegisteredWithoutAsyncSupportRefusesWithConnectionCloseAndReadsNothing() throws Exception {
        Body body = new Body(new byte[100]);
        Request request = post(100, body);
        when(request.mock.isAsyncSupported()).thenReturn(false);

        Refusals.answer(request.mock, response.mock, offsetMismatch(), ERRORS);

        assertEquals(409, response.status());
        assertEquals("close", response.header("Connection"));
        verify(request.mock, never()).startAsync();
    }
}
