package org.resumableupload.web.tus;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
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

/**
 * tus 1.0.0 at {@code /tus/}: {@code POST /tus/} creates an upload ({@link TusCreation}); below it,
 * each upload URL answers {@code HEAD} (its offset), {@code PATCH} (append), {@code DELETE}
 * (termination), {@code GET} (the finished file) and {@code OPTIONS}. {@code X-HTTP-Method-Override}
 * on a {@code POST} is honoured. Owners as for the article protocol: another owner's upload URL is 404.
 */
public final class TusServlet extends HttpServlet {
    private final transient Uploads uploads;
    private final transient Owners owners;
    private final transient BodyStreams bodies;
    private transient TusHeaders headers;
    private transient TusCreation creation;

    public TusServlet(Uploads uploads, Owners owners) {
        this.uploads = uploads;
        this.owners = owners;
        this.bodies = new BodyStreams(uploads);
    }

    @Override
    public void init() {
        String basePath = getServletContext().getContextPath() + "/tus/";
        headers = new TusHeaders(basePath, uploads.settings().maxUploadSize(), TusMetadata.DEFAULT_MAX_HEADER_CHARS,
                UploadId::isValid);
        creation = new TusCreation(uploads, headers, basePath, bodies);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String method = headers.method(request);
            // Every request but OPTIONS (and a browser's plain GET) must speak tus 1.0.0, else 412.
            headers.checkVersion(request);
            String path = request.getPathInfo();
            if (path == null || path.equals("/")) {
                collection(method, request, response);
            } else {
                upload(method, UploadResources.idIn(path), request, response);
            }
        } catch (UploadException e) {
            Refusals.answer(request, response, e, TusResponses::error); // the body unread
        }
    }

    private void collection(String method, HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        switch (method) {
            case "OPTIONS" -> TusResponses.capabilities(response, uploads.settings().maxUploadSize());
            case "POST" -> creation.create(owners.resolve(request, response), request, response);
            default -> throw UploadResources.notAllowed(response, "POST, OPTIONS");
        }
    }

    private void upload(String method, UploadId id, HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        if ("OPTIONS".equals(method)) {
            TusResponses.capabilities(response, uploads.settings().maxUploadSize());
            return;
        }
        Owner owner = owners.resolve(request, response);
        switch (method) {
            case "HEAD" -> {
                Upload upload = uploads.get(owner, id);
                TusResponses.state(response, upload, creation.concatHeader(upload));
            }
            case "PATCH" -> patch(owner, id, request, response);
            case "DELETE" -> {
                uploads.terminate(owner, id);
                TusResponses.terminated(response);
            }
            case "GET" -> download(owner, id, request, response);
            default -> throw UploadResources.notAllowed(response, "HEAD, PATCH, DELETE, GET, OPTIONS");
        }
    }

    private void patch(Owner owner, UploadId id, HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        TusHeaders.Patch patch = headers.patch(request); // 415 unless application/offset+octet-stream
        AppendSpec spec = new AppendSpec(patch.offset(), request.getContentLengthLong(),
                patch.declaredLength().orElse(AppendSpec.UNKNOWN), AppendSpec.Ending.OPEN,
                patch.checksum().orElse(null));
        bodies.append(owner, id, spec, request, response,
                TusResponses.bodyAnswers(HttpServletResponse.SC_NO_CONTENT, expiresIfWrittenNow(), null));
    }

    private void download(Owner owner, UploadId id, HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        Upload upload = uploads.get(owner, id);
        if (!upload.isComplete()) {
            throw new UploadException(ErrorCode.NOT_COMPLETE, upload.offset());
        }
        TusResponses.common(response);
        Downloads.send(request, response, uploads.completed().open(owner, id));
    }

    private Instant expiresIfWrittenNow() {
        return Instant.now().plus(uploads.settings().expireAfter());
    }

    /** The upload URLs of {@code ids} under {@code basePath}. */
    static String urls(String basePath, List<UploadId> ids) {
        StringBuilder urls = new StringBuilder();
        ids.forEach(id -> urls.append(urls.isEmpty() ? "" : " ").append(basePath).append(id.value()));
        return urls.toString();
    }
}
