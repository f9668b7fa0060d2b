package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.BodyChecksum;
import org.resumableupload.core.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Reads and checks the tus 1.0.0 request headers of one front end (its base path, its size limits)
 * into {@link Creation} and {@link Patch}. Every refusal is a {@link UploadException} whose code
 * {@link TusErrors} turns into a status. A header sent twice with different values is malformed.
 */
public final class TusHeaders {
    public static final String VERSION = "1.0.0";
    public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

    public static final String TUS_RESUMABLE = "Tus-Resumable";
    public static final String TUS_VERSION = "Tus-Version";
    public static final String TUS_EXTENSION = "Tus-Extension";
    public static final String TUS_MAX_SIZE = "Tus-Max-Size";
    public static final String TUS_CHECKSUM_ALGORITHM = "Tus-Checksum-Algorithm";
    public static final String UPLOAD_OFFSET = "Upload-Offset";
    public static final String UPLOAD_LENGTH = "Upload-Length";
    public static final String UPLOAD_DEFER_LENGTH = "Upload-Defer-Length";
    public static final String UPLOAD_METADATA = "Upload-Metadata";
    public static final String UPLOAD_EXPIRES = "Upload-Expires";
    public static final String UPLOAD_CHECKSUM = "Upload-Checksum";
    public static final String UPLOAD_CONCAT = "Upload-Concat";
    public static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    /** What {@code Tus-Extension} announces. */
    public static final List<String> EXTENSIONS = List.of("creation", "creation-with-upload",
            "creation-defer-length", "termination", "checksum", "expiration", "concatenation");
    /** Methods a {@code POST} may name in {@link #METHOD_OVERRIDE}. */
    public static final List<String> OVERRIDABLE = List.of("PATCH", "DELETE", "HEAD", "GET", "OPTIONS", "POST");

    /** For {@code web.Cors}: the methods, request headers and response headers of tus in a browser. */
    public static final List<String> CORS_METHODS = List.of("POST", "GET", "HEAD", "PATCH", "DELETE", "OPTIONS");
    public static final List<String> CORS_REQUEST_HEADERS = List.of(TUS_RESUMABLE, UPLOAD_LENGTH, UPLOAD_OFFSET,
            UPLOAD_METADATA, UPLOAD_DEFER_LENGTH, UPLOAD_CONCAT, UPLOAD_CHECKSUM, "Content-Type", METHOD_OVERRIDE,
            "X-Requested-With");
    public static final List<String> CORS_EXPOSED_HEADERS = List.of("Location", UPLOAD_OFFSET, UPLOAD_LENGTH,
            UPLOAD_METADATA, UPLOAD_EXPIRES, UPLOAD_DEFER_LENGTH, UPLOAD_CONCAT, TUS_RESUMABLE, TUS_VERSION,
            TUS_EXTENSION, TUS_MAX_SIZE, TUS_CHECKSUM_ALGORITHM);

    private final String basePath;
    private final long maxUploadLength;
    private final int maxMetadataChars;
    private final Predicate<String> isUploadId;

    /**
     * @param basePath         the creation URL's path, ending in '/' (context path + {@code /tus/})
     * @param maxUploadLength  the largest {@code Upload-Length} accepted ({@code Tus-Max-Size})
     * @param maxMetadataChars the longest {@code Upload-Metadata} value accepted
     * @param isUploadId       whether a URL path segment has the form of an upload id
     */
    public TusHeaders(String basePath, long maxUploadLength, int maxMetadataChars, Predicate<String> isUploadId) {
        if (!basePath.startsWith("/") || !basePath.endsWith("/")) {
            throw new IllegalArgumentException("the base path starts and ends with '/': " + basePath);
        }
        this.basePath = basePath;
        this.maxUploadLength = maxUploadLength;
        this.maxMetadataChars = maxMetadataChars;
        this.isUploadId = isUploadId;
    }

    /**
     * A creation request ({@code POST} to the base path).
     *
     * @param length         {@code Upload-Length}; empty if deferred or for a final upload
     * @param deferredLength {@code Upload-Defer-Length: 1} was sent
     * @param metadata       {@code Upload-Metadata}, empty if none was sent
     * @param concat         {@code Upload-Concat}, if sent
     * @param bodyFollows    the request has a body of upload bytes (creation-with-upload)
     * @param checksum       {@code Upload-Checksum} of that body, if sent
     */
    public record Creation(OptionalLong length, boolean deferredLength, TusMetadata metadata,
                           Optional<TusConcat> concat, boolean bodyFollows, Optional<BodyChecksum> checksum) {
    }

    /**
     * A {@code PATCH} (or a {@code POST} overridden to one).
     *
     * @param offset         {@code Upload-Offset}
     * @param declaredLength {@code Upload-Length}, which declares a deferred length; empty if not sent
     * @param checksum       {@code Upload-Checksum} of the body, if sent
     */
    public record Patch(long offset, OptionalLong declaredLength, Optional<BodyChecksum> checksum) {
    }

    /**
     * Refuses a request for another protocol version. {@code OPTIONS} needs none (tus: the server
     * ignores it there); {@code GET}, a download no tus client sends, needs none, so a browser can
     * follow a link; every other request must send {@code Tus-Resumable: 1.0.0}.
     *
     * @throws UploadException UNSUPPORTED_VERSION if absent where required or not 1.0.0;
     *                             MALFORMED_REQUEST if sent twice with different values
     */
    public void checkVersion(HttpServletRequest request) throws UploadException {
        String method = request.getMethod();
        if ("OPTIONS".equals(method)) {
            return;
        }
        String version = TusValues.single(request, TUS_RESUMABLE);
        if (version == null && "GET".equals(method)) {
            return;
        }
        if (!VERSION.equals(version)) {
            throw new UploadException(ErrorCode.UNSUPPORTED_VERSION);
        }
    }

    /**
     * The method to act on: {@link #METHOD_OVERRIDE} on a {@code POST} (tus-java-client sends PATCH
     * that way where the JDK cannot), else the request's own. On other methods the header may only
     * repeat the method: a safe method that deletes would surprise every cache and proxy.
     *
     * @throws UploadException METHOD_NOT_ALLOWED for an override outside {@link #OVERRIDABLE};
     *                             MALFORMED_REQUEST for an override on another method than POST
     */
    public String method(HttpServletRequest request) throws UploadException {
        String method = request.getMethod();
        String override = TusValues.single(request, METHOD_OVERRIDE);
        if (override == null || override.equals(method)) {
            return method;
        }
        if (!"POST".equals(method)) {
            throw malformed(METHOD_OVERRIDE + " is honoured on POST only");
        }
        if (!OVERRIDABLE.contains(override)) {
            throw new UploadException(ErrorCode.METHOD_NOT_ALLOWED,
                    METHOD_OVERRIDE + " must name one of " + String.join(", ", OVERRIDABLE));
        }
        return override;
    }

    /**
     * Reads a creation request.
     *
     * @throws UploadException MALFORMED_REQUEST unless exactly one of {@code Upload-Length} and
     *                             {@code Upload-Defer-Length: 1} is sent (neither, for a final upload, nor a
     *                             body); TOO_LARGE above the maximum length; UNSUPPORTED_MEDIA_TYPE for a body
     *                             of another type; and whatever {@link TusMetadata#parse},
     *                             {@link TusChecksum#parse} and {@code Upload-Concat} parsing refuse
     */
    public Creation creation(HttpServletRequest request) throws UploadException {
        OptionalLong length = uploadLength(request);
        boolean deferred = deferredLength(request);
        TusMetadata metadata = TusMetadata.parse(TusValues.single(request, UPLOAD_METADATA), maxMetadataChars);
        Optional<TusConcat> concat = concat(request);
        boolean bodyFollows = bodyFollows(request);
        if (concat.orElse(null) instanceof TusConcat.Final) {
            if (length.isPresent() || deferred || bodyFollows) {
                throw malformed("a final upload takes its length and bytes from its partial uploads: "
                        + "send no Upload-Length, Upload-Defer-Length or body");
            }
        } else if (length.isPresent() == deferred) {
            throw malformed(deferred ? "send Upload-Length or Upload-Defer-Length, not both"
                    : "Upload-Length or Upload-Defer-Length: 1 is required");
        }
        return new Creation(length, deferred, metadata, concat, bodyFollows, checksum(request));
    }

    /**
     * Reads a {@code PATCH}.
     *
     * @throws UploadException UNSUPPORTED_MEDIA_TYPE unless the body is {@value #OFFSET_OCTET_STREAM};
     *                             MALFORMED_REQUEST for a missing or malformed {@code Upload-Offset} or
     *                             {@code Upload-Length}; TOO_LARGE above the maximum length; and whatever
     *                             {@link TusChecksum#parse} refuses
     */
    public Patch patch(HttpServletRequest request) throws UploadException {
        if (!TusValues.isOffsetOctetStream(request.getHeader("Content-Type"))) {
            throw new UploadException(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        }
        String offset = TusValues.single(request, UPLOAD_OFFSET);
        if (offset == null) {
            throw malformed(UPLOAD_OFFSET + " is required");
        }
        return new Patch(TusValues.nonNegative(UPLOAD_OFFSET, offset), uploadLength(request), checksum(request));
    }

    private OptionalLong uploadLength(HttpServletRequest request) throws UploadException {
        String value = TusValues.single(request, UPLOAD_LENGTH);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (!TusValues.isDigits(value)) {
            throw malformed(UPLOAD_LENGTH + " must be a non-negative decimal number");
        }
        long length = TusValues.digitsOrMinusOne(value);
        if (length < 0 || length > maxUploadLength) { // a valid number, only too large for this server
            throw new UploadException(ErrorCode.TOO_LARGE,
                    UPLOAD_LENGTH + " is more than Tus-Max-Size (" + maxUploadLength + ")");
        }
        return OptionalLong.of(length);
    }

    private boolean deferredLength(HttpServletRequest request) throws UploadException {
        String value = TusValues.single(request, UPLOAD_DEFER_LENGTH);
        if (value != null && !"1".equals(value)) {
            throw malformed(UPLOAD_DEFER_LENGTH + " must be 1");
        }
        return value != null;
    }

    private Optional<TusConcat> concat(HttpServletRequest request) throws UploadException {
        String value = TusValues.single(request, UPLOAD_CONCAT);
        return value == null ? Optional.empty() : Optional.of(TusConcat.parse(value, basePath, isUploadId));
    }

    private static Optional<BodyChecksum> checksum(HttpServletRequest request) throws UploadException {
        String value = TusValues.single(request, UPLOAD_CHECKSUM);
        return value == null ? Optional.empty() : Optional.of(TusChecksum.parse(value));
    }

    /**
     * Whether a creation request carries upload bytes. A body of another type is refused rather than
     * ignored: ignoring it would throw away bytes the client thinks it sent.
     */
    private static boolean bodyFollows(HttpServletRequest request) throws UploadException {
        long contentLength = request.getContentLengthLong();
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        boolean typed = TusValues.isOffsetOctetStream(request.getHeader("Content-Type"));
        if (!typed && (contentLength > 0 || (contentLength < 0 && chunked))) {
            throw new UploadException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "a creation request with a body must send Content-Type: " + OFFSET_OCTET_STREAM);
        }
        return typed && contentLength != 0;
    }

    private static UploadException malformed(String reason) {
        return new UploadException(ErrorCode.MALFORMED_REQUEST, reason);
    }
}
