package org.resumableupload.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.UploadRegistry;
import org.resumableupload.store.UploadId;

/** {@code GET /status} with {@code X-File-Id}: how many bytes the server has stored for that upload. */
public final class StatusServlet extends HttpServlet {
    private static final Set<String> ALLOWED = Set.of("GET", "HEAD", "OPTIONS");

    private final transient UploadRegistry registry;
    private final transient Owners owners;

    public StatusServlet(UploadRegistry registry, Owners owners) {
        this.registry = registry;
        this.owners = owners;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!ALLOWED.contains(request.getMethod())) {
            Responses.methodNotAllowed(response, String.join(", ", ALLOWED));
            return;
        }
        super.service(request, response);
    }

    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        // HttpServlet's default also lists TRACE, which service() answers with 405.
        response.setHeader("Allow", String.join(", ", ALLOWED));
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
            Responses.error(response, e);
        }
    }
}
