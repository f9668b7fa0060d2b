package org.resumableupload.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import org.resumableupload.config.SettingValues;

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

    private static long positive(Function<String, String> lookup, String key, long value) {
        return SettingValues.positive(lookup, key, value);
    }

    private static Duration positive(Function<String, String> lookup, String key, Duration value) {
        return SettingValues.positive(lookup, key, value);
    }

    private static long size(Function<String, String> lookup, String key, long fallback) {
        return SettingValues.size(lookup, key, fallback);
    }

    private static Duration duration(Function<String, String> lookup, String key, Duration fallback) {
        return SettingValues.duration(lookup, key, fallback);
    }
}
