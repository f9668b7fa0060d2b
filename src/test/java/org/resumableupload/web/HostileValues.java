package org.resumableupload.web;

import java.util.Base64;

/**
 * The fuzz's tables of hostile values ({@link HostileCorpus}, {@link IetfHostileRequests}): ids that
 * are paths, Unicode or raw bytes; malformed and edge numbers; digests, names, paths, methods and
 * ranges no honest client sends.
 */
final class HostileValues {
    static final String[] PATH_IDS = {"../../etc/passwd", "..", ".", "/", "\\", "..\\..\\x", "a/b/c",
        "/etc/passwd", "C:\\Windows\\win.ini", "%2e%2e%2f%2e%2e%2fx", "....//....//x", "parts/../completed",
        "completed/x", "../parts/0000", "~/.ssh/id_rsa", "//server/share", "file:///etc/passwd", ".hidden",
        "x.record", "x.tmp", "x.data", "*", "?", "con", "NUL", "aux.txt", "a\\..\\..\\b", "./././x", ".."
            + "/".repeat(100)};
    static final String[] UNICODE_IDS = {"файл.txt", "📁/📄", "\u202egnp.exe", "ｆｕｌｌ／ｗｉｄｔｈ",
        "a\u2215b", "e\u0301", "\uFEFFbom", "ä".repeat(600), "中文/../名字", "\u0130", "\uFFFD"};
    static final byte[][] RAW_BYTES = {{(byte) 0xC3, 0x28}, {(byte) 0xFF, (byte) 0xFE},
        {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x80, (byte) 0xAE}, {0}, {0x7F}, {0x1B, '[', '3', '1', 'm'}, {1}, {'\t'},
        {0x0B}, {0x0C}, {'\r'}, {'\n'}, {'\r', '\n', 'X', ':', ' ', 'y'}};
    static final String[] MALFORMED_NUMBERS = {"-1", "-0", "+5", "1.0", "1e3", "0x10", "abc", "",
        "9223372036854775808", "99999999999999999999999", "18446744073709551616", "１２", "5 5", "1,2",
        "NaN", "Infinity", "-9223372036854775808", "0b101", "1_000", "١٢"};
    static final String[] ANY_NUMBERS = {"0", "1", "0010", " 7 ", "9223372036854775807", "1023",
        "1024", "4294967296", "2147483648"};
    static final String[] DIGEST_GARBAGE = {"sha-256=:AAAA:", "sha-256=abc", "sha-256=::",
        "sha-256=:!!!!:", "", "sha-256", "=:abc:", "sha-512=:" + b64(new byte[64]) + ":",
        "md5=:" + b64(new byte[16]) + ":", "sha-256=:" + b64(new byte[31]) + ":",
        "sha-256=:" + b64(new byte[33]) + ":", "sha-256=:" + "A".repeat(5000) + ":",
        "sha-256=\"" + b64(new byte[32]) + "\"", "sha-256=:" + b64(new byte[32]).replace('=', '*') + ":",
        "sha-256=:" + b64(new byte[32]).substring(1) + ":"};
    static final String[] NAME_BROKEN = {"%zz", "%", "%4", "a%g0", "%ff%fe", "%c0%af", "%ed%a0%80",
        "%80", "caf\u00e9", "%E2%82"};
    static final String[] NAMES = {"../../etc/passwd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%00", "a%00b",
        "..", ".", ".hidden", "con", "NUL", "aux.txt", "a/b\\c", "%2f", "%5c", "%E2%80%AE%74%78%74.exe",
        "name.record", "x.tmp", "upload", "   ", "*?<>|\"", "%0d%0aSet-Cookie:%20x=y", "%41".repeat(400),
        "x".repeat(300) + ".txt", "%F0%9F%93%81.txt", "%C3%A9t%C3%A9.txt", "report (1).pdf", "-rf", "~",
        "$(reboot)", "`id`", "%3Cscript%3E.html"};
    static final String[] PATHS = {"/upload/", "//upload", "/upload;x=y", "/upload?x=../../a",
        "/%75pload", "/files/%2e%2e/%2e%2e/etc/passwd", "/files/..%2f..%2fetc%2fpasswd", "/files/../status",
        "/status/..", "/files/" + "A".repeat(64), "/files/" + "0".repeat(63), "/files/" + "0".repeat(65),
        "/files/\u00e9", "/files/%00", "/files/%", "/STATUS", "/upload%00", "/files/" + "f".repeat(64) + "/x",
        "/" + "a".repeat(9000), "*", "http://evil.example/upload", "/files//etc/passwd", "/WEB-INF/web.xml",
        "/files/%2e%2e%5c%2e%2e%5cwindows"};
    static final String[] METHODS = {"PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "post",
        "CONNECT", "PROPFIND", "GET"};
    static final String[] RANGES = {"bytes=0-", "bytes=-1", "bytes=5-1", "bytes=999999999999999999999-",
        "bytes=0-0,1-1", "bytes=abc", "items=0-1", "bytes=-0", "bytes=0-99999999999999999999", "bytes= 1 - 2",
        "bytes=-9223372036854775808", "bytes=" + "0-1,".repeat(500)};

    private HostileValues() {
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
