package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * An {@code Upload-Concat} creation header (the concatenation extension): a partial upload, or a final
 * upload made of the partial uploads its URLs name, in that order.
 */
public sealed interface TusConcat {
    String PARTIAL = "partial";
    String FINAL_PREFIX = "final;";

    /** The value to answer {@code HEAD} with: the header as the creation request sent it. */
    String headerValue();

    /** {@code Upload-Concat: partial}. */
    record Partial() implements TusConcat {
        @Override
        public String headerValue() {
            return PARTIAL;
        }
    }

    /**
     * {@code Upload-Concat: final;URL URL ...}.
     *
     * @param uploadIds   the id each URL names, in order; the same id may occur more than once
     * @param headerValue the header as sent
     */
    record Final(List<String> uploadIds, String headerValue) implements TusConcat {
        public Final {
            uploadIds = List.copyOf(uploadIds);
        }
    }

    /**
     * Parses an {@code Upload-Concat} value. A URL may be absolute ({@code http} or {@code https}; its
     * host is not compared: the id is checked against its owner anyway), an absolute path, or a path
     * relative to {@code basePath}; in each case its path must be {@code basePath} followed by one
     * upload id, with no query, fragment, dot segment or percent-escape.
     *
     * @param basePath   the creation URL's path, ending in '/', such as {@code /tus/}
     * @param isUploadId whether a path segment has the form of an upload id
     * @throws UploadException MALFORMED_REQUEST for anything else, naming the first bad URL's position
     */
    static TusConcat parse(String headerValue, String basePath, Predicate<String> isUploadId)
            throws UploadException {
        if (PARTIAL.equals(headerValue)) {
            return new Partial();
        }
        if (!headerValue.chars().allMatch(c -> c >= ' ' && c <= '~')) {
            throw malformed("Upload-Concat must be ASCII"); // it is answered back to HEAD as sent
        }
        if (!headerValue.startsWith(FINAL_PREFIX)) {
            throw malformed("Upload-Concat must be 'partial' or 'final;' followed by upload URLs");
        }
        String list = headerValue.substring(FINAL_PREFIX.length()).strip();
        if (list.isEmpty()) {
            throw malformed("Upload-Concat: final names no partial upload");
        }
        List<String> ids = new ArrayList<>();
        for (String url : list.split(" +")) {
            String id = idIn(url, basePath, isUploadId);
            if (id == null) {
                throw malformed("Upload-Concat URL " + (ids.size() + 1) + " is not an upload URL under " + basePath);
            }
            ids.add(id);
        }
        return new Final(ids, headerValue);
    }

    private static String idIn(String url, String basePath, Predicate<String> isUploadId) {
        String path = pathOf(url, basePath);
        if (path == null || !path.startsWith(basePath)) {
            return null;
        }
        String id = path.substring(basePath.length());
        return isUploadId.test(id) ? id : null;
    }

    /** The raw path of an absolute URL, of an absolute path, or of a path relative to the base; else null. */
    private static String pathOf(String url, String basePath) {
        if (url.indexOf('?') >= 0 || url.indexOf('#') >= 0) {
            return null;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI uri = new URI(url);
                return uri.getRawAuthority() == null ? null : uri.getRawPath();
            } catch (URISyntaxException notAUrl) {
                return null;
            }
        }
        if (url.startsWith("//") || url.indexOf(':') >= 0) {
            return null; // another scheme, or a network-path reference without one
        }
        return url.startsWith("/") ? url : basePath + url;
    }

    private static UploadException malformed(String reason) {
        return new UploadException(ErrorCode.MALFORMED_REQUEST, reason);
    }
}
