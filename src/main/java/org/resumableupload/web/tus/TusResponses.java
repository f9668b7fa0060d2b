package org.resumableupload.web.tus;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.resumableupload.core.Upload;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.WriteOutcome;
import org.resumableupload.web.BodyAnswers;
import org.resumableupload.web.Responses;

/**
 * Every answer of the tus front end; the only place where its refusals become status lines
 * ({@link TusErrors}). Every answer carries {@code Tus-Resumable}; error bodies are plain text, the
 * reason and {@code code: ID} (the core's machine-readable code, also in {@code Upload-Error}). A 503
 * (stopping, storage unavailable) says {@code Retry-After}.
 */
final class TusResponses {
    static final String ERROR_CODE = "Upload-Error";

    private TusResponses() {
    }

    /** Headers of every tus answer. */
    static void common(HttpServletResponse response) {
        Responses.common(response);
        response.setHeader(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION);
    }

    /** The refusal {@code e}: its status, the headers it requires, reason and code, and the stored offset. */
    static void error(HttpServletResponse response, UploadException e) throws IOException {
        if (response.isCommitted()) {
            return; // the status line is gone already; the container closes the connection
        }
        response.resetBuffer(); // keeps headers already set: the owner cookie, a creation's Location
        response.setStatus(TusErrors.status(e.code()));
        common(response);
        TusErrors.headers(e.code()).forEach(response::setHeader);
        response.setHeader(ERROR_CODE, e.code().id());
        if (TusErrors.retryLater(e.code())) {
            Responses.retryAfter(response);
        }
        if (e.storedOffset().isPresent()) {
            response.setHeader(TusHeaders.UPLOAD_OFFSET, Long.toString(e.storedOffset().getAsLong()));
        }
        String reason = e.getMessage().equals(e.code().reason()) ? TusErrors.reason(e.code()) : e.getMessage();
        Responses.text(response, reason + "\ncode: " + e.code().id() + "\n");
    }

    /** A PATCH (or a creation's body) was stored: 204 (or 201) with the offset and, if unfinished, the expiry. */
    static BodyAnswers bodyAnswers(int status, Instant expiresAfterCommit, String location) {
        return new BodyAnswers() {
            @Override
            public void stored(HttpServletResponse response, WriteOutcome outcome) {
                response.setStatus(status);
                common(response);
                if (location != null) {
                    response.setHeader("Location", location);
                }
                response.setHeader(TusHeaders.UPLOAD_OFFSET, Long.toString(outcome.offset()));
                if (!outcome.isComplete()) {
                    response.setHeader(TusHeaders.UPLOAD_EXPIRES, TusDates.format(expiresAfterCommit));
                }
            }

            @Override
            public void write(HttpServletResponse response, UploadException refusal) throws IOException {
                if (location != null && !response.isCommitted()) {
                    response.setHeader("Location", location); // created: the client can resume it
                }
                error(response, refusal);
            }
        };
    }

    /** A new upload without a body: 201 with its URL (and its expiry while unfinished). */
    static void created(HttpServletResponse response, String location, Upload upload) {
        response.setStatus(HttpServletResponse.SC_CREATED);
        common(response);
        response.setHeader("Location", location);
        response.setHeader(TusHeaders.UPLOAD_OFFSET, Long.toString(upload.offset()));
        expires(response, upload.expiresAt());
    }

    /** {@code HEAD} on an upload URL: where it stands, as created. */
    static void state(HttpServletResponse response, Upload upload, String concatHeader) {
        response.setStatus(HttpServletResponse.SC_OK);
        common(response);
        response.setHeader(TusHeaders.UPLOAD_OFFSET, Long.toString(upload.offset()));
        if (upload.length() >= 0) {
            response.setHeader(TusHeaders.UPLOAD_LENGTH, Long.toString(upload.length()));
        } else {
            response.setHeader(TusHeaders.UPLOAD_DEFER_LENGTH, "1");
        }
        if (!upload.metadata().isEmpty()) {
            response.setHeader(TusHeaders.UPLOAD_METADATA, TusMetadata.of(upload.metadata()).toHeader());
        }
        if (concatHeader != null) {
            response.setHeader(TusHeaders.UPLOAD_CONCAT, concatHeader);
        }
        expires(response, upload.expiresAt());
    }

    /** {@code OPTIONS}: what this server supports. */
    static void capabilities(HttpServletResponse response, long maxSize) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        common(response);
        response.setHeader(TusHeaders.TUS_VERSION, TusHeaders.VERSION);
        response.setHeader(TusHeaders.TUS_EXTENSION, String.join(",", TusHeaders.EXTENSIONS));
        response.setHeader(TusHeaders.TUS_MAX_SIZE, Long.toString(maxSize));
        response.setHeader(TusHeaders.TUS_CHECKSUM_ALGORITHM, String.join(",", TusChecksum.ALGORITHMS));
    }

    /** A terminated upload: 204. */
    static void terminated(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        common(response);
    }

    private static void expires(HttpServletResponse response, Optional<Instant> expiresAt) {
        expiresAt.ifPresent(at -> response.setHeader(TusHeaders.UPLOAD_EXPIRES, TusDates.format(at)));
    }
}
