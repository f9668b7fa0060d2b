package org.resumableupload.config;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a setting's text becomes a value, the same for every part that has settings (the core's limits,
 * a store's connection): sizes with K/M/G/T suffixes, durations with s/m/h/d units or ISO-8601. Every
 * refusal names the key, so an operator knows which setting to fix.
 */
public final class SettingValues {
    private SettingValues() {
    }

    /** A boolean: {@code true} or {@code false} (any case); {@code fallback} when unset. */
    public static boolean bool(Function<String, String> lookup, String key, boolean fallback) {
        String value = lookup.apply(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": not true or false: " + value);
        };
    }

    /** The value stripped, or {@code fallback} when unset or blank. */
    public static String text(Function<String, String> lookup, String key, String fallback) {
        String value = lookup.apply(key);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** {@code value}, which must be more than 0 (the key is named otherwise). */
    public static long positive(Function<String, String> lookup, String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + ": must be more than 0: " + lookup.apply(key));
        }
        return value;
    }

    /** {@code value}, which must be more than 0 (the key is named otherwise). */
    public static Duration positive(Function<String, String> lookup, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": must be more than 0: " + lookup.apply(key));
        }
        return value;
    }

    /** Sizes: a whole number of bytes, or with a suffix K, M, G, T (powers of 1024). */
    public static long size(Function<String, String> lookup, String key, long fallback) {
        String value = lookup.apply(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String text = value.strip().toUpperCase(Locale.ROOT);
        if (text.endsWith("B")) {
            text = text.substring(0, text.length() - 1);
        }
        int shift = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1).strip();
        try {
            long number = Long.parseLong(digits);
            if (number < 0 || number > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a size: " + value);
        }
    }

    /** Durations: a number with a unit s, m, h or d ("7d", "90s"), or ISO-8601 ("PT30S"). */
    public static Duration duration(Function<String, String> lookup, String key, Duration fallback) {
        String value = lookup.apply(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            long number = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(number);
                case 'm' -> Duration.ofMinutes(number);
                case 'h' -> Duration.ofHours(number);
                case 'd' -> Duration.ofDays(number);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": not a duration: " + value);
        }
    }
}
