package org.resumableupload.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Mockito mocks of the servlet request and response that remember what the code under test did, so
 * tests can assert on the status, headers, cookies and body as a client would see them.
 */
public final class ServletMocks {
    private ServletMocks() {
    }

    /** A mocked request; headers are looked up case-insensitively, as containers do. */
    public static final class Request {
        public final HttpServletRequest mock = mock(HttpServletRequest.class);
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        public Request(String method) {
            when(mock.getMethod()).thenReturn(method);
            when(mock.getHeaders(anyString())).thenAnswer(
                    call -> Collections.enumeration(headers.getOrDefault(call.<String>getArgument(0), List.of())));
            when(mock.getHeader(anyString())).thenAnswer(call -> {
                List<String> values = headers.get(call.<String>getArgument(0));
                return values == null || values.isEmpty() ? null : values.get(0);
            });
            when(mock.getHeaderNames()).thenAnswer(call -> Collections.enumeration(headers.keySet()));
            when(mock.getContextPath()).thenReturn("");
            when(mock.getContentLengthLong()).thenReturn(-1L);
            when(mock.getContentLength()).thenReturn(-1);
            when(mock.isAsyncSupported()).thenReturn(true); // as the listener registers every servlet
        }

        /** Sets a header; several values send it several times. */
        public Request header(String name, String... values) {
            headers.put(name, List.of(values));
            return this;
        }

        public Request contentLength(long length) {
            when(mock.getContentLengthLong()).thenReturn(length);
            when(mock.getContentLength()).thenReturn(length > Integer.MAX_VALUE ? -1 : (int) length);
            return this;
        }

        public Request cookies(Cookie... cookies) {
            when(mock.getCookies()).thenReturn(cookies);
            return this;
        }

        public Request secure() {
            when(mock.isSecure()).thenReturn(true);
            return this;
        }

        public Request remoteUser(String user) {
            when(mock.getRemoteUser()).thenReturn(user);
            return this;
        }
    }

    /** A mocked response that records everything set on it. */
    public static final class Response {
        public final HttpServletResponse mock = mock(HttpServletResponse.class);
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final List<Cookie> cookies = new ArrayList<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status = 200;
        private String contentType;
        private long contentLength = -1;
        private boolean statusSet;

        public Response() {
            doAnswer(call -> {
                status = call.getArgument(0);
                statusSet = true;
                return null;
            }).when(mock).setStatus(anyInt());
            doAnswer(call -> {
                String value = call.getArgument(1);
                if (value == null) {
                    headers.remove(call.<String>getArgument(0));
                } else {
                    headers.put(call.getArgument(0), new ArrayList<>(List.of(value)));
                }
                return null;
            }).when(mock).setHeader(anyString(), any());
            doAnswer(call -> {
                headers.computeIfAbsent(call.getArgument(0), k -> new ArrayList<>()).add(call.getArgument(1));
                return null;
            }).when(mock).addHeader(anyString(), anyString());
            doAnswer(call -> cookies.add(call.getArgument(0))).when(mock).addCookie(any());
            doAnswer(call -> contentType = call.getArgument(0)).when(mock).setContentType(any());
            doAnswer(call -> contentLength = call.<Integer>getArgument(0)).when(mock).setContentLength(anyInt());
            doAnswer(call -> contentLength = call.<Long>getArgument(0)).when(mock).setContentLengthLong(anyLong());
            doAnswer(call -> {
                body.reset();
                return null;
            }).when(mock).resetBuffer();
            when(mock.getStatus()).thenAnswer(call -> status);
            when(mock.getHeader(anyString())).thenAnswer(call -> header(call.getArgument(0)));
            when(mock.getContentType()).thenAnswer(call -> contentType);
            try {
                when(mock.getOutputStream()).thenReturn(output());
            } catch (java.io.IOException impossible) {
                throw new AssertionError(impossible);
            }
        }

        private ServletOutputStream output() {
            return new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("not used by the servlets");
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    body.write(bytes, offset, length);
                }
            };
        }

        public int status() {
            return status;
        }

        /** True once the code set a status (a response was written). */
        public boolean answered() {
            return statusSet;
        }

        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** A comma-separated header as a set of its trimmed elements. */
        public Set<String> headerElements(String name) {
            String value = header(name);
            return value == null ? Set.of()
                    : Arrays.stream(value.split(",")).map(String::strip).collect(Collectors.toSet());
        }

        public List<Cookie> cookies() {
            return cookies;
        }

        public String contentType() {
            return contentType;
        }

        public long contentLength() {
            return contentLength;
        }

        public String body() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * A request body the container hands out all at once: on {@link #setReadListener} it reports the
     * bytes available and then either the end of the body or, if {@link #cutAfter} was given, a
     * failure after that many bytes (a connection lost mid-body). With {@link #stallAfter} it stops
     * after that many bytes and reports nothing more, as a stalled client would.
     */
    public static final class Body extends ServletInputStream {
        private final byte[] data;
        private int position;
        private int available;
        private boolean cut;
        private boolean stalled;
        public ReadListener listener;

        public Body(byte[] data) {
            this.data = data;
            this.available = data.length;
        }

        public static Body of(String text) {
            return new Body(text.getBytes(StandardCharsets.UTF_8));
        }

        public Body cutAfter(int bytes) {
            available = bytes;
            cut = true;
            return this;
        }

        public Body stallAfter(int bytes) {
            available = bytes;
            stalled = true;
            return this;
        }

        @Override
        public void setReadListener(ReadListener readListener) {
            listener = readListener;
            try {
                readListener.onDataAvailable();
                if (cut) {
                    readListener.onError(new EOFException("connection lost mid-body"));
                } else if (!stalled && isFinished()) {
                    readListener.onAllDataRead();
                }
            } catch (java.io.IOException e) {
                readListener.onError(e);
            }
        }

        @Override
        public boolean isFinished() {
            return position == data.length;
        }

        @Override
        public boolean isReady() {
            return position < available || isFinished();
        }

        @Override
        public int read() {
            if (position >= available) {
                return -1;
            }
            return data[position++] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= available) {
                return -1;
            }
            int n = Math.min(length, available - position);
            System.arraycopy(data, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
