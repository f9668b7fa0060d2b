package org.resumableupload.web.ietf;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.OptionalLong;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.Upload;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.WriteOutcome;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.web.BodyAnswers;
import org.resumableupload.web.ErrorWriter;
import org.resumableupload.web.Json;
import org.resumableupload.web.Responses;

/**
 * Every answer of the IETF front end; the only place where its refusals become status lines
 * ({@link IetfErrors}). A refusal carries {@code Upload-Complete: ?0} (the resumable-upload protocol
 * answered, not the processing of a representation; not on a 416 for a completed upload's bytes), the stored offset when there is one, its code
 * in {@code Upload-Error}, and an RFC 9457 problem body with the code as member {@code code}.
 */
final class IetfResponses {
    static final String UPLOAD_ERROR = "Upload-Error";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final UploadLimits limits;

    IetfResponses(UploadLimits limits) {
        this.limits = limits;
    }

    /** How refusals are written; {@code providedOffset} is the request's {@code Upload-Offset}, if it had one. */
    ErrorWriter errors(OptionalLong providedOffset) {
        return (response, refusal) -> error(response, refusal, providedOffset);
    }

    private void error(HttpServletResponse response, UploadException e, OptionalLong providedOffset)
            throws IOException {
        if (response.isCommitted()) {
            return; // the status line is gone already; the container closes the connection
        }
        response.resetBuffer(); // keeps headers already set: the owner cookie, a creation's Location
        ErrorCode code = e.code();
        response.setStatus(IetfErrors.status(code));
        Responses.common(response);
        if (code != ErrorCode.RANGE_NOT_SATISFIABLE) { // a range of a completed upload's bytes: it stays ?1
            response.setHeader(IetfHeaders.UPLOAD_COMPLETE, "?0");
        }
        response.setHeader(UPLOAD_ERROR, code.id());
        Json problem = Json.object().field("type", IetfErrors.problemType(code)).field("title", e.getMessage())
                .field("code", code.id());
        if (e.storedOffset().isPresent()) {
            response.setHeader(IetfHeaders.UPLOAD_OFFSET, Long.toString(e.storedOffset().getAsLong()));
            if (code == ErrorCode.OFFSET_MISMATCH) {
                problem.field("expected-offset", e.storedOffset().getAsLong());
                providedOffset.ifPresent(provided -> problem.field("provided-offset", provided));
            }
        }
        if (IetfErrors.namesLimits(code)) {
            response.setHeader(IetfHeaders.UPLOAD_LIMIT, limits.forNewUpload());
        }
        if (IetfErrors.retryLater(code)) {
            Responses.retryAfter(response);
        }
        Responses.write(response, PROBLEM_JSON, problem.toString());
    }

    /**
     * How a body that was stored is answered: complete, as the processed representation (200, its
     * digest and description); else 201 with {@code Location} for a creation ({@code location} not
     * null), 204 for an append, with the new offset.
     */
    BodyAnswers bodyAnswers(String location, OptionalLong providedOffset) {
        ErrorWriter errors = errors(providedOffset);
        return new BodyAnswers() {
            @Override
            public void stored(HttpServletResponse response, WriteOutcome outcome) throws IOException {
                if (outcome.isComplete()) {
                    completed(response, outcome.completed().get(), location);
                    return;
                }
                response.setStatus(location != null ? HttpServletResponse.SC_CREATED : HttpServletResponse.SC_NO_CONTENT);
                Responses.common(response);
                if (location != null) {
                    response.setHeader("Location", location);
                }
                response.setHeader(IetfHeaders.UPLOAD_COMPLETE, "?0");
                response.setHeader(IetfHeaders.UPLOAD_OFFSET, Long.toString(outcome.offset()));
                response.setHeader(IetfHeaders.UPLOAD_LIMIT, limits.afterWrite());
            }

            @Override
            public void write(HttpServletResponse response, UploadException refusal) throws IOException {
                if (location != null && !response.isCommitted()) {
                    response.setHeader("Location", location); // created: the client can resume it
                }
                errors.write(response, refusal);
            }
        };
    }

    /** The upload is complete: 200 with {@code Upload-Complete: ?1}, its {@code Repr-Digest} and a JSON description. */
    private static void completed(HttpServletResponse response, CompletedRecord done, String location)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        Responses.common(response);
        if (location != null) {
            response.setHeader("Location", location);
        }
        response.setHeader(IetfHeaders.UPLOAD_COMPLETE, "?1");
        response.setHeader(IetfHeaders.UPLOAD_OFFSET, Long.toString(done.size()));
        response.setHeader("Repr-Digest", Responses.reprDigest(done.sha256()));
        Responses.json(response, Responses.describe(done).toString());
    }

    /**
     * Offset retrieval ({@code HEAD}, or {@code GET} before completion): 204 with the offset, whether it
     * is complete, the length if known, the limits and, once complete, the digest.
     */
    void state(HttpServletResponse response, Upload upload, Instant now) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        stateHeaders(response, upload, now);
    }

    /** The headers of {@link #state}, also on the {@code GET} that sends a completed upload's bytes. */
    void stateHeaders(HttpServletResponse response, Upload upload, Instant now) {
        Responses.common(response);
        response.setHeader(IetfHeaders.UPLOAD_OFFSET, Long.toString(upload.offset()));
        response.setHeader(IetfHeaders.UPLOAD_COMPLETE, upload.isComplete() ? "?1" : "?0");
        if (upload.length() >= 0) {
            response.setHeader(IetfHeaders.UPLOAD_LENGTH, Long.toString(upload.length()));
        }
        response.setHeader(IetfHeaders.UPLOAD_LIMIT, limits.of(upload, now));
        upload.completed().ifPresent(done -> response.setHeader("Repr-Digest", Responses.reprDigest(done.sha256())));
    }

    /** {@code OPTIONS}: the limits a new upload gets, and (for interop versions 8 and before) {@code Accept-Patch}. */
    void options(HttpServletResponse response, String allowed) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        Responses.common(response);
        response.setHeader("Allow", allowed);
        response.setHeader(IetfHeaders.UPLOAD_LIMIT, limits.forNewUpload());
        response.setHeader("Accept-Patch", IetfHeaders.PARTIAL_UPLOAD);
    }

    /** A cancelled upload: 204. */
    static void cancelled(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        Responses.common(response);
    }
}
