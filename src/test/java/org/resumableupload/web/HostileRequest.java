package org.resumableupload.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.resumableupload.web.HostileCorpus.Aim;
import org.resumableupload.web.HostileCorpus.Fuzz;
import org.resumableupload.web.HostileCorpus.Who;

/**
 * One request of the fuzz ({@link HostileCorpus}, {@link IetfHostileRequests}) under construction, and
 * its bytes on the wire: its head with whoever's cookie, junk headers, and its body in any framing,
 * valid or broken. What the container may refuse by itself (raw bytes in a field, a very long head,
 * broken framing, junk) is noted as hostility.
 */
final class HostileRequest {
    /** How the body goes on the wire. */
    enum Framing {
        CORRECT, SHORTER, LONGER, NONE, CHUNKED, CHUNKED_BROKEN, CL_GARBAGE, CL_AND_TE;

        /** Mostly correct; a request that carries a body ({@code POST}, {@code PATCH}) gets every kind often. */
        static Framing pick(Random random, boolean carriesBody) {
            if (!carriesBody && random.nextInt(4) != 0) {
                return CORRECT;
            }
            int k = random.nextInt(100);
            return k < 58 ? CORRECT : k < 66 ? SHORTER : k < 74 ? LONGER : k < 78 ? NONE : k < 87 ? CHUNKED
                    : k < 93 ? CHUNKED_BROKEN : k < 97 ? CL_GARBAGE : CL_AND_TE;
        }
    }

    private static final String[] JUNK_HEADERS = {"X-Junk: 1", "Expect: 100-continue", "Content-Encoding: gzip",
        "Upgrade: h2c", "X-Forwarded-Proto: https", "X-Forwarded-For: 10.0.0.1", "Authorization: Basic YWRtaW46YWRtaW4=",
        "Forwarded: proto=https", "X-HTTP-Method-Override: DELETE", "Accept: */*", "Accept: text/html",
        "Range: bytes=0-", "If-None-Match: *", "Origin: http://evil.example", "X-Start-Byte : 1", "Bad Header: x",
        "NoColon", " obs-fold-continuation", "X-Empty:", ":", "X-Long: " + "v".repeat(9000),
        "Content-Type: multipart/form-data; boundary=x", "Connection: keep-alive", "Cookie: other=1",
        "Cookie: upload-owner=../../x", "Host: evil.example", "TE: trailers"};

    String method;
    String path;
    Who who = Who.NONE;
    Aim aim = Aim.ARTICLE;
    byte[] body = new byte[0];
    Framing framing = Framing.CORRECT;
    boolean omitHost;
    final List<byte[]> rawLines = new ArrayList<>();
    final List<String> hostility = new ArrayList<>();

    private final Random random;
    private final String tokenA;
    private final String tokenB;

    HostileRequest(Random random, String tokenA, String tokenB) {
        this.random = random;
        this.tokenA = tokenA;
        this.tokenB = tokenB;
    }

    /** Empty (often), up to 2000 bytes (mostly) or up to 32 KB; random bytes or letters. */
    static byte[] body(Random random) {
        int k = random.nextInt(10);
        int length = k < 2 ? 0 : k < 9 ? random.nextInt(2000) : 2000 + random.nextInt(30_000);
        byte[] body = new byte[length];
        if (random.nextBoolean()) {
            random.nextBytes(body);
        } else {
            for (int i = 0; i < length; i++) {
                body[i] = (byte) ('a' + random.nextInt(26));
            }
        }
        return body;
    }

    void header(String name, String value) {
        headerBytes(name, utf8(value));
    }

    void header(String name, byte[] value) {
        headerBytes(name, value);
    }

    void headerBytes(String name, byte[] value) {
        for (byte b : value) {
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7F || b < 0) {
                hostile("raw byte in " + name); // the container may refuse these bytes itself
                break;
            }
        }
        if (value.length > 6000) {
            hostile("long " + name);
        }
        rawLines.add(concat(ascii(name + ": "), value));
    }

    void hostile(String what) {
        hostility.add(what);
    }

    /** Now and then junk header lines, 120 harmless ones, or no {@code Host}. */
    void junk() {
        if (random.nextInt(8) == 0) {
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                rawLines.add(ascii(pick(JUNK_HEADERS)));
            }
            hostile("junk header");
        }
        if (random.nextInt(40) == 0) {
            for (int i = 0; i < 120; i++) {
                rawLines.add(ascii("X-Many-" + i + ": " + i));
            }
        }
        if (random.nextInt(40) == 0) {
            omitHost = true;
            hostile("no Host");
        }
    }

    Fuzz build(String kind, int victim) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(method + " " + path + " HTTP/1.1\r\n"));
        if (!omitHost) {
            out.writeBytes(ascii("Host: 127.0.0.1\r\n"));
        }
        switch (who) {
            case A -> out.writeBytes(ascii(cookieLine(tokenA)));
            case B -> out.writeBytes(ascii(cookieLine(tokenB)));
            case FORGED -> out.writeBytes(ascii("Cookie: upload-owner=" + forgedToken() + "\r\n"));
            case MALFORMED_COOKIE -> out.writeBytes(ascii("Cookie: upload-owner=" + pick("", "x", "../../x",
                    "A".repeat(42), "A".repeat(44), "A".repeat(42) + "!", "a b", "\"" + "A".repeat(43) + "\"",
                    "A".repeat(5000)) + "\r\n"));
            default -> { }
        }
        for (byte[] line : rawLines) {
            out.writeBytes(line);
            out.writeBytes(ascii("\r\n"));
        }
        boolean wellFramed = framing == Framing.CORRECT || framing == Framing.CHUNKED;
        if (!wellFramed) {
            hostile("framing " + framing);
        }
        byte[] payload = body;
        switch (framing) {
            case CORRECT -> {
                if (body.length > 0 || method.equals("POST") || method.equals("PATCH")) {
                    out.writeBytes(ascii("Content-Length: " + body.length + "\r\n"));
                }
            }
            case SHORTER -> out.writeBytes(ascii("Content-Length: "
                    + (body.length == 0 ? 0 : random.nextInt(body.length)) + "\r\n"));
            case LONGER -> out.writeBytes(ascii("Content-Length: " + (body.length + 1 + random.nextInt(5000))
                    + "\r\n"));
            case NONE -> { }
            case CHUNKED -> {
                out.writeBytes(ascii("Transfer-Encoding: chunked\r\n"));
                payload = chunked(body, false);
            }
            case CHUNKED_BROKEN -> {
                out.writeBytes(ascii("Transfer-Encoding: " + pick("chunked", "chunked", "gzip, chunked",
                        "chunked, chunked", "identity", "chunked;x=1") + "\r\n"));
                payload = chunked(body, true);
            }
            case CL_GARBAGE -> {
                String value = pick("-1", "abc", "1e3", " ", "99999999999999999999", "0x10", "+1",
                        body.length + ", " + (body.length + 1));
                out.writeBytes(ascii("Content-Length: " + value + "\r\n"));
                if (random.nextBoolean()) {
                    out.writeBytes(ascii("Content-Length: " + body.length + "\r\n"));
                }
            }
            case CL_AND_TE -> {
                out.writeBytes(ascii("Content-Length: " + body.length + "\r\n"));
                out.writeBytes(ascii("Transfer-Encoding: chunked\r\n"));
                payload = chunked(body, random.nextBoolean());
            }
            default -> throw new IllegalStateException();
        }
        out.writeBytes(ascii("Connection: close\r\n\r\n"));
        if (out.size() > 7000) {
            hostile("head of " + out.size() + " bytes"); // near the container's 8 KiB limit: 431
        }
        out.writeBytes(payload);
        String description = kind + ": " + method + " " + path + (hostility.isEmpty() ? "" : " " + hostility);
        return new Fuzz(description, method, out.toByteArray(), victim, who, aim, !hostility.isEmpty(),
                wellFramed && !omitHost);
    }

    private byte[] chunked(byte[] data, boolean broken) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        int breakAt = broken ? random.nextInt(4) : -1;
        while (at < data.length) {
            int n = Math.min(data.length - at, 1 + random.nextInt(700));
            String size = Integer.toHexString(n);
            if (breakAt == 0 && at > 0) {
                size = pick("zz", "-5", "ffffffffffffffffff", " ", "0x10", "1;" + "e".repeat(9000));
                breakAt = -1;
            }
            out.writeBytes(ascii(size + (random.nextInt(10) == 0 ? ";ext=1" : "") + "\r\n"));
            out.write(data, at, n);
            out.writeBytes(ascii(breakAt == 1 && at > 0 ? "XX" : "\r\n"));
            at += n;
        }
        if (breakAt != 2) {
            out.writeBytes(ascii(breakAt == 3 ? "0\r\nTrailer: x\r\n" : "0\r\n\r\n"));
        }
        return out.toByteArray();
    }

    private static String cookieLine(String token) {
        return "Cookie: upload-owner=" + token + "\r\n";
    }

    private String forgedToken() {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        return RawHttp.concat(parts);
    }
}
