package org.resumableupload.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.UploadRegistry;
import org.resumableupload.store.UploadId;

/** {@code GET /status} with {@code X-File-Id}: how many bytes the server has stored for that upload. */
public final class StatusServlet extends HttpServlet {
    private static final AllowedMethods ALLOWED = new AllowedMethods("GET", "HEAD");

    private final transient UploadRegistry registry;
    private final transient Owners owners;

    public StatusServlet(UploadRegistry registry, Owners owners) {
        this.registry = registry;
        this.owners = owners;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!ALLOWED.answered(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Owner owner = owners.resolve(request, response);
        try {
            UploadId id = registry.idFor(owner, RequestHeaders.fileId(request));
            // Only committed bytes count: what a crash right now would still have.
            long stored = registry.storedOffset(owner, id);
            Responses.offset(response, stored);
        } catch (UploadException e) {
            Refusals.answer(request, response, e);
        }
    }
}
