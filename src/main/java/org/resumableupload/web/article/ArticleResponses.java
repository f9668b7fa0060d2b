package org.resumableupload.web.article;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.WriteOutcome;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.web.BodyAnswers;
import org.resumableupload.web.Json;
import org.resumableupload.web.Responses;

/**
 * Every answer of the article protocol's servlets; the only place where its refusals become status
 * lines ({@link ArticleErrors}). Error bodies are plain text: the reason, {@code code: ID} (the core's
 * machine-readable code) and, when the client should resume, {@code offset: N}; never a stack trace.
 * A 503 (busy, stopping, storage unavailable) says {@code Retry-After}.
 */
final class ArticleResponses {
    static final String UPLOAD_OFFSET = "Upload-Offset";
    static final String REPR_DIGEST = "Repr-Digest";
    static final String ERROR_CODE = "Upload-Error";

    /** How {@link org.resumableupload.web.BodyReader} answers an article upload. */
    static final BodyAnswers BODY_ANSWERS = new BodyAnswers() {
        @Override
        public void stored(HttpServletResponse response, WriteOutcome outcome) throws IOException {
            if (outcome.isComplete()) {
                completed(response, outcome.completed().get());
            } else {
                ArticleResponses.stored(response, outcome.offset());
            }
        }

        @Override
        public void write(HttpServletResponse response, UploadException refusal) throws IOException {
            error(response, refusal);
        }
    };

    private ArticleResponses() {
    }

    /** The refusal {@code e}: its status, reason and code, and the stored offset when it has one. */
    static void error(HttpServletResponse response, UploadException e) throws IOException {
        if (response.isCommitted()) {
            return; // the status line is gone already; the connection is closed by the container
        }
        response.resetBuffer(); // keeps headers already set, such as a newly issued owner cookie
        response.setStatus(ArticleErrors.status(e.code()));
        Responses.common(response);
        response.setHeader(ERROR_CODE, e.code().id());
        if (ArticleErrors.retryLater(e.code())) {
            Responses.retryAfter(response);
        }
        String reason = e.getMessage().equals(e.code().reason()) ? ArticleErrors.reason(e.code()) : e.getMessage();
        StringBuilder body = new StringBuilder(reason).append('\n');
        body.append("code: ").append(e.code().id()).append('\n');
        if (e.storedOffset().isPresent()) {
            long stored = e.storedOffset().getAsLong();
            response.setHeader(UPLOAD_OFFSET, Long.toString(stored));
            body.append("offset: ").append(stored).append('\n');
        }
        Responses.text(response, body.toString());
    }

    /** {@code GET status}: the stored offset as a decimal number. */
    static void offset(HttpServletResponse response, long stored) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        Responses.common(response);
        response.setHeader(UPLOAD_OFFSET, Long.toString(stored));
        Responses.text(response, Long.toString(stored));
    }

    /** A chunk was stored and the upload is not complete yet: 204 with the new offset. */
    static void stored(HttpServletResponse response, long offset) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        Responses.common(response);
        response.setHeader(UPLOAD_OFFSET, Long.toString(offset));
    }

    /** The upload is complete: 200 with its size and SHA-256 (RFC 9530 {@code Repr-Digest} and JSON). */
    static void completed(HttpServletResponse response, CompletedRecord completed) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        Responses.common(response);
        response.setHeader(UPLOAD_OFFSET, Long.toString(completed.size()));
        response.setHeader(REPR_DIGEST, Responses.reprDigest(completed.sha256()));
        Responses.json(response, Responses.describe(completed).toString());
    }

    /** {@code GET /files}: the owner's completed uploads, newest first. */
    static void completedList(HttpServletResponse response, List<CompletedRecord> files) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        Responses.common(response);
        Json list = Json.array();
        files.forEach(file -> list.element(Responses.describe(file)));
        Responses.json(response, list.toString());
    }
}
