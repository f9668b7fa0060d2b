package org.resumableupload.web.tus;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.CreateSpec;
import org.resumableupload.core.FileNames;
import org.resumableupload.core.Owner;
import org.resumableupload.core.Upload;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.Uploads;
import org.resumableupload.store.UploadId;
import org.resumableupload.web.BodyStreams;

/**
 * {@code POST /tus/}: creation, creation-with-upload, creation-defer-length, and the concatenation
 * extension's partial and final uploads.
 */
final class TusCreation {
    private final Uploads uploads;
    private final TusHeaders headers;
    private final String basePath;
    private final BodyStreams bodies;

    TusCreation(Uploads uploads, TusHeaders headers, String basePath, BodyStreams bodies) {
        this.uploads = uploads;
        this.headers = headers;
        this.basePath = basePath;
        this.bodies = bodies;
    }

    void create(Owner owner, HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        TusHeaders.Creation creation = headers.creation(request);
        TusConcat concat = creation.concat().orElse(null);
        String name = FileNames.sanitize(creation.metadata().text("filename")
                .or(() -> creation.metadata().text("name")).orElse("upload"));
        if (concat instanceof TusConcat.Final last) {
            List<UploadId> parts = last.uploadIds().stream().map(UploadId::of).toList();
            Upload done = uploads.concatenate(owner, parts,
                    new CreateSpec(AppendSpec.UNKNOWN, name, creation.metadata().toStored(), false));
            TusResponses.created(response, basePath + done.id().value(), done);
            return;
        }
        Upload upload = uploads.create(owner, new CreateSpec(creation.length().orElse(AppendSpec.UNKNOWN), name,
                creation.metadata().toStored(), concat instanceof TusConcat.Partial));
        String location = basePath + upload.id().value();
        if (!creation.bodyFollows()) {
            TusResponses.created(response, location, upload);
            return;
        }
        AppendSpec firstBytes = new AppendSpec(0, request.getContentLengthLong(), AppendSpec.UNKNOWN,
                AppendSpec.Ending.OPEN, creation.checksum().orElse(null));
        Instant expires = Instant.now().plus(uploads.settings().expireAfter());
        bodies.append(owner, upload.id(), firstBytes, request, response,
                TusResponses.bodyAnswers(HttpServletResponse.SC_CREATED, expires, location));
    }

    /** {@code Upload-Concat} for HEAD: as the creation request sent it, with this server's URLs. */
    String concatHeader(Upload upload) {
        if (upload.isPartial()) {
            return TusConcat.PARTIAL;
        }
        List<UploadId> parts = upload.finalParts();
        return parts.isEmpty() ? null : TusConcat.FINAL_PREFIX + TusServlet.urls(basePath, parts);
    }
}
