package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzz's response parser ({@link RawHttp#parseAll}) with interim responses before the answer. */
class RawHttpTest {

    @Test
    void a104WithFieldsThenA100ThenTheAnswerAreThreeResponsesInOrder() {
        List<RawHttp.Response> responses = RawHttp.parseAll(bytes("HTTP/1.1 104 Upload Resumption Supported\r\n"
                + "Location: /uploads/ab\r\nUpload-Draft-Interop-Version: 9\r\n\r\n"
                + "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nLocation: /uploads/ab\r\nContent-Length: 2\r\n\r\nok"), "POST");

        assertEquals(List.of(104, 100, 201), responses.stream().map(RawHttp.Response::status).toList());
        assertEquals("/uploads/ab", responses.get(0).header("Location").orElseThrow());
        assertEquals("9", responses.get(0).header("Upload-Draft-Interop-Version").orElseThrow());
        assertEquals("", responses.get(0).text());
        assertEquals("ok", responses.get(2).text());
    }

    @Test
    void a104ThenAChunkedAnswerIsDecoded() {
        List<RawHttp.Response> responses = RawHttp.parseAll(bytes("HTTP/1.1 104 Upload Resumption Supported\r\n"
                + "Location: /uploads/ab\r\n\r\n"
                + "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nbad\r\n0\r\n\r\n"), "POST");

        assertEquals(List.of(104, 400), responses.stream().map(RawHttp.Response::status).toList());
        assertEquals("bad", responses.get(1).text());
    }

    @Test
    void theAnswerAfterAnInterimResponseToAHeadHasNoBodyEvenWithAContentLength() {
        List<RawHttp.Response> responses = RawHttp.parseAll(bytes("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\n\r\nbad"), "HEAD");

        assertEquals(List.of(100, 200, 400), responses.stream().map(RawHttp.Response::status).toList());
        assertEquals("", responses.get(1).text());
        assertEquals("bad", responses.get(2).text());
    }

    @Test
    void anInterimResponseAloneIsParsedAndNothingFollows() {
        List<RawHttp.Response> responses = RawHttp.parseAll(bytes("HTTP/1.1 104 Upload Resumption Supported\r\n"
                + "Location: /uploads/ab\r\n\r\n"), "POST");

        assertEquals(List.of(104), responses.stream().map(RawHttp.Response::status).toList());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
