package org.resumableupload.web.ietf;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.OptionalLong;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.Owner;
import org.resumableupload.core.Upload;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.Uploads;
import org.resumableupload.store.UploadId;
import org.resumableupload.web.BodyStreams;
import org.resumableupload.web.Downloads;
import org.resumableupload.web.Owners;
import org.resumableupload.web.Refusals;
import org.resumableupload.web.UploadResources;
import org.resumableupload.web.interim.InterimResponses;

/**
 * Resumable Uploads for HTTP (draft-ietf-httpbis-resumable-upload-12, interop version 9) at
 * {@code /uploads/}: {@code POST /uploads/} creates an upload ({@link IetfCreation}); below it, each
 * upload resource answers {@code HEAD} and {@code GET} (its offset; {@code GET} also sends a completed
 * upload's bytes), {@code PATCH} (append), {@code DELETE} (cancellation) and {@code OPTIONS}. Owners as
 * for the other front ends: another owner's upload resource is 404.
 */
public final class IetfServlet extends HttpServlet {
    private static final String RESOURCE_METHODS = "HEAD, GET, PATCH, DELETE, OPTIONS";

    private final transient Uploads uploads;
    private final transient Owners owners;
    private final transient InterimResponses interim;
    private final transient BodyStreams bodies;
    private final transient UploadLimits limits;
    private final transient IetfResponses answers;
    private transient IetfCreation creation;

    public IetfServlet(Uploads uploads, Owners owners, InterimResponses interim) {
        this.uploads = uploads;
        this.owners = owners;
        this.interim = interim;
        this.bodies = new BodyStreams(uploads);
        this.limits = new UploadLimits(uploads.settings());
        this.answers = new IetfResponses(limits);
    }

    @Override
    public void init() {
        String basePath = getServletContext().getContextPath() + "/uploads/";
        creation = new IetfCreation(uploads, basePath, answers, limits, interim, bodies);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String path = request.getPathInfo();
            if (path == null || path.equals("/")) {
                collection(request, response);
            } else {
                upload(UploadResources.idIn(path), request, response);
            }
        } catch (UploadException e) {
            // The body unread; a mismatch names the offset the request gave.
            Refusals.answer(request, response, e, answers.errors(IetfHeaders.offsetIfValid(request)));
        }
    }

    private void collection(HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        switch (request.getMethod()) {
            case "OPTIONS" -> answers.options(response, "POST, OPTIONS");
            case "POST" -> creation.create(owners.resolve(request, response), request, response);
            default -> throw UploadResources.notAllowed(response, "POST, OPTIONS");
        }
    }

    private void upload(UploadId id, HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        if ("OPTIONS".equals(request.getMethod())) {
            answers.options(response, RESOURCE_METHODS);
            return;
        }
        // Ownership first: another owner's upload is "no such upload" before anything else happens.
        Owner owner = owners.resolve(request, response);
        switch (request.getMethod()) {
            // Offset retrieval ends a request still writing (it commits first): the offset answered
            // is then the one the next append must give.
            case "HEAD" -> answers.state(response, uploads.settled(owner, id), Instant.now());
            case "GET" -> retrieve(owner, id, request, response);
            case "PATCH" -> append(owner, id, request, response);
            case "DELETE" -> {
                uploads.terminate(owner, id); // stops a request still writing to it first
                IetfResponses.cancelled(response);
            }
            default -> throw UploadResources.notAllowed(response, RESOURCE_METHODS);
        }
    }

    private void append(Owner owner, UploadId id, HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        IetfHeaders.Append append = IetfHeaders.append(request); // 415 unless application/partial-upload
        long bodyLength = request.getContentLengthLong();
        long declared = IetfHeaders.length(append.complete(), append.offset(), bodyLength, append.length());
        AppendSpec spec = new AppendSpec(append.offset(), bodyLength, declared,
                append.complete() ? AppendSpec.Ending.LAST : AppendSpec.Ending.NOT_LAST, null);
        bodies.append(owner, id, spec, request, response, answers.bodyAnswers(null, OptionalLong.of(append.offset())));
    }

    /** {@code GET}: a completed upload's bytes with its state; before completion, the state alone (as HEAD). */
    private void retrieve(Owner owner, UploadId id, HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        Upload upload = uploads.get(owner, id);
        if (!upload.isComplete()) {
            answers.state(response, uploads.settled(owner, id), Instant.now());
            return;
        }
        answers.stateHeaders(response, upload, Instant.now());
        Downloads.send(request, response, uploads.completed().open(owner, id));
    }
}
