package org.resumableupload.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.CompletedRecord;

/**
 * Serves one opened version of a completed upload as an attachment, for every front end: one byte
 * range ({@code Range}, {@code If-Range} against the SHA-256 ETag), written without blocking
 * ({@link FileSender}). Size, ETag and bytes all come from the one version opened.
 */
public final class Downloads {
    private Downloads() {
    }

    /**
     * Answers {@code request} with {@code content}, which this method closes (now or when the bytes
     * are sent).
     *
     * @throws UploadException RANGE_NOT_SATISFIABLE (with {@code Content-Range: bytes *}/size set)
     * @throws IOException     if the response cannot be written
     */
    public static void send(HttpServletRequest request, HttpServletResponse response, CompletedContent content)
            throws IOException, UploadException {
        boolean handedOver = false;
        try {
            CompletedRecord file = content.record();
            String etag = '"' + HexFormat.of().formatHex(file.sha256()) + '"';
            if (content.direct().isPresent() && "GET".equals(request.getMethod())) {
                // The store hands the bytes out itself (a presigned URL): this node streams nothing.
                Responses.common(response);
                response.setHeader("ETag", etag);
                response.sendRedirect(content.direct().get().toString(), HttpServletResponse.SC_FOUND);
                return;
            }
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
