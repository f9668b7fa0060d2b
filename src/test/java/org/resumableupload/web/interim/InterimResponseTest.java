package org.resumableupload.web.interim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.web.ServletMocks;

/** An interim response can only be one a container may send: 102 to 199, token names, values without CR or LF. */
class InterimResponseTest {

    @ParameterizedTest
    @ValueSource(ints = {102, 103, 104, 150, 199})
    void anInformationalStatusFrom102To199IsAccepted(int status) {
        assertDoesNotThrow(() -> new InterimResponse(status, "Informational", Map.of("Location", "/uploads/x")));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 101, 99, 200, 204, 0, -104})
    void anyOtherStatusIsRefused(int status) {
        assertThrows(IllegalArgumentException.class, () -> new InterimResponse(status, "No", Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nSet-Cookie: x=y", "a\rb", "a\nb", "nul\0", "del\u007f", "wide\u20ac", "bell\u0007"})
    void aFieldValueOrReasonWithAControlCharacterIsRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> new InterimResponse(104, "Fine", Map.of("Location", value)));
        assertThrows(IllegalArgumentException.class, () -> new InterimResponse(104, value, Map.of()));
    }

    @Test
    void aTabAndLatin1AreFineInAValue() {
        assertDoesNotThrow(() -> new InterimResponse(104, "Upload Resumption Supported",
                Map.of("X-Note", "tab\there, caf\u00e9")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Two Words", "a:b", "x\r\n", "(paren)", "quote\"", "caf\u00e9", "slash/"})
    void aFieldNameThatIsNoTokenIsRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> new InterimResponse(104, "Fine", Map.of(name, "v")));
    }

    @Test
    void theUnsupportedImplementationSendsNothingAndSaysSo() throws Exception {
        ServletMocks.Response response = new ServletMocks.Response();

        assertFalse(InterimResponses.UNSUPPORTED.send(new ServletMocks.Request("POST").mock, response.mock,
                new InterimResponse(104, "Upload Resumption Supported", Map.of())));
        assertFalse(response.answered(), "nothing was written");
    }
}
