package org.resumableupload.web.article;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.resumableupload.core.Owner;
import org.resumableupload.core.Upload;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.Uploads;
import org.resumableupload.store.UploadId;
import org.resumableupload.web.AllowedMethods;
import org.resumableupload.web.Owners;
import org.resumableupload.web.Refusals;

/** {@code GET /status} with {@code X-File-Id}: how many bytes the server has stored for that upload. */
public final class StatusServlet extends HttpServlet {
    private static final AllowedMethods ALLOWED = new AllowedMethods(ArticleResponses::error, "GET", "HEAD");

    private final transient Uploads uploads;
    private final transient Owners owners;
    private final transient ArticleKeys keys;

    public StatusServlet(Uploads uploads, Owners owners) {
        this.uploads = uploads;
        this.owners = owners;
        this.keys = new ArticleKeys(uploads.settings().maxIdLength());
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
            UploadId id = keys.idFor(owner, ArticleHeaders.fileId(request));
            // Only committed bytes count: what a crash right now would still have. Unknown is 0.
            long stored = uploads.find(owner, id).map(Upload::offset).orElse(0L);
            ArticleResponses.offset(response, stored);
        } catch (UploadException e) {
            Refusals.answer(request, response, e, ArticleResponses::error);
        }
    }
}
