package org.resumableupload.web.ietf;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;

/**
 * Reads and checks the request fields of draft-ietf-httpbis-resumable-upload-12 into {@link Creation}
 * and {@link Append}. Where the draft tells a recipient to ignore a field that is not a valid
 * Structured Field, this server refuses the request instead (400, {@code malformed-request}): each of
 * these fields changes what is stored, and a client that sent {@code Upload-Offset: +4096} meant
 * something.
 */
public final class IetfHeaders {
    static final String UPLOAD_OFFSET = "Upload-Offset";
    static final String UPLOAD_COMPLETE = "Upload-Complete";
    static final String UPLOAD_LENGTH = "Upload-Length";
    static final String UPLOAD_LIMIT = "Upload-Limit";
    static final String INTEROP_VERSION = "Upload-Draft-Interop-Version";
    static final String PARTIAL_UPLOAD = "application/partial-upload";

    /** For {@code web.Cors}: the methods, request headers and response headers of the draft in a browser. */
    public static final List<String> CORS_METHODS = List.of("POST", "HEAD", "GET", "PATCH", "DELETE", "OPTIONS");
    public static final List<String> CORS_REQUEST_HEADERS = List.of(UPLOAD_OFFSET, UPLOAD_COMPLETE, UPLOAD_LENGTH,
            INTEROP_VERSION, "Content-Type", "Content-Disposition");
    public static final List<String> CORS_EXPOSED_HEADERS = List.of("Location", UPLOAD_OFFSET, UPLOAD_COMPLETE,
            UPLOAD_LENGTH, UPLOAD_LIMIT, "Repr-Digest", "Upload-Error", "Retry-After", "Content-Range", "ETag");

    private IetfHeaders() {
    }

    /**
     * An upload creation request.
     *
     * @param complete       {@code Upload-Complete}: the body is the whole representation
     * @param length         {@code Upload-Length}, if sent
     * @param interopVersion {@code Upload-Draft-Interop-Version}, 0 if absent or not an Integer
     * @param fileName       the {@code Content-Disposition} file name, if any
     * @param mediaType      the representation's {@code Content-Type}, if any
     */
    record Creation(boolean complete, OptionalLong length, int interopVersion, Optional<String> fileName,
                    Optional<String> mediaType) {
    }

    /**
     * An upload append request.
     *
     * @param offset   {@code Upload-Offset}: where the body goes
     * @param complete {@code Upload-Complete}: the body is the rest of the representation
     * @param length   {@code Upload-Length}, if sent
     */
    record Append(long offset, boolean complete, OptionalLong length) {
    }

    /**
     * @throws UploadException MALFORMED_REQUEST for a missing or malformed {@code Upload-Complete}, a
     *                         malformed {@code Upload-Length}
     */
    static Creation creation(HttpServletRequest request) throws UploadException {
        boolean complete = completeField(request);
        OptionalLong length = integer(request, UPLOAD_LENGTH);
        return new Creation(complete, length, interopVersion(request),
                ContentDisposition.fileName(request.getHeader("Content-Disposition")),
                Optional.ofNullable(contentType(request)));
    }

    /**
     * @throws UploadException UNSUPPORTED_MEDIA_TYPE unless {@code Content-Type: application/partial-upload}
     *                         (not asked of clients of interop versions before 6, which did not send it);
     *                         MALFORMED_REQUEST for a missing or malformed {@code Upload-Offset} or
     *                         {@code Upload-Complete}, or a malformed {@code Upload-Length}
     */
    static Append append(HttpServletRequest request) throws UploadException {
        if (!Interop.mayOmitPartialUploadType(interopVersion(request)) && !isPartialUpload(contentType(request))) {
            throw new UploadException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "an append must have Content-Type: " + PARTIAL_UPLOAD);
        }
        OptionalLong offset = integer(request, UPLOAD_OFFSET);
        if (offset.isEmpty()) {
            throw malformed(UPLOAD_OFFSET + " is required");
        }
        return new Append(offset.getAsLong(), completeField(request), integer(request, UPLOAD_LENGTH));
    }

    /**
     * The representation's length as a request tells it: {@code Upload-Length}, and for a request that
     * completes the upload ({@code Upload-Complete: ?1}) with a {@code Content-Length} also where its
     * body ends ({@code offset} + that length), which must agree; {@link AppendSpec#UNKNOWN} if neither.
     *
     * @throws UploadException LENGTH_MISMATCH if the two disagree, PAST_LENGTH if the body of a request
     *                         that does not complete the upload goes past {@code Upload-Length}
     */
    static long length(boolean complete, long offset, long bodyLength, OptionalLong declared) throws UploadException {
        long length = declared.orElse(AppendSpec.UNKNOWN);
        if (complete && bodyLength >= 0) {
            if (length >= 0 && length != offset + bodyLength) {
                throw new UploadException(ErrorCode.LENGTH_MISMATCH,
                        "Upload-Length does not match where the body ends");
            }
            return offset + bodyLength;
        }
        if (length >= 0 && bodyLength > length - offset) {
            throw new UploadException(ErrorCode.PAST_LENGTH);
        }
        return length;
    }

    /** {@code Upload-Offset} if the request carries a valid one (for the answer to a mismatch), else empty. */
    static OptionalLong offsetIfValid(HttpServletRequest request) {
        try {
            return integer(request, UPLOAD_OFFSET);
        } catch (UploadException malformed) {
            return OptionalLong.empty();
        }
    }

    /** {@code Upload-Draft-Interop-Version}, 0 if absent or not a single non-negative Integer. */
    static int interopVersion(HttpServletRequest request) {
        try {
            OptionalLong version = integer(request, INTEROP_VERSION);
            return version.isPresent() && version.getAsLong() < 1000 ? (int) version.getAsLong() : 0;
        } catch (UploadException malformed) {
            return 0;
        }
    }

    private static boolean completeField(HttpServletRequest request) throws UploadException {
        String value = single(request, UPLOAD_COMPLETE);
        if (value == null) {
            throw malformed(UPLOAD_COMPLETE + " is required (?1 or ?0)");
        }
        return StructuredFields.bool(value)
                .orElseThrow(() -> malformed(UPLOAD_COMPLETE + " must be a Structured Field Boolean, ?1 or ?0"));
    }

    private static OptionalLong integer(HttpServletRequest request, String name) throws UploadException {
        String value = single(request, name);
        if (value == null) {
            return OptionalLong.empty();
        }
        return StructuredFields.nonNegativeInteger(value).map(OptionalLong::of)
                .orElseThrow(() -> malformed(name + " must be a non-negative Structured Field Integer"));
    }

    // RFC 9651 joins the lines of a field with commas: an Item on two lines is a list, not an Item.
    private static String single(HttpServletRequest request, String name) throws UploadException {
        var lines = request.getHeaders(name);
        List<String> values = lines == null ? List.of() : Collections.list(lines);
        if (values.size() > 1) {
            throw malformed(name + " was sent on more than one line");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    // The field as sent: Jetty's getContentType() throws for a charset the JVM does not know.
    private static String contentType(HttpServletRequest request) {
        return request.getHeader("Content-Type");
    }

    private static boolean isPartialUpload(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
        return type.toLowerCase(Locale.ROOT).equals(PARTIAL_UPLOAD);
    }

    private static UploadException malformed(String reason) {
        return new UploadException(ErrorCode.MALFORMED_REQUEST, reason);
    }
}
