package org.resumableupload.web;

import static org.resumableupload.web.HostileRequest.ascii;
import static org.resumableupload.web.HostileRequest.concat;
import static org.resumableupload.web.HostileRequest.utf8;
import static org.resumableupload.web.HostileValues.ANY_NUMBERS;
import static org.resumableupload.web.HostileValues.DIGEST_GARBAGE;
import static org.resumableupload.web.HostileValues.MALFORMED_NUMBERS;
import static org.resumableupload.web.HostileValues.METHODS;
import static org.resumableupload.web.HostileValues.NAMES;
import static org.resumableupload.web.HostileValues.NAME_BROKEN;
import static org.resumableupload.web.HostileValues.PATHS;
import static org.resumableupload.web.HostileValues.PATH_IDS;
import static org.resumableupload.web.HostileValues.RANGES;
import static org.resumableupload.web.HostileValues.RAW_BYTES;
import static org.resumableupload.web.HostileValues.UNICODE_IDS;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.resumableupload.web.HostileRequest.Framing;

/**
 * Generates hostile HTTP/1.1 requests for the fuzz test, reproducibly from a seed: hostile ids, offsets,
 * sizes, names, digests, cookies, paths, methods, duplicated headers, {@code Content-Length} that
 * disagrees with the body, and chunked bodies, valid and broken; a quarter of the requests that aim at
 * no victim go to the IETF front end ({@link IetfHostileRequests}).
 *
 * <p>Requests aimed at a victim upload always carry a "poison" that the protocol refuses before a byte
 * can count (a wrong or malformed offset, a malformed or conflicting size, a bad or wrong digest, a
 * broken name, a duplicated id), so the victim's stored offset must never change.
 */
final class HostileCorpus {
    /** Who sends a request. */
    enum Who { A, B, NONE, FORGED, MALFORMED_COOKIE }

    /** Which front end a request is for. */
    enum Aim {
        /** The article's protocol ({@code /upload}, {@code /status}, {@code /files}), or a hostile path. */
        ARTICLE,
        /** The IETF draft ({@code /uploads/}). */
        IETF,
        /** The IETF draft, on an upload of another owner than the sender: the sender must learn nothing of it. */
        IETF_ANOTHER_OWNERS_UPLOAD
    }

    /** A victim: an upload of owner A whose state the fuzz must never change. */
    record Victim(String clientId, long stored, long declaredSize, boolean completed) {
    }

    /**
     * One generated request.
     *
     * @param kind               short description for failure messages
     * @param method             its method (HEAD responses have no body)
     * @param bytes              exactly what goes on the wire
     * @param victim             the victim it aims at, or -1
     * @param who                whose cookie it carries
     * @param aim                which front end it is for
     * @param containerMayReject true if the container (not the application) may answer it: malformed
     *                           HTTP, hostile paths, framing errors
     * @param wellFramed         true if the body is exactly what the headers announce (safe over TLS,
     *                           where a half-close cannot end a body)
     */
    record Fuzz(String kind, String method, byte[] bytes, int victim, Who who, Aim aim, boolean containerMayReject,
                boolean wellFramed) {
        boolean ietf() {
            return aim != Aim.ARTICLE;
        }
    }

    private final Random random;
    private final List<Victim> victims;
    private final String tokenA;
    private final String tokenB;
    private final List<String> filesOfA;
    private final IetfHostileRequests ietf;

    HostileCorpus(long seed, List<Victim> victims, String tokenA, String tokenB, List<String> filesOfA) {
        this.random = new Random(seed);
        this.victims = victims;
        this.tokenA = tokenA;
        this.tokenB = tokenB;
        this.filesOfA = filesOfA;
        this.ietf = new IetfHostileRequests(random, this::request);
    }

    Fuzz next() {
        int dice = random.nextInt(100);
        if (dice < 14) {
            int v = random.nextInt(victims.size());
            return victimRequest(v, Who.A);
        }
        if (dice < 20) {
            int v = random.nextInt(victims.size());
            Who who = pick(Who.B, Who.B, Who.NONE, Who.FORGED, Who.MALFORMED_COOKIE);
            return random.nextBoolean() ? victimRequest(v, who) : probe(v, who);
        }
        return random.nextInt(4) == 0 ? ietf.next() : generic();
    }

    /** What the answers to {@code fuzz} teach the corpus (the IETF uploads its creations made). */
    void learn(Fuzz fuzz, RawHttp.Exchange exchange) {
        if (fuzz.ietf()) {
            ietf.learn(fuzz, exchange);
        }
    }

    private HostileRequest request() {
        return new HostileRequest(random, tokenA, tokenB);
    }

    /** Anything at all, by any owner, for ids that are never a victim's. */
    private Fuzz generic() {
        HostileRequest r = request();
        int m = random.nextInt(100);
        r.method = m < 70 ? "POST" : m < 84 ? "GET" : m < 88 ? "HEAD" : pick(METHODS);
        r.path = switch (r.method) {
            case "GET", "HEAD" -> random.nextInt(3) == 0 ? filesPath() : "/status";
            default -> "/upload";
        };
        if (random.nextInt(12) == 0) {
            r.path = pick(PATHS);
            r.hostile("path");
        }
        if (r.method.equals("CONNECT") || r.method.equals("TRACE")) {
            r.hostile(r.method); // the container refuses these before any servlet sees them
        }
        r.who = pick(Who.A, Who.A, Who.B, Who.NONE, Who.FORGED, Who.MALFORMED_COOKIE);
        if (random.nextInt(10) != 0) {
            byte[] id = fileId();
            r.header("X-File-Id", id);
            if (random.nextInt(20) == 0) {
                r.header("X-File-Id", random.nextBoolean() ? id : fileId());
            }
        }
        int s = random.nextInt(10);
        if (s < 4) {
            r.header("X-Start-Byte", "0");
        } else if (s < 8) {
            numberHeader(r, "X-Start-Byte");
        }
        if (random.nextBoolean()) {
            numberHeader(r, "X-File-Size");
        }
        r.body = HostileRequest.body(random);
        if (random.nextInt(8) == 0) {
            r.header("X-File-Size", Integer.toString(r.body.length));
        }
        if (random.nextInt(5) < 2) {
            nameHeader(r);
        }
        int d = random.nextInt(20);
        if (d < 3) {
            r.header("Content-Digest", pick(DIGEST_GARBAGE));
        } else if (d < 4) {
            r.header("Content-Digest", "sha-256=:" + b64(sha256(r.body)) + ":");
        }
        if (r.path.startsWith("/files/") && random.nextBoolean()) {
            r.header("Range", pick(RANGES));
            if (random.nextInt(4) == 0) {
                r.header("If-Range", random.nextBoolean() ? "\"x\"" : "garbage");
            }
        }
        r.junk();
        r.framing = Framing.pick(random, r.method.equals("POST"));
        return r.build("generic", -1);
    }

    /** Owner A (or a cross-owner probe) aims at a victim with a request that must be refused. */
    private Fuzz victimRequest(int v, Who who) {
        Victim victim = victims.get(v);
        HostileRequest r = request();
        r.method = "POST";
        r.path = "/upload";
        r.who = who;
        // What this owner has stored under the victim's id: A the victim's bytes, anyone else nothing.
        long stored = who == Who.A ? victim.stored() : 0;
        r.body = HostileRequest.body(random);
        String poison;
        int p = random.nextInt(stored > 0 ? 8 : 3);
        switch (p) {
            case 0 -> {
                poison = "wrong X-Start-Byte";
                r.header("X-File-Id", victim.clientId());
                r.header("X-Start-Byte", Long.toString(wrongStart(stored)));
            }
            case 1 -> {
                poison = "malformed X-Start-Byte";
                r.header("X-File-Id", victim.clientId());
                if (random.nextInt(4) == 0) {
                    r.header("X-Start-Byte", Long.toString(stored));
                    r.header("X-Start-Byte", Long.toString(stored + 1 + random.nextInt(5)));
                } else {
                    r.header("X-Start-Byte", pick(MALFORMED_NUMBERS));
                }
            }
            case 2 -> {
                poison = "two different X-File-Id";
                r.header("X-File-Id", victim.clientId());
                r.header("X-File-Id", victim.clientId() + "x");
                r.header("X-Start-Byte", Long.toString(stored));
            }
            case 3 -> {
                poison = "malformed X-File-Size";
                r.header("X-File-Id", victim.clientId());
                r.header("X-Start-Byte", Long.toString(stored));
                r.header("X-File-Size", pick(MALFORMED_NUMBERS));
            }
            case 4 -> {
                poison = "garbage Content-Digest";
                r.header("X-File-Id", victim.clientId());
                r.header("X-Start-Byte", Long.toString(stored));
                r.header("Content-Digest", pick(DIGEST_GARBAGE));
            }
            case 5 -> {
                poison = "wrong Content-Digest";
                r.header("X-File-Id", victim.clientId());
                r.header("X-Start-Byte", Long.toString(stored));
                byte[] other = new byte[32];
                random.nextBytes(other);
                r.header("Content-Digest", "sha-256=:" + b64(other) + ":");
            }
            case 6 -> {
                poison = "broken X-File-Name";
                r.header("X-File-Id", victim.clientId());
                r.header("X-Start-Byte", Long.toString(stored));
                r.header("X-File-Name", pick(NAME_BROKEN));
            }
            default -> {
                poison = "conflicting X-File-Size";
                r.header("X-File-Id", victim.clientId());
                r.header("X-Start-Byte", Long.toString(stored));
                long size = victim.declaredSize() >= 0
                        ? victim.declaredSize() + 1 + random.nextInt(1000)
                        : random.nextInt((int) stored); // below what is stored
                r.header("X-File-Size", Long.toString(size));
            }
        }
        if (random.nextInt(4) == 0 && p != 6) {
            nameHeader(r);
        }
        if (random.nextInt(10) == 0) {
            r.header("X-Junk", "1");
        }
        r.framing = Framing.pick(random, true);
        return r.build("victim " + v + " (" + poison + ")", v);
    }

    /** Reads aimed at a victim's id by someone who is not its owner. */
    private Fuzz probe(int v, Who who) {
        HostileRequest r = request();
        r.who = who;
        r.method = random.nextInt(4) == 0 ? "HEAD" : "GET";
        int kind = random.nextInt(3);
        if (kind == 0 || filesOfA.isEmpty()) {
            r.path = "/status";
            r.header("X-File-Id", victims.get(v).clientId());
        } else if (kind == 1) {
            r.path = "/files/" + filesOfA.get(random.nextInt(filesOfA.size()));
            if (random.nextBoolean()) {
                r.header("Range", pick(RANGES));
            }
        } else {
            r.path = "/files";
        }
        r.framing = Framing.CORRECT;
        r.body = new byte[0];
        return r.build("probe of victim " + v + " by " + who, v);
    }

    private String filesPath() {
        int k = random.nextInt(4);
        if (k == 0) {
            return "/files";
        }
        if (k == 1 && !filesOfA.isEmpty()) {
            return "/files/" + filesOfA.get(random.nextInt(filesOfA.size()));
        }
        byte[] hex = new byte[32];
        random.nextBytes(hex);
        return "/files/" + java.util.HexFormat.of().formatHex(hex);
    }

    private long wrongStart(long stored) {
        long wrong;
        do {
            wrong = switch (random.nextInt(4)) {
                case 0 -> stored + 1;
                case 1 -> Math.max(1, stored - 1);
                case 2 -> 1 + random.nextInt(100_000);
                default -> Long.MAX_VALUE - random.nextInt(10);
            };
        } while (wrong == stored || wrong <= 0);
        return wrong;
    }

    private void numberHeader(HostileRequest r, String name) {
        int k = random.nextInt(10);
        if (k < 5) {
            r.header(name, pick(MALFORMED_NUMBERS));
        } else if (k < 8) {
            r.header(name, pick(ANY_NUMBERS));
        } else if (k < 9) {
            r.header(name, Long.toString(random.nextInt(5000)));
        } else {
            r.header(name, Long.toString(random.nextInt(5000)));
            r.header(name, random.nextBoolean() ? Long.toString(random.nextInt(5000)) : pick(MALFORMED_NUMBERS));
        }
    }

    private void nameHeader(HostileRequest r) {
        int k = random.nextInt(4);
        if (k == 0) {
            r.header("X-File-Name", pick(NAME_BROKEN));
        } else if (k == 1) {
            byte[] raw = concat(ascii(pick(NAMES)), pick(RAW_BYTES));
            r.headerBytes("X-File-Name", raw);
        } else {
            r.header("X-File-Name", pick(NAMES));
        }
    }

    private byte[] fileId() {
        int k = random.nextInt(10);
        return switch (k) {
            case 0, 1 -> ascii(pick(PATH_IDS) + (random.nextBoolean() ? "" : Integer.toString(random.nextInt(1000))));
            case 2 -> utf8(pick(UNICODE_IDS));
            case 3 -> concat(ascii("id-"), pick(RAW_BYTES), ascii(Integer.toString(random.nextInt(100))));
            case 4 -> ascii("L".repeat(pickInt(1023, 1024, 1025, 4000, 7000, 20_000)));
            case 5 -> {
                byte[] bytes = new byte[1 + random.nextInt(40)];
                random.nextBytes(bytes);
                yield bytes;
            }
            default -> ascii("f-" + random.nextInt(400) + (random.nextBoolean() ? "" : "-" + random.nextInt(5000)
                    + "-1700000000000"));
        };
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private int pickInt(int... options) {
        return options[random.nextInt(options.length)];
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
