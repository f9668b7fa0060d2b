package org.resumableupload.web;

import static org.resumableupload.web.HostileRequest.ascii;
import static org.resumableupload.web.HostileRequest.concat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resumableupload.web.HostileCorpus.Aim;
import org.resumableupload.web.HostileCorpus.Fuzz;
import org.resumableupload.web.HostileCorpus.Who;
import org.resumableupload.web.HostileRequest.Framing;

/**
 * The IETF draft's share of the fuzz ({@link HostileCorpus}): creations at {@code /uploads/} with valid
 * and hostile {@code Upload-Complete}, {@code Upload-Length}, {@code Upload-Draft-Interop-Version},
 * {@code Content-Disposition} file names and {@code Content-Type}; and requests of every method on
 * upload resources with valid and hostile {@code Upload-Offset} and {@code Content-Type}, bodies in
 * every framing. The upload resources are the ones this corpus's own creations made (it learns them
 * from the answers, {@link #learn}, with their offsets), random 64-hex ids and malformed ids; never a
 * victim's id, which is not known here.
 */
final class IetfHostileRequests {
    private static final int KEPT_UPLOADS = 16;
    private static final Pattern LOCATION = Pattern.compile("/uploads/([0-9a-f]{64})$");
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
        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json"};
    private static final String[] PATCH_TYPES = {"application/partial-upload; x=1", "APPLICATION/PARTIAL-UPLOAD",
        "application/octet-stream", "text/plain", "", "application/partial-upload2", "partial-upload",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"};
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
    private static final String[] OTHER_METHODS = {"PUT", "POST", "FOO", "patch", "PROPFIND", "TRACE"};

    /** An upload one of this corpus's creations made, and what its answers said of it. */
    private static final class Known {
        final String id;
        final Who owner;
        long offset;
        boolean complete;

        Known(String id, Who owner) {
            this.id = id;
            this.owner = owner;
        }
    }

    private final Random random;
    private final Supplier<HostileRequest> requests;
    private final List<Known> known = new ArrayList<>();
    // What the request last made is waiting to learn from its answer.
    private Who creator;
    private Known aimedAt;

    IetfHostileRequests(Random random, Supplier<HostileRequest> requests) {
        this.random = random;
        this.requests = requests;
    }

    Fuzz next() {
        creator = null;
        aimedAt = null;
        return random.nextInt(100) < 40 ? creation() : onUpload();
    }

    /** Remembers the upload a creation of owner A or B made, and what an answer says of a known upload. */
    void learn(Fuzz fuzz, RawHttp.Exchange exchange) {
        Optional<RawHttp.Response> answer = exchange.responses().stream().filter(r -> r.status() >= 200).findFirst();
        if (creator != null) {
            for (RawHttp.Response response : exchange.responses()) { // the 104 names it, and the final answer
                Matcher location = LOCATION.matcher(response.header("Location").orElse(""));
                if (location.find()) {
                    Known made = new Known(location.group(1), creator);
                    if (known.size() == KEPT_UPLOADS) {
                        known.remove(0);
                    }
                    known.add(made);
                    answer.ifPresent(a -> update(made, a));
                    break;
                }
            }
        } else if (aimedAt != null && answer.isPresent()) {
            int status = answer.get().status();
            if (status == 404 || (fuzz.method().equals("DELETE") && status == 204)) {
                known.remove(aimedAt);
            } else {
                update(aimedAt, answer.get());
            }
        }
        creator = null;
        aimedAt = null;
    }

    private static void update(Known upload, RawHttp.Response answer) {
        answer.header("Upload-Offset").filter(o -> o.matches("[0-9]{1,15}"))
                .ifPresent(offset -> upload.offset = Long.parseLong(offset));
        if (answer.header("Upload-Complete").orElse("").equals("?1")) {
            upload.complete = true;
        }
    }

    private Fuzz creation() {
        HostileRequest r = requests.get();
        r.aim = Aim.IETF;
        r.method = "POST";
        r.path = random.nextInt(6) == 0 ? "/uploads" : "/uploads/";
        r.who = pick(Who.A, Who.A, Who.A, Who.B, Who.B, Who.NONE, Who.FORGED, Who.MALFORMED_COOKIE);
        r.body = HostileRequest.body(random);
        complete(r);
        if (random.nextBoolean()) {
            length(r, r.body.length);
        }
        interop(r, 7);
        if (random.nextInt(3) == 0) {
            disposition(r);
        }
        if (random.nextInt(3) == 0) {
            r.header("Content-Type", pick(CREATION_TYPES));
        }
        if (random.nextInt(10) == 0) {
            r.header("Expect", "100-continue");
        }
        if (random.nextInt(3) == 0) {
            r.junk();
        }
        r.framing = Framing.pick(random, true);
        if (r.who == Who.A || r.who == Who.B) {
            creator = r.who;
        }
        return r.build("ietf creation", -1);
    }

    private Fuzz onUpload() {
        HostileRequest r = requests.get();
        r.aim = Aim.IETF;
        int m = random.nextInt(100);
        r.method = m < 40 ? "PATCH" : m < 55 ? "HEAD" : m < 70 ? "GET" : m < 78 ? "DELETE" : m < 88 ? "OPTIONS"
                : pick(OTHER_METHODS);
        if (r.method.equals("TRACE")) {
            r.hostile(r.method); // the container refuses it before any servlet sees it
        }
        int t = random.nextInt(100);
        Known target = t < 50 && !known.isEmpty() ? known.get(random.nextInt(known.size())) : null;
        String kind;
        String id;
        if (target != null) {
            id = target.id;
            if (random.nextInt(5) == 0) {
                r.who = target.owner == Who.A ? pick(Who.B, Who.NONE, Who.FORGED, Who.MALFORMED_COOKIE)
                        : pick(Who.A, Who.NONE, Who.FORGED, Who.MALFORMED_COOKIE);
                r.aim = Aim.IETF_ANOTHER_OWNERS_UPLOAD;
                kind = "ietf on another owner's upload";
            } else {
                r.who = target.owner;
                aimedAt = target;
                kind = "ietf on a known upload at " + target.offset + (target.complete ? " (complete)" : "");
            }
        } else {
            r.who = pick(Who.A, Who.A, Who.B, Who.NONE, Who.FORGED, Who.MALFORMED_COOKIE);
            if (t < 75) {
                id = hex(32);
                kind = "ietf on a random id";
            } else {
                id = malformedId(r);
                kind = "ietf on a malformed id";
            }
        }
        r.path = "/uploads/" + id;
        long offset = target != null ? target.offset : random.nextInt(3) == 0 ? random.nextInt(5000) : 0;
        boolean replay = target != null && target.complete && random.nextBoolean();
        if (r.method.equals("PATCH")) {
            r.body = replay ? new byte[0] : HostileRequest.body(random);
            patchFields(r, offset, replay);
        } else if (random.nextInt(6) == 0) {
            r.body = HostileRequest.body(random);
        }
        if (r.method.equals("GET") && random.nextInt(3) == 0) {
            r.header("Range", pick(HostileCorpus.RANGES));
        }
        if (random.nextInt(4) == 0) {
            r.junk();
        }
        r.framing = Framing.pick(random, r.method.equals("PATCH"));
        return r.build(kind, -1);
    }

    private void patchFields(HostileRequest r, long offset, boolean replay) {
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
        if (replay) {
            r.header("Upload-Complete", "?1");
        } else {
            complete(r);
        }
        if (random.nextInt(6) == 0) {
            length(r, offset + r.body.length);
        }
        int c = random.nextInt(10);
        if (c < 8) {
            r.header("Content-Type", "application/partial-upload");
        } else if (c < 9) {
            r.header("Content-Type", pick(PATCH_TYPES));
        }
        interop(r, 2);
    }

    /** {@code Upload-Complete}: mostly {@code ?1} or {@code ?0}; hostile, missing or on two lines now and then. */
    private void complete(HostileRequest r) {
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
    private void length(HostileRequest r, long fits) {
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
    private void interop(HostileRequest r, int outOfTen) {
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

    private void disposition(HostileRequest r) {
        String type = pick("attachment", "attachment", "inline", "form-data; name=\"file\"", "");
        switch (random.nextInt(8)) {
            case 0, 1 -> r.header("Content-Disposition", type + "; filename=\"" + pick(PLAIN_NAMES) + "\"");
            case 2, 3 -> r.header("Content-Disposition", type + "; filename*=UTF-8''" + pick(HostileCorpus.NAMES));
            case 4 -> r.header("Content-Disposition", type + "; filename=\"fallback.txt\"; filename*="
                    + pick(EXTENDED_HOSTILE));
            case 5 -> r.header("Content-Disposition", type + "; filename*=" + pick(EXTENDED_HOSTILE));
            case 6 -> r.headerBytes("Content-Disposition", concat(ascii("attachment; filename=\"a"),
                    pick(HostileCorpus.RAW_BYTES), ascii("b\"")));
            default -> r.header("Content-Disposition", pick(DISPOSITION_GARBAGE));
        }
    }

    /** An id below {@code /uploads/} that is not the server's: hostile paths (the container may refuse them) or near misses. */
    private String malformedId(HostileRequest r) {
        return switch (random.nextInt(8)) {
            case 0, 1 -> {
                r.hostile("path");
                yield pick(HostileCorpus.PATH_IDS);
            }
            case 2 -> hex(32).substring(1); // 63
            case 3 -> hex(32) + "0"; // 65
            case 4 -> hex(32).toUpperCase(java.util.Locale.ROOT);
            case 5 -> hex(32) + "/x";
            case 6 -> "g".repeat(64);
            default -> "";
        };
    }

    private String hex(int bytes) {
        byte[] bits = new byte[bytes];
        random.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
