package org.resumableupload.web.interim.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.resumableupload.web.ServletMocks;
import org.resumableupload.web.interim.InterimResponse;

/** The bytes of an interim response as Jetty's end point gets them, and requests it cannot answer. */
class JettyInterimResponsesTest {

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void theStatusLineAndEveryFieldAreEncodedInOrderThenAnEmptyLine() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Location", "/uploads/abc");
        fields.put("Upload-Limit", "max-size=1073741824, max-age=3600");
        fields.put("Upload-Draft-Interop-Version", "9");

        InterimResponse interim = new InterimResponse(104, "Upload Resumption Supported", fields);

        String encoded = text(JettyInterimResponses.encode(interim));

        assertEquals("HTTP/1.1 104 Upload Resumption Supported\r\n"
                + "Location: /uploads/abc\r\n"
                + "Upload-Limit: max-size=1073741824, max-age=3600\r\n"
                + "Upload-Draft-Interop-Version: 9\r\n"
                + "\r\n", encoded);
    }

    @Test
    void anInterimResponseWithoutFieldsIsItsStatusLineAndAnEmptyLine() {
        assertEquals("HTTP/1.1 103 Early Hints\r\n\r\n",
                text(JettyInterimResponses.encode(new InterimResponse(103, "Early Hints", Map.of()))));
    }

    @Test
    void latin1ValuesAreOneBytePerCharacter() {
        ByteBuffer encoded = JettyInterimResponses.encode(new InterimResponse(104, "R", Map.of("X", "\u00e9")));

        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        assertEquals((byte) 0xe9, bytes["HTTP/1.1 104 R\r\nX: ".length()]);
        assertEquals("HTTP/1.1 104 R\r\nX: \u00e9\r\n\r\n".length(), bytes.length);
    }

    @Test
    void aRequestThatIsNotJettysGetsNoInterimResponse() throws Exception {
        ServletMocks.Response response = new ServletMocks.Response();

        boolean sent = new JettyInterimResponses().send(new ServletMocks.Request("POST").mock, response.mock,
                new InterimResponse(104, "Upload Resumption Supported", Map.of()));

        assertFalse(sent);
        assertFalse(response.answered());
    }
}
