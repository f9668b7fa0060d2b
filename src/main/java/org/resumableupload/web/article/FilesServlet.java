package org.resumableupload.web.article;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.Uploads;
import org.resumableupload.store.UploadId;
import org.resumableupload.web.AllowedMethods;
import org.resumableupload.web.Downloads;
import org.resumableupload.web.Owners;
import org.resumableupload.web.Refusals;

/**
 * {@code GET /files}: the owner's completed uploads as JSON. {@code GET /files/{id}}: one of them as
 * an attachment, with single-range support. Only the owner's own uploads are listed or served; any
 * other id is 404, as if it did not exist.
 */
public final class FilesServlet extends HttpServlet {
    private static final AllowedMethods ALLOWED = new AllowedMethods(ArticleResponses::error, "GET", "HEAD");

    private final transient Uploads uploads;
    private final transient Owners owners;

    public FilesServlet(Uploads uploads, Owners owners) {
        this.uploads = uploads;
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
        String path = request.getPathInfo();
        try {
            if (path == null || path.equals("/")) {
                ArticleResponses.completedList(response, uploads.completed().of(owner));
            } else {
                download(request, response, owner, path.substring(1));
            }
        } catch (UploadException e) {
            Refusals.answer(request, response, e, ArticleResponses::error);
        }
    }

    private void download(HttpServletRequest request, HttpServletResponse response, Owner owner, String idText)
            throws IOException, UploadException {
        // Ids are the server's own 64-hex names; anything else cannot name a file.
        if (!UploadId.isValid(idText)) {
            throw new UploadException(ErrorCode.NOT_FOUND);
        }
        UploadId id = UploadId.of(idText);
        // Size, ETag and bytes all come from the one version opened, whatever completes meanwhile.
        Downloads.send(request, response, uploads.completed().open(owner, id));
    }
}
