package org.resumableupload.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.UploadRegistry;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.UploadId;

/**
 * {@code GET /files}: the owner's completed uploads as JSON. {@code GET /files/{id}}: one of them as
 * an attachment, with single-range support. Only the owner's own uploads are listed or served; any
 * other id is 404, as if it did not exist.
 */
public final class FilesServlet extends HttpServlet {
    private static final AllowedMethods ALLOWED = new AllowedMethods("GET", "HEAD");

    private final transient UploadRegistry registry;
    private final transient Owners owners;

    public FilesServlet(UploadRegistry registry, Owners owners) {
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
        String path = request.getPathInfo();
        try {
            if (path == null || path.equals("/")) {
                Responses.completedList(response, registry.completedUploads(owner));
            } else {
                download(request, response, owner, path.substring(1));
            }
        } catch (UploadException e) {
            Refusals.answer(request, response, e);
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
        CompletedContent content = registry.openCompleted(owner, id);
        boolean handedOver = false;
        try {
            CompletedRecord file = content.record();
            String etag = '"' + HexFormat.of().formatHex(file.sha256()) + '"';
            Optional<ByteRange> range = requestedRange(request, etag, file.size(), response);
            Responses.common(response);
            response.setContentType("application/octet-stream");
            response.setHeader("Content-Disposition", contentDisposition(file.name()));
            response.setHeader("Accept-Ranges", "bytes");
            response.setHeader("ETag", etag);
            long first = range.map(ByteRange::first).orElse(0L);
            long length = range.map(ByteRange::length).orElse(file.size());
            if (range.isPresent()) {
                response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
                response.setHeader("Content-Range", "bytes " + first + "-" + range.get().last() + "/" + file.size());
            }
            response.setContentLengthLong(length);
            if (!"HEAD".equals(request.getMethod())) {
                FileSender.send(content.channel(), first, length, request.startAsync());
                handedOver = true;
            }
        } finally {
            if (!handedOver) {
                content.close();
            }
        }
    }

    private static Optional<ByteRange> requestedRange(HttpServletRequest request, String etag, long size,
                                                      HttpServletResponse response) throws UploadException {
        String ifRange = request.getHeader("If-Range");
        if (ifRange != null && !ifRange.equals(etag)) {
            return Optional.empty(); // the file changed since the client's copy: send it whole
        }
        try {
            return ByteRange.parse(request.getHeader("Range"), size);
        } catch (ByteRange.Unsatisfiable e) {
            response.setHeader("Content-Range", "bytes */" + size);
            throw new UploadException(ErrorCode.RANGE_NOT_SATISFIABLE);
        }
    }

    /** RFC 6266: an ASCII fallback name and the exact UTF-8 name. */
    static String contentDisposition(String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]", "_").replace("\\", "_").replace("\"", "_");
        String utf8 = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }
}
