package org.resumableupload.core;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/** Turns what a client calls its file into a name that is safe on any disk and in a download header. */
public final class FileNames {
    static final String FALLBACK = "upload";
    private static final int MAX_UTF8_BYTES = 200;

    private FileNames() {
    }

    /**
     * Keeps letters, digits, spaces and {@code . - _ ( ) + , @}; replaces anything else (path
     * separators, control and shell characters) with '_'; drops leading dots and spaces so the name is
     * never hidden, "." or ".."; keeps it under 200 UTF-8 bytes with its extension.
     */
    public static String sanitize(String raw) {
        StringBuilder clean = new StringBuilder();
        // NFC first: macOS sends "é" as e + combining accent, which would otherwise become "e_".
        Normalizer.normalize(raw, Normalizer.Form.NFC).codePoints().forEach(cp -> {
            boolean allowed = Character.isLetterOrDigit(cp) || cp == ' ' || ".-_()+,@".indexOf(cp) >= 0;
            clean.appendCodePoint(allowed ? cp : '_');
        });
        String name = clean.toString().strip();
        int start = 0;
        while (start < name.length() && (name.charAt(start) == '.' || name.charAt(start) == ' ')) {
            start++;
        }
        name = name.substring(start);
        name = truncateKeepingExtension(name);
        return name.isEmpty() ? FALLBACK : name;
    }

    private static String truncateKeepingExtension(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_UTF8_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        String base = name.substring(0, name.length() - extension.length());
        int budget = MAX_UTF8_BYTES - extension.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < base.length(); ) {
            int cp = base.codePointAt(i);
            int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + bytes > budget) {
                break;
            }
            kept.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        return kept.toString().strip() + extension;
    }
}
