package org.resumableupload.store.disk;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Names for the successive data files of one part and the successive versions of one completed
 * upload: 16 random hex digits, so a new one never collides with an old one still open.
 */
final class Generations {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{16}");

    private final SecureRandom random = new SecureRandom();

    String next() {
        byte[] bits = new byte[8];
        random.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    static boolean isValid(String value) {
        return FORM.matcher(value).matches();
    }
}
