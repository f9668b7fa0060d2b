package org.resumableupload.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;
import org.resumableupload.store.CompletedRecord;

/**
 * Writes every response the servlets send; the only place that turns an {@link ErrorCode} into a
 * status line. Error bodies are a short plain-text reason, never a stack trace.
 */
final class Responses {
    static final String UPLOAD_OFFSET = "Upload-Offset";
    static final String REPR_DIGEST = "Repr-Digest";

    private Responses() {
    }

    /** The refusal {@code e}: its status, its reason, and the stored offset when it has one. */
    static void error(HttpServletResponse response, UploadException e) throws IOException {
        if (response.isCommitted()) {
            return; // the status line is gone already; the connection is closed by the container
        }
        response.resetBuffer(); // keeps headers already set, such as a newly issued owner cookie
        response.setStatus(e.code().httpStatus());
        common(response);
        StringBuilder body = new StringBuilder(e.getMessage()).append('\n');
        if (e.storedOffset().isPresent()) {
            long stored = e.storedOffset().getAsLong();
            response.setHeader(UPLOAD_OFFSET, Long.toString(stored));
            body.append("offset: ").append(stored).append('\n');
        }
        text(response, body.toString());
    }

    /** {@code GET status}: the stored offset as a decimal number. */
    static void offset(HttpServletResponse response, long stored) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        common(response);
        response.setHeader(UPLOAD_OFFSET, Long.toString(stored));
        text(response, Long.toString(stored));
    }

    /** A chunk was stored and the upload is not complete yet: 204 with the new offset. */
    static void stored(HttpServletResponse response, long offset) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        common(response);
        response.setHeader(UPLOAD_OFFSET, Long.toString(offset));
    }

    /** The upload is complete: 200 with its size and SHA-256 (RFC 9530 {@code Repr-Digest} and JSON). */
    static void completed(HttpServletResponse response, CompletedRecord completed) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        common(response);
        response.setHeader(UPLOAD_OFFSET, Long.toString(completed.size()));
        response.setHeader(REPR_DIGEST, "sha-256=:" + Base64.getEncoder().encodeToString(completed.sha256()) + ":");
        json(response, describe(completed).toString());
    }

    /** {@code GET /files}: the owner's completed uploads, newest first. */
    static void completedList(HttpServletResponse response, List<CompletedRecord> files) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        common(response);
        Json list = Json.array();
        files.forEach(file -> list.element(describe(file)));
        json(response, list.toString());
    }

    private static Json describe(CompletedRecord completed) {
        return Json.object()
                .field("id", completed.id().value())
                .field("name", completed.name())
                .field("size", completed.size())
                .field("sha256", HexFormat.of().formatHex(completed.sha256()))
                .field("completedAt", completed.completedAt().toString());
    }

    static void json(HttpServletResponse response, String json) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Headers every API response carries, also where the application's filter is not in front. */
    static void common(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        noSniff(response);
        sameOriginFramesOnly(response);
    }

    /** Browsers must take the content type as given, never guess one from the bytes. */
    static void noSniff(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    /** Only the application's own pages may show an answer in a frame (no clickjacking by other sites). */
    static void sameOriginFramesOnly(HttpServletResponse response) {
        response.setHeader("X-Frame-Options", "SAMEORIGIN");
    }

    private static void text(HttpServletResponse response, String body) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
