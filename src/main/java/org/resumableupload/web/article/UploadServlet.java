package org.resumableupload.web.article;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.Uploads;
import org.resumableupload.core.WriteSession;
import org.resumableupload.store.UploadId;
import org.resumableupload.web.AllowedMethods;
import org.resumableupload.web.BodyReader;
import org.resumableupload.web.BodyStreams;
import org.resumableupload.web.Owners;
import org.resumableupload.web.Refusals;

/**
 * {@code POST /upload} with {@code X-File-Id} and {@code X-Start-Byte}: appends the body to the upload
 * from that offset; a start byte of 0 (or none) starts the upload over. The body is read with
 * non-blocking I/O ({@link BodyReader}), so a slow client holds no container thread.
 */
public final class UploadServlet extends HttpServlet {
    private static final AllowedMethods ALLOWED = new AllowedMethods(ArticleResponses::error, "POST");

    private final transient Uploads uploads;
    private final transient Owners owners;
    private final transient ArticleKeys keys;
    private final transient BodyStreams bodies;

    public UploadServlet(Uploads uploads, Owners owners) {
        this.uploads = uploads;
        this.owners = owners;
        this.keys = new ArticleKeys(uploads.settings().maxIdLength());
        this.bodies = new BodyStreams(uploads);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!ALLOWED.answered(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Owner owner = owners.resolve(request, response);
        try {
            String fileId = ArticleHeaders.fileId(request);
            UploadId id = keys.idFor(owner, fileId);
            ArticleRequest upload = ArticleHeaders.articleRequest(request, fileId);
            // Takes over from an older writer of this upload, then checks the offset, sizes and free space.
            bodies.stream(request, response, ArticleResponses.BODY_ANSWERS, onStopped -> upload.startsOver()
                    ? uploads.startOver(owner, id, upload.creation(), upload.append(), onStopped)
                    : resume(owner, id, upload, onStopped));
        } catch (UploadException e) {
            Refusals.answer(request, response, e, ArticleResponses::error); // the body unread
        }
    }

    private WriteSession resume(Owner owner, UploadId id, ArticleRequest upload,
                                Consumer<UploadException> onStopped) throws UploadException {
        try {
            return uploads.append(owner, id, upload.append(), onStopped);
        } catch (UploadException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            // The owner's key names no stored bytes: offset 0, as status says; the client starts over.
            throw new UploadException(ErrorCode.OFFSET_MISMATCH, 0);
        }
    }
}
