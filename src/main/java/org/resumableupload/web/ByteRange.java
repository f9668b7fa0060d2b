package org.resumableupload.web;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110 §14). Several ranges are not served:
 * the whole file is sent instead, which the RFC allows.
 *
 * @param first first byte, inclusive
 * @param last  last byte, inclusive
 */
public record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=\\s*(\\d{0,19})\\s*-\\s*(\\d{0,19})\\s*");

    public long length() {
        return last - first + 1;
    }

    /** Thrown for a syntactically valid range that lies wholly past the end of the file. */
    public static final class Unsatisfiable extends Exception {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    /**
     * The range {@code header} asks of a file of {@code size} bytes; empty means "send it all" (no
     * header, several ranges, or a header this server does not understand, which RFC 9110 says to ignore).
     *
     * @throws Unsatisfiable if the range starts at or past the end (or asks for a zero-length suffix)
     */
    public static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
        if (header == null) {
            return Optional.empty();
        }
        Matcher single = SINGLE.matcher(header);
        if (!single.matches() || (single.group(1).isEmpty() && single.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (single.group(1).isEmpty()) {
                long suffix = Long.parseLong(single.group(2));
                if (suffix == 0 || size == 0) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(single.group(1));
            long last = single.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(single.group(2)), size - 1);
            if (first >= size) {
                throw new Unsatisfiable();
            }
            if (last < first) {
                return Optional.empty(); // invalid: ignore the header
            }
            return Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException overflow) {
            return Optional.empty();
        }
    }
}
