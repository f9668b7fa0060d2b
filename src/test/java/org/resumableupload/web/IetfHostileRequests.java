package org.resumableupload.web;

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
 * every framing (the fields' values: {@link IetfHostileFields}). The upload resources are the ones this corpus's own creations made (it learns them
 * from the answers, {@link #learn}, with their offsets), random 64-hex ids and malformed ids; never a
 * victim's id, which is not known here.
 */
final class IetfHostileRequests {
    private static final int KEPT_UPLOADS = 16;
    private static final Pattern LOCATION = Pattern.compile("/uploads/([0-9a-f]{64})$");
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
    private final IetfHostileFields fields;
    private final List<Known> known = new ArrayList<>();
    // What the request last made is waiting to learn from its answer.
    private Who creator;
    private Known aimedAt;

    IetfHostileRequests(Random random, Supplier<HostileRequest> requests) {
        this.random = random;
        this.requests = requests;
        this.fields = new IetfHostileFields(random);
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
        fields.complete(r);
        if (random.nextBoolean()) {
            fields.length(r, r.body.length);
        }
        fields.interop(r, 7);
        if (random.nextInt(3) == 0) {
            fields.disposition(r);
        }
        if (random.nextInt(3) == 0) {
            fields.creationType(r);
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
            r.header("Range", pick(HostileValues.RANGES));
        }
        if (random.nextInt(4) == 0) {
            r.junk();
        }
        r.framing = Framing.pick(random, r.method.equals("PATCH"));
        return r.build(kind, -1);
    }

    private void patchFields(HostileRequest r, long offset, boolean replay) {
        fields.offset(r, offset);
        if (replay) {
            r.header("Upload-Complete", "?1");
        } else {
            fields.complete(r);
        }
        if (random.nextInt(6) == 0) {
            fields.length(r, offset + r.body.length);
        }
        fields.patchType(r);
        fields.interop(r, 2);
    }

    /** An id below {@code /uploads/} that is not the server's: hostile paths (the container may refuse them) or near misses. */
    private String malformedId(HostileRequest r) {
        return switch (random.nextInt(8)) {
            case 0, 1 -> {
                r.hostile("path");
                yield pick(HostileValues.PATH_IDS);
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
