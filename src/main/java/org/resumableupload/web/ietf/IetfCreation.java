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
        long length = creation.length().orElse(AppendSpec.UNKNOWN);
        // Upload-Complete: ?1 says the body is the whole representation: its length must agree.
        if (creation.complete() && bodyLength >= 0) {
            if (length >= 0 && length != bodyLength) {
                throw new UploadException(ErrorCode.LENGTH_MISMATCH, "Upload-Length does not match the body's length");
            }
            length = bodyLength;
        }
        if (length >= 0 && bodyLength > length) {
            throw new UploadException(ErrorCode.PAST_LENGTH);
        }
        String name = FileNames.sanitize(creation.fileName().orElse("upload"));
        Metadata metadata = Metadata.EMPTY;
        if (creation.fileName().isPresent()) {
            metadata = metadata.with("filename", creation.fileName().get());
        }
        if (creation.mediaType().isPresent()) {
            metadata = metadata.with("filetype", creation.mediaType().get());
        }
        Upload upload = uploads.create(owner, new CreateSpec(length, name, metadata, false));
        String location = basePath + upload.id().value();
        announce(request, response, location, creation.interopVersion());
        AppendSpec firstBytes = new AppendSpec(0, bodyLength, AppendSpec.UNKNOWN,
                creation.complete() ? AppendSpec.Ending.LAST : AppendSpec.Ending.NOT_LAST, null);
        bodies.append(owner, upload.id(), firstBytes, request, response,
                answers.bodyAnswers(location, OptionalLong.of(0)));
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
        try {
            interim.send(request, response,
                    new InterimResponse(UPLOAD_RESUMPTION_SUPPORTED, "Upload Resumption Supported", fields));
        } catch (IOException clientGone) {
            // The body's read fails next and keeps what arrived, which is nothing yet.
            LOG.log(Level.FINE, "could not send the 104 for " + location, clientGone);
        }
    }
}
