package org.resumableupload.web.interim;

import java.util.Map;

/**
 * One interim (1xx) response.
 *
 * @param status an informational status, 102 to 199 (not 100: the container sends that itself when
 *               the body is first read; not 101)
 * @param reason the reason phrase, e.g. {@code Upload Resumption Supported}
 * @param fields header fields, in their order; names are tokens, values have no control characters
 */
public record InterimResponse(int status, String reason, Map<String, String> fields) {
    public InterimResponse {
        if (status < 102 || status > 199) {
            throw new IllegalArgumentException("not an interim status that can be sent: " + status);
        }
        fields.forEach((name, value) -> {
            if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("not a field name: " + name);
            }
            checkValue(value);
        });
        checkValue(reason);
    }

    private static void checkValue(String value) {
        if (!value.chars().allMatch(c -> c == '\t' || (c >= ' ' && c != 127 && c < 256))) {
            throw new IllegalArgumentException("a field value with a control character: " + value);
        }
    }
}
