package org.resumableupload.web;

import static org.resumableupload.web.HostileRequest.ascii;
import static org.resumableupload.web.HostileRequest.concat;

import java.util.Random;

/**
 * Values of the IETF draft's request fields for the fuzz ({@link IetfHostileRequests}): mostly valid,
 * often hostile (signs, decimals, lists, a field on two lines, 16 digits and more, unknown interop
 * versions, file names with paths, NUL, CR LF or bytes that are not UTF-8, garbage media types).
 */
final class IetfHostileFields {
    private static final String TOO_LARGE = Long.toString((64L << 30) + 1); // above the default upload.maxSize

    private static final String[] COMPLETE_HOSTILE = {"yes", "1", "?2", "true", "?", "", "?1;a=1", "?0;", "?1, ?0",
        "?T", "\"?1\"", "?01"};
    private static final String[] LENGTH_HOSTILE = {"99999999999999999999", "-1", "+5", "1.5", "", "abc", "1e3",
        "0x10", "1234567890123456", "5, 6", "5;a=1", "٥", "999999999999999", TOO_LARGE};
    private static final String[] INTEROP = {"9", "9", "9", "8", "7", "6", "5", "4"};
    private static final String[] INTEROP_HOSTILE = {"3", "0", "abc", "99999", "-1", "9;a=1", "", "9, 8", "1000", "10",
        "?1", "9.0"};
    private static final String[] OFFSET_HOSTILE = {"+4096", "abc", "-1", "1234567890123456", "99999999999999999999",
        "1.5", "", "0x0", "?0", "0;a=1", "0, 0", "4096 4096"};
    private static final String[] CREATION_TYPES = {"application/octet-stream", "text/plain; charset=utf-8",
        "application/partial-upload", "image/png", "a/b/c", "", "text/html; charset=\"x", "t/" + "x".repeat(3000),
        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json",
        "text/plain; charset=no-such-charset"};
    private static final String[] PATCH_TYPES = {"application/partial-upload; x=1", "APPLICATION/PARTIAL-UPLOAD",
        "application/octet-stream", "text/plain", "", "application/partial-upload2", "partial-upload",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/partial-upload; charset=x"};
    private static final String[] PLAIN_NAMES = {"../../etc/passwd", "..", "a\\\"b", "C:\\Windows\\win.ini",
        "x".repeat(5000), "report.pdf", "  ", "con", ".hidden", "a;b", "x.record", "\\\\server\\share", "a/b/c"};
    private static final String[] EXTENDED_HOSTILE = {"UTF-8''%0d%0aSet-Cookie:%20x=y", "UTF-8''%0d%0a", "UTF-8''%00",
        "UTF-8''a%00b", "UTF-8''%ff%fe", "UTF-8''%c0%af", "UTF-8''%ed%a0%80", "UTF-8''%80", "UTF-8''%zz", "UTF-8''%",
        "UTF-8''%4", "ISO-8859-1''%e9t%e9.txt", "UTF-8'en'", "UTF-8''", "''x", "UTF-8",
        "utf-8''%2e%2e%2f%2e%2e%2fetc%2fpasswd", "UTF-8''" + "%41".repeat(1500), "UTF-8''" + "%F0%9F%93%81".repeat(100),
        "UTF-8''%E2%80%AEtxt.exe"};
    private static final String[] DISPOSITION_GARBAGE = {"", ";", "attachment; filename", "attachment; filename=",
        "attachment; filename=\"unterminated", "attachment; filename*=", "attachment; filename=\"a\"; filename=\"b\"",
        "attachment; filename*=UTF-8''a; filename*=UTF-8''b", ";;;;", "\"\"", "attachment; filename=\"\\\""};

    private final Random random;

    IetfHostileFields(Random random) {
        this.random = random;
    }

    /** {@code Upload-Offset}: mostly {@code offset}; another, hostile, on two lines or missing now and then. */
    void offset(HostileRequest r, long offset) {
        int k = random.nextInt(12);
        if (k < 7) {
            r.header("Upload-Offset", Long.toString(offset));
        } else if (k < 8) {
            r.header("Upload-Offset", Long.toString(random.nextBoolean() ? offset + 1 + random.nextInt(100)
                    : Math.max(0, offset - 1 - random.nextInt(100))));
        } else if (k < 10) {
            r.header("Upload-Offset", pick(OFFSET_HOSTILE));
        } else if (k < 11) {
            r.header("Upload-Offset", Long.toString(offset));
            r.header("Upload-Offset", Long.toString(random.nextBoolean() ? offset : offset + 1));
        } // else none
    }

    /** {@code Content-Type} of an append: mostly {@code application/partial-upload}, another or none now and then. */
    void patchType(HostileRequest r) {
        int c = random.nextInt(10);
        if (c < 8) {
            r.header("Content-Type", "application/partial-upload");
        } else if (c < 9) {
            r.header("Content-Type", pick(PATCH_TYPES));
        }
    }

    /** {@code Content-Type} of a creation: the representation's media type, valid or not. */
    void creationType(HostileRequest r) {
        r.header("Content-Type", pick(CREATION_TYPES));
    }

    /** {@code Upload-Complete}: mostly {@code ?1} or {@code ?0}; hostile, missing or on two lines now and then. */
    void complete(HostileRequest r) {
        int k = random.nextInt(20);
        if (k < 16) {
            r.header("Upload-Complete", random.nextBoolean() ? "?1" : "?0");
        } else if (k < 18) {
            r.header("Upload-Complete", pick(COMPLETE_HOSTILE));
        } else if (k < 19) {
            r.header("Upload-Complete", "?1");
            r.header("Upload-Complete", random.nextBoolean() ? "?1" : "?0");
        } // else missing
    }

    /** {@code Upload-Length}: the length {@code fits}, another, too large, hostile, or on two lines. */
    void length(HostileRequest r, long fits) {
        int k = random.nextInt(10);
        if (k < 4) {
            r.header("Upload-Length", Long.toString(fits));
        } else if (k < 6) {
            r.header("Upload-Length", Long.toString(random.nextBoolean() ? fits + 1 + random.nextInt(5000)
                    : Math.max(0, fits - 1 - random.nextInt(100))));
        } else if (k < 7) {
            r.header("Upload-Length", TOO_LARGE);
        } else if (k < 9) {
            r.header("Upload-Length", pick(LENGTH_HOSTILE));
        } else {
            r.header("Upload-Length", Long.toString(fits));
            r.header("Upload-Length", Long.toString(random.nextBoolean() ? fits : fits + 1));
        }
    }

    /** {@code Upload-Draft-Interop-Version} in {@code outOfTen} requests: mostly one this server answers. */
    void interop(HostileRequest r, int outOfTen) {
        if (random.nextInt(10) >= outOfTen) {
            return;
        }
        int k = random.nextInt(10);
        if (k < 7) {
            r.header("Upload-Draft-Interop-Version", pick(INTEROP));
        } else if (k < 9) {
            r.header("Upload-Draft-Interop-Version", pick(INTEROP_HOSTILE));
        } else {
            r.header("Upload-Draft-Interop-Version", "9");
            r.header("Upload-Draft-Interop-Version", pick(INTEROP));
        }
    }

    void disposition(HostileRequest r) {
        String type = pick("attachment", "attachment", "inline", "form-data; name=\"file\"", "");
        switch (random.nextInt(8)) {
            case 0, 1 -> r.header("Content-Disposition", type + "; filename=\"" + pick(PLAIN_NAMES) + "\"");
            case 2, 3 -> r.header("Content-Disposition", type + "; filename*=UTF-8''" + pick(HostileValues.NAMES));
            case 4 -> r.header("Content-Disposition", type + "; filename=\"fallback.txt\"; filename*="
                    + pick(EXTENDED_HOSTILE));
            case 5 -> r.header("Content-Disposition", type + "; filename*=" + pick(EXTENDED_HOSTILE));
            case 6 -> r.headerBytes("Content-Disposition", concat(ascii("attachment; filename=\"a"),
                    pick(HostileValues.RAW_BYTES), ascii("b\"")));
            default -> r.header("Content-Disposition", pick(DISPOSITION_GARBAGE));
        }
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
