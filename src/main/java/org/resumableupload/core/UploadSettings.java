package org.resumableupload.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The limits and timings of the upload core, each configurable. {@link #from} reads them by key from
 * whatever source the front end gives (the web layer chains system properties, environment variables
 * and context init-params).
 *
 * @param storageDir      where the store keeps its files ({@code upload.dir})
 * @param maxUploadSize   largest upload in bytes ({@code upload.maxSize}), 413 above it
 * @param maxIdLength     longest client file id in characters of the header value as sent, after any
 *                        percent-encoding ({@code upload.maxIdLength}), 400 above it
 * @param diskReserve     free bytes that must remain after a request ({@code upload.diskReserve}), 507 otherwise
 * @param expireAfter     incomplete uploads untouched this long are deleted ({@code upload.expireAfter})
 * @param sweepInterval   how often expiry and idle checks run ({@code upload.sweepInterval})
 * @param idleTimeout     a request that sends no byte this long is stopped, keeping what it stored
 *                        ({@code upload.idleTimeout})
 * @param checkpointBytes during a long request, the offset is recorded once the store has made this
 *                        many more bytes durable in the background ({@code upload.checkpointBytes})
 * @param maxMetadataBytes most bytes of metadata (keys and values) an upload may be created with
 *                        ({@code upload.maxMetadataBytes})
 */
public record UploadSettings(Path storageDir, long maxUploadSize, int maxIdLength, long diskReserve,
                             Duration expireAfter, Duration sweepInterval, Duration idleTimeout,
                             long checkpointBytes, int maxMetadataBytes) {

    public static final String DIR = "upload.dir";
    public static final String MAX_SIZE = "upload.maxSize";
    public static final String MAX_ID_LENGTH = "upload.maxIdLength";
    public static final String DISK_RESERVE = "upload.diskReserve";
    public static final String EXPIRE_AFTER = "upload.expireAfter";
    public static final String SWEEP_INTERVAL = "upload.sweepInterval";
    public static final String IDLE_TIMEOUT = "upload.idleTimeout";
    public static final String CHECKPOINT_BYTES = "upload.checkpointBytes";
    public static final String MAX_METADATA_BYTES = "upload.maxMetadataBytes";

    public UploadSettings {
        if (maxUploadSize <= 0 || maxIdLength <= 0 || diskReserve < 0 || checkpointBytes <= 0
                || maxMetadataBytes <= 0) {
            throw new IllegalArgumentException("upload limits must be positive");
        }
        if (expireAfter.isNegative() || expireAfter.isZero() || sweepInterval.isNegative()
                || sweepInterval.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("upload durations must be positive");
        }
    }

    /** The default storage directory: {@code resumable-upload} in the user's home directory. */
    public static Path defaultStorageDir() {
        return Path.of(System.getProperty("user.home"), "resumable-upload");
    }

    /**
     * Reads every setting by key from {@code lookup} (which answers null for unset keys), with the
     * documented defaults.
     *
     * @throws IllegalArgumentException naming the key whose value cannot be read
     */
    public static UploadSettings from(Function<String, String> lookup) {
        String dir = lookup.apply(DIR);
        return new UploadSettings(
                dir == null || dir.isBlank() ? defaultStorageDir() : Path.of(dir.strip()),
                positive(lookup, MAX_SIZE, size(lookup, MAX_SIZE, 64L << 30)),
                (int) Math.min(Integer.MAX_VALUE, positive(lookup, MAX_ID_LENGTH, size(lookup, MAX_ID_LENGTH, 4096))),
                size(lookup, DISK_RESERVE, 1L << 30),
                positive(lookup, EXPIRE_AFTER, duration(lookup, EXPIRE_AFTER, Duration.ofDays(7))),
                positive(lookup, SWEEP_INTERVAL, duration(lookup, SWEEP_INTERVAL, Duration.ofMinutes(1))),
                positive(lookup, IDLE_TIMEOUT, duration(lookup, IDLE_TIMEOUT, Duration.ofSeconds(60))),
                positive(lookup, CHECKPOINT_BYTES, size(lookup, CHECKPOINT_BYTES, 64L << 20)),
                (int) Math.min(Integer.MAX_VALUE, positive(lookup, MAX_METADATA_BYTES,
                        size(lookup, MAX_METADATA_BYTES, 4096))));
    }

    // The record refuses these too, but only here is the key known to tell the operator which one.
    private static long positive(Function<String, String> lookup, String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + ": must be more than 0: " + lookup.apply(key));
        }
        return value;
    }

    private static Duration positive(Function<String, String> lookup, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": must be more than 0: " + lookup.apply(key));
        }
        return value;
    }

    /** Sizes: a whole number of bytes, or with a suffix K, M, G, T (powers of 1024). */
    static long size(Function<String, String> lookup, String key, long fallback) {
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
    static Duration duration(Function<String, String> lookup, String key, Duration fallback) {
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
