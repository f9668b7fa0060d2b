package org.resumableupload.web.ietf;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.CreateSpec;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.FileNames;
import org.resumableupload.core.Owner;
import org.resumableupload.core.Upload;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.Uploads;
import org.resumableupload.store.Metadata;
import org.resumableupload.web.BodyStreams;
import org.resumableupload.web.interim.InterimResponse;
import org.resumableupload.web.interim.InterimResponses;

/**
 * {@code POST /uploads/}: creates the upload resource, announces it in a 104 (Upload Resumption
 * Supported) before a byte of the body is read, then streams the body into it. The file name comes
 * from {@code Content-Disposition}, the media type from {@code Content-Type}; both are kept as
 * metadata ({@code filename}, {@code filetype}), as tus clients send them.
 */
final class IetfCreation {
    private static final Logger LOG = Logger.getLogger(IetfCreation.class.getName());
    static final int UPLOAD_RESUMPTION_SUPPORTED = 104;

    private final Uploads uploads;
    private final String basePath;
    private final IetfResponses answers;
    private final UploadLimits limits;
    private final InterimResponses interim;
    private final BodyStreams bodies;

    IetfCreation(Uploads uploads, String basePath, IetfResponses answers, UploadLimits limits,
                 InterimResponses interim, BodyStreams bodies) {
        this.uploads = uploads;
        this.basePath = basePath;
        this.answers = answers;
        this.limits = limits;
        this.interim = interim;
        this.bodies = bodies;
    }

    void create(Owner owner, HttpServletRequest request, HttpServletResponse response)
            throws IOException, UploadException {
        IetfHeaders.Creation creation = IetfHeaders.creation(request);
        long bodyLength = request.getContentLengthLong();
        long length = IetfHeaders.length(creation.complete(), 0, bodyLength, creation.length());
        // Over the maximum: refused before anything is created, so nothing is stored.
        if (Math.max(length, bodyLength) > uploads.settings().maxUploadSize()) {
            throw new UploadException(ErrorCode.TOO_LARGE);
        }
        // Completion is what the client says: the core completes an upload of length 0 at its creation
        // (tus), so a "more follows" one declares its length with its first (empty) body instead.
        boolean declareLater = !creation.complete() && length == 0;
        Upload upload = uploads.create(owner, new CreateSpec(declareLater ? AppendSpec.UNKNOWN : length,
                FileNames.sanitize(creation.fileName().orElse("upload")), metadata(creation), false));
        String location = basePath + upload.id().value();
        // Every answer from here on names the upload, as the 104 did: a refusal too, so it can be resumed.
        response.setHeader("Location", location);
        announce(request, response, location, creation.interopVersion());
        AppendSpec firstBytes = new AppendSpec(0, bodyLength, declareLater ? 0 : AppendSpec.UNKNOWN,
                creation.complete() ? AppendSpec.Ending.LAST : AppendSpec.Ending.NOT_LAST, null);
        bodies.append(owner, upload.id(), firstBytes, request, response,
                answers.bodyAnswers(location, OptionalLong.of(0)));
    }

    private static Metadata metadata(IetfHeaders.Creation creation) {
        Metadata metadata = Metadata.EMPTY;
        if (creation.fileName().isPresent()) {
            metadata = metadata.with("filename", creation.fileName().get());
        }
        if (creation.mediaType().isPresent()) {
            metadata = metadata.with("filetype", creation.mediaType().get());
        }
        return metadata;
    }

    // A draft server sends the 104 only to a client that names an interop version it implements.
    private void announce(HttpServletRequest request, HttpServletResponse response, String location, int version) {
        if (!Interop.sends104(version)) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Location", location);
        fields.put(IetfHeaders.UPLOAD_LIMIT, limits.forNewUpload());
        fields.put(IetfHeaders.INTEROP_VERSION, Integer.toString(version));
        // A new owner's cookie, issued with this request: a client cut before the final answer needs it
        // to resume the upload the 104 names (clients may ignore cookies of a 1xx; most keep them).
        String issued = response.getHeader("Set-Cookie");
        if (issued != null) {
            fields.put("Set-Cookie", issued);
        }
        try {
            interim.send(request, response,
                    new InterimResponse(UPLOAD_RESUMPTION_SUPPORTED, "Upload Resumption Supported", fields));
        } catch (IOException clientGone) {
            // The body's read fails next and keeps what arrived, which is nothing yet.
            LOG.log(Level.FINE, "could not send the 104 for " + location, clientGone);
        }
    }
}
