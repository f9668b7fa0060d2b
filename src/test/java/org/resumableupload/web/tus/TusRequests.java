package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.ErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.function.Executable;

/** Test support: mocked requests with headers (looked up without case, as containers do), and refusal checks. */
final class TusRequests {
    private final HttpServletRequest mock = mock(HttpServletRequest.class);
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private TusRequests(String method) {
        when(mock.getMethod()).thenReturn(method);
        when(mock.getHeaders(anyString())).thenAnswer(
                call -> Collections.enumeration(headers.getOrDefault(call.<String>getArgument(0), List.of())));
        when(mock.getHeader(anyString())).thenAnswer(call -> {
            List<String> values = headers.get(call.<String>getArgument(0));
            return values == null || values.isEmpty() ? null : values.get(0);
        });
        when(mock.getContentType()).thenAnswer(call -> mock.getHeader("Content-Type"));
        when(mock.getContentLengthLong()).thenAnswer(call -> {
            String length = mock.getHeader("Content-Length");
            return length == null ? -1L : Long.parseLong(length);
        });
    }

    /** A request with {@code Tus-Resumable: 1.0.0} and the given header names and values, alternating. */
    static HttpServletRequest tus(String method, String... namesAndValues) {
        TusRequests request = new TusRequests(method).with("Tus-Resumable", "1.0.0");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            request.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return request.mock;
    }

    /** A request with exactly the given headers; a name given twice sends the header twice. */
    static HttpServletRequest bare(String method, String... namesAndValues) {
        TusRequests request = new TusRequests(method);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            request.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return request.mock;
    }

    private TusRequests with(String name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        return this;
    }

    /** Asserts {@code call} is refused with {@code code}; returns the refusal for its reason. */
    static UploadException refused(ErrorCode code, Executable call) {
        UploadException refusal = assertThrows(UploadException.class, call);
        assertEquals(code, refusal.code(), refusal::getMessage);
        return refusal;
    }
}
