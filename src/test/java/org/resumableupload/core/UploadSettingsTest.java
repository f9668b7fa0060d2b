package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UploadSettingsTest {

    private static UploadSettings from(Map<String, String> values) {
        return UploadSettings.from(values::get);
    }

    private static UploadSettings with(String key, String value) {
        return from(Map.of(key, value));
    }

    @Test
    void everySettingHasItsDocumentedDefault() {
        UploadSettings settings = from(Map.of());

        assertEquals(Path.of(System.getProperty("user.home"), "resumable-upload"), settings.storageDir());
        assertEquals(UploadSettings.defaultStorageDir(), settings.storageDir());
        assertEquals(64L << 30, settings.maxUploadSize());
        assertEquals(4096, settings.maxIdLength());
        assertEquals(1L << 30, settings.diskReserve());
        assertEquals(Duration.ofDays(7), settings.expireAfter());
        assertEquals(Duration.ofMinutes(1), settings.sweepInterval());
        assertEquals(Duration.ofSeconds(60), settings.idleTimeout());
        assertEquals(64L << 20, settings.checkpointBytes());
        assertEquals(4096, settings.maxMetadataBytes());
    }

    @Test
    void maxMetadataBytesTakesSizeSuffixesAndMustBePositive() {
        assertEquals(8192, with(UploadSettings.MAX_METADATA_BYTES, "8K").maxMetadataBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> with(UploadSettings.MAX_METADATA_BYTES, "0"));
        assertTrue(e.getMessage().contains(UploadSettings.MAX_METADATA_BYTES), e.getMessage());
    }

    @Test
    void blankValuesMeanTheDefault() {
        UploadSettings settings = from(Map.of(UploadSettings.DIR, "  ", UploadSettings.MAX_SIZE, "",
                UploadSettings.IDLE_TIMEOUT, " "));

        assertEquals(UploadSettings.defaultStorageDir(), settings.storageDir());
        assertEquals(64L << 30, settings.maxUploadSize());
        assertEquals(Duration.ofSeconds(60), settings.idleTimeout());
    }

    @Test
    void everyKeyIsReadUnderItsDocumentedName() {
        UploadSettings settings = from(Map.of(
                "upload.dir", " /srv/uploads ",
                "upload.maxSize", "2G",
                "upload.maxIdLength", "300",
                "upload.diskReserve", "0",
                "upload.expireAfter", "2d",
                "upload.sweepInterval", "30s",
                "upload.idleTimeout", "5m",
                "upload.checkpointBytes", "1M"));

        assertEquals(Path.of("/srv/uploads"), settings.storageDir());
        assertEquals(2L << 30, settings.maxUploadSize());
        assertEquals(300, settings.maxIdLength());
        assertEquals(0, settings.diskReserve());
        assertEquals(Duration.ofDays(2), settings.expireAfter());
        assertEquals(Duration.ofSeconds(30), settings.sweepInterval());
        assertEquals(Duration.ofMinutes(5), settings.idleTimeout());
        assertEquals(1L << 20, settings.checkpointBytes());
    }

    @ParameterizedTest
    @CsvSource({
            "512, 512",
            "10K, 10240",
            "10k, 10240",
            "10KB, 10240",
            "3M, 3145728",
            "64G, 68719476736",
            "2T, 2199023255552",
            "' 7 K ', 7168",
            "0, 0"
    })
    void sizesTakeKMGTSuffixesInPowersOf1024(String value, long bytes) {
        assertEquals(bytes, with(UploadSettings.DISK_RESERVE, value).diskReserve());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "1.5G", "K", "B", "10X", "1 000", "8388608T", "99999999999999999999"})
    void aBadSizeNamesItsKey(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> with(UploadSettings.MAX_SIZE, value));

        assertTrue(e.getMessage().contains("upload.maxSize"), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "7d, PT168H",
            "90s, PT1M30S",
            "5m, PT5M",
            "2h, PT2H",
            "PT30S, PT30S",
            "pt30s, PT30S",
            "' 45S ', PT45S",
            "P1D, PT24H"
    })
    void durationsTakeAUnitOrIso8601(String value, Duration expected) {
        assertEquals(expected, with(UploadSettings.EXPIRE_AFTER, value).expireAfter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5x", "d", "abc", "1h30m", "P", "PTxS", "1.5h"})
    void aBadDurationNamesItsKey(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> with(UploadSettings.IDLE_TIMEOUT, value));

        assertTrue(e.getMessage().contains("upload.idleTimeout"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "upload.maxSize, 0",
            "upload.maxIdLength, 0",
            "upload.checkpointBytes, 0",
            "upload.expireAfter, 0s",
            "upload.sweepInterval, PT0S",
            "upload.idleTimeout, -5s",
            "upload.expireAfter, PT-1S"
    })
    void aValueThatMustBePositiveButIsNotNamesItsKey(String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with(key, value));

        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void maxIdLengthTakesSizeSuffixesAndIsCappedAtTheLargestInt() {
        assertEquals(1024, with(UploadSettings.MAX_ID_LENGTH, "1K").maxIdLength());
        assertEquals(Integer.MAX_VALUE, with(UploadSettings.MAX_ID_LENGTH, "1T").maxIdLength());
    }

    @Test
    void theRecordRefusesNonPositiveLimitsAndDurations() {
        Path dir = Path.of("x");
        Duration day = Duration.ofDays(1);
        assertThrows(IllegalArgumentException.class,
                () -> new UploadSettings(dir, 0, 1, 0, day, day, day, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new UploadSettings(dir, 1, 1, -1, day, day, day, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new UploadSettings(dir, 1, 1, 0, day, day, Duration.ZERO, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new UploadSettings(dir, 1, 1, 0, day, day, day, 1, 0));
    }
}
