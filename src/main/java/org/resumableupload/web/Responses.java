package org.resumableupload.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.resumableupload.store.CompletedRecord;

/**
 * What every front end's responses share: the headers every API answer carries, and writing a body.
 * Each front end's own answers and its error table live beside its servlets.
 */
public final class Responses {
    /**
     * What {@code Retry-After} says on a refusal that may succeed soon (busy, stopping, storage
     * unavailable): a second; clients add their own back-off.
     */
    static final String RETRY_AFTER_SECONDS = "1";

    private Responses() {
    }

    /** The refusal may succeed if retried: {@code Retry-After}, for each front end's error writer. */
    public static void retryAfter(HttpServletResponse response) {
        response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    public static void json(HttpServletResponse response, String json) throws IOException {
        write(response, "application/json;charset=UTF-8", json);
    }

    /** Writes {@code body} in UTF-8 as the whole content, of type {@code contentType}. */
    public static void write(HttpServletResponse response, String contentType, String body) throws IOException {
        response.setContentType(contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Headers every API response carries, also where the application's filter is not in front. */
    public static void common(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        noSniff(response);
        sameOriginFramesOnly(response);
    }

    /** Browsers must take the content type as given, never guess one from the bytes. */
    public static void noSniff(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    /** Only the application's own pages may show an answer in a frame (no clickjacking by other sites). */
    public static void sameOriginFramesOnly(HttpServletResponse response) {
        response.setHeader("X-Frame-Options", "SAMEORIGIN");
    }

    public static void text(HttpServletResponse response, String body) throws IOException {
        write(response, "text/plain;charset=UTF-8", body);
    }

    /** RFC 9530 {@code Repr-Digest} of a file whose SHA-256 is {@code sha256}. */
    public static String reprDigest(byte[] sha256) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(sha256) + ":";
    }

    /** A completed upload as the JSON answers describe it: id, name, size, SHA-256 (hex), completion time. */
    public static Json describe(CompletedRecord completed) {
        return Json.object()
                .field("id", completed.id().value())
                .field("name", completed.name())
                .field("size", completed.size())
                .field("sha256", HexFormat.of().formatHex(completed.sha256()))
                .field("completedAt", completed.completedAt().toString());
    }
}
