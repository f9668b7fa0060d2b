package org.resumableupload.web.ietf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The file name of a {@code Content-Disposition} field (RFC 6266): {@code filename*} (RFC 8187,
 * UTF-8 only) wins over {@code filename}. Whatever it gives is sanitized by the core before use; a
 * field that cannot be read gives no name, never a refusal (the name is a hint).
 */
final class ContentDisposition {

    private ContentDisposition() {
    }

    static Optional<String> fileName(String field) {
        if (field == null) {
            return Optional.empty();
        }
        String plain = null;
        String extended = null;
        for (String parameter : parameters(field)) {
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                continue; // the disposition type
            }
            String name = parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            String value = parameter.substring(equals + 1).trim();
            if (name.equals("filename*")) {
                extended = extendedValue(value);
            } else if (name.equals("filename")) {
                plain = unquoted(value);
            }
        }
        return Optional.ofNullable(extended != null ? extended : plain).filter(name -> !name.isBlank());
    }

    // Splits at ';' outside quoted strings.
    private static List<String> parameters(String field) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '"' && (i == 0 || field.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static String unquoted(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return value;
    }

    /** {@code UTF-8''na%C3%AFve.txt} → {@code naïve.txt}; null for another charset or a bad escape. */
    private static String extendedValue(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0 || !value.substring(0, first).equalsIgnoreCase("UTF-8")) {
            return null;
        }
        String encoded = value.substring(second + 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c > ' ' && c < 127) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }
}
