package org.resumableupload.web.tus;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;

/** The syntax of single tus header values: numbers, the PATCH media type, headers sent once. */
final class TusValues {
    private static final int MAX_DIGITS = 19; // Long.MAX_VALUE has 19

    private TusValues() {
    }

    /** The header's value, or null; sent twice with different values it is malformed. */
    static String single(HttpServletRequest request, String header) throws UploadException {
        var headers = request.getHeaders(header);
        List<String> values = headers == null ? List.of() : Collections.list(headers);
        if (values.isEmpty()) {
            return null;
        }
        if (values.stream().distinct().count() > 1) {
            throw malformed(header + " was sent more than once");
        }
        return values.get(0);
    }

    /**
     * A non-negative decimal number: digits only (no sign, no spaces), at most {@code Long.MAX_VALUE}.
     *
     * @throws UploadException MALFORMED_REQUEST otherwise, naming {@code header}
     */
    static long nonNegative(String header, String value) throws UploadException {
        if (!isDigits(value)) {
            throw malformed(header + " must be a non-negative decimal number");
        }
        long number = digitsOrMinusOne(value);
        if (number < 0) {
            throw malformed(header + " is too large");
        }
        return number;
    }

    /** True for one or more ASCII digits and nothing else. */
    static boolean isDigits(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The number {@code digits} (see {@link #isDigits}) spell, or -1 if it is more than a long holds. */
    static long digitsOrMinusOne(String digits) {
        if (digits.length() > MAX_DIGITS) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException overflow) {
            return -1;
        }
    }

    /**
     * Whether the media type is tus's, compared without case and parameters (RFC 9110 §8.3.1). Given the
     * field as sent: Jetty's {@code getContentType()} throws for a charset the JVM does not know.
     */
    static boolean isOffsetOctetStream(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return mediaType.toLowerCase(Locale.ROOT).equals(TusHeaders.OFFSET_OCTET_STREAM);
    }

    private static UploadException malformed(String reason) {
        return new UploadException(ErrorCode.MALFORMED_REQUEST, reason);
    }
}
