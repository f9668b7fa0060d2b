package org.resumableupload.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.store.UploadStoreFixture.T0;
import static org.resumableupload.store.UploadStoreFixture.bytes;
import static org.resumableupload.store.UploadStoreFixture.sha256;
import static org.resumableupload.store.UploadStoreFixture.trickyMetadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one encoding of records: every field both ways, other keys ignored, damage an IOException. */
class RecordCodecTest {
    private static final UploadId ID = UploadId.of("ab".repeat(32));
    private static final Instant T1 = Instant.parse("2026-03-04T05:06:07.123456789Z");
    private static final PartRecord PART = new PartRecord(ID, "owner ü=tag", "写真 #1.jpg", 4096, 1000, T0, T1,
            trickyMetadata(), "final;a b", "bc-native:AAECAw==");
    private static final CompletedRecord DONE = new CompletedRecord(ID, "owner ü=tag", "写真 #1.jpg", 4096,
            sha256(bytes("x")), T1, trickyMetadata(), "partial");

    private static PartRecord throughBytes(PartRecord record) throws IOException {
        return RecordCodec.decodePart(record.id(), RecordCodec.fromBytes(RecordCodec.toBytes(RecordCodec.encode(record))));
    }

    private static CompletedRecord throughBytes(CompletedRecord record) throws IOException {
        return RecordCodec.decodeCompleted(record.id(),
                RecordCodec.fromBytes(RecordCodec.toBytes(RecordCodec.encode(record))));
    }

    private static Properties with(Properties props, String key, String value) {
        Properties changed = new Properties();
        changed.putAll(props);
        if (value == null) {
            changed.remove(key);
        } else {
            changed.setProperty(key, value);
        }
        return changed;
    }

    @Test
    void aPartRecordWithEveryFieldRoundTrips() throws IOException {
        PartRecord decoded = throughBytes(PART);

        assertEquals(PART, decoded);
        assertEquals(trickyMetadata(), decoded.metadata());
        assertEquals("final;a b", decoded.concat());
        assertEquals("bc-native:AAECAw==", decoded.digestState());
        assertEquals(T1, decoded.updatedAt(), "to the nanosecond");
    }

    @Test
    void aPlainPartRecordRoundTripsWithoutOptionalKeys() throws IOException {
        PartRecord plain = PartRecord.start(ID, "o", "n", PartRecord.UNKNOWN_SIZE, T0);

        Properties props = RecordCodec.encode(plain);

        assertEquals(Set.of("format", "owner", "name", "declaredSize", "offset", "createdAt", "updatedAt"),
                props.stringPropertyNames());
        assertEquals("-1", props.getProperty("declaredSize"));
        assertEquals(plain, throughBytes(plain));
    }

    @Test
    void aPartRecordIsWrittenUnderTheDocumentedKeys() {
        Properties props = RecordCodec.encode(PART);

        assertEquals("1", props.getProperty("format"));
        assertEquals("owner ü=tag", props.getProperty("owner"));
        assertEquals("写真 #1.jpg", props.getProperty("name"));
        assertEquals("4096", props.getProperty("declaredSize"));
        assertEquals("1000", props.getProperty("offset"));
        assertEquals(T0.toString(), props.getProperty("createdAt"));
        assertEquals(T1.toString(), props.getProperty("updatedAt"));
        assertEquals("final;a b", props.getProperty("concat"));
        assertEquals("bc-native:AAECAw==", props.getProperty("sha256State"));
        assertTrue(props.containsKey("metadata"));
    }

    @Test
    void aCompletedRecordWithEveryFieldRoundTripsUnderTheDocumentedKeys() throws IOException {
        Properties props = RecordCodec.encode(DONE);

        assertEquals(Set.of("format", "owner", "name", "size", "sha256", "completedAt", "metadata", "concat"),
                props.stringPropertyNames());
        assertEquals(HexFormat.of().formatHex(sha256(bytes("x"))), props.getProperty("sha256"));
        assertEquals("4096", props.getProperty("size"));
        assertEquals(T1.toString(), props.getProperty("completedAt"));
        CompletedRecord decoded = throughBytes(DONE);
        assertEquals(DONE, decoded);
        assertArrayEquals(sha256(bytes("x")), decoded.sha256());
        assertEquals("partial", decoded.concat());
        CompletedRecord plain = new CompletedRecord(ID, "o", "n", 0, sha256(new byte[0]), T0);
        assertEquals(plain, throughBytes(plain));
    }

    @Test
    void metadataIsWrittenInTheShapeOfUploadMetadataInItsOrder() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("zeta", bytes("ü"));
        entries.put("alone", null);
        entries.put("empty", new byte[0]);
        entries.put("alpha", new byte[] {0, (byte) 0xff});
        PartRecord record = PART.withMetadata(Metadata.of(entries), null);

        String encoded = RecordCodec.encode(record).getProperty("metadata");

        assertEquals("zeta " + Base64.getEncoder().encodeToString(bytes("ü")) + ",alone,empty ,alpha AP8=", encoded);
    }

    @Test
    void aKeyAloneAndAKeyWithAnEmptyValueStayDifferent() throws IOException {
        PartRecord alone = PART.withMetadata(Metadata.of(Map.of("k", new byte[0])), null);
        Map<String, byte[]> keyOnly = new LinkedHashMap<>();
        keyOnly.put("k", null);
        PartRecord withoutValue = PART.withMetadata(Metadata.of(keyOnly), null);

        assertArrayEquals(new byte[0], throughBytes(alone).metadata().entries().get("k"));
        assertTrue(throughBytes(withoutValue).metadata().entries().containsKey("k"));
        assertNull(throughBytes(withoutValue).metadata().entries().get("k"));
    }

    @Test
    void unknownKeysAreIgnored() throws IOException {
        Properties part = RecordCodec.encode(PART);
        Properties completed = RecordCodec.encode(DONE);
        for (Properties props : new Properties[] {part, completed}) {
            props.setProperty("state", "part");
            props.setProperty("data", "00000000000000a1");
            props.setProperty("objectParts", "1:etag,2:etag");
            props.setProperty("some.future.key", "whatever \\ it = holds");
        }

        assertEquals(PART, RecordCodec.decodePart(ID, part));
        assertEquals(DONE, RecordCodec.decodeCompleted(ID, completed));
    }

    @Test
    void nonAsciiTextIsStoredAsUtf8AndEscapedTextReadsToo() throws IOException {
        byte[] stored = RecordCodec.toBytes(RecordCodec.encode(PART));

        assertTrue(new String(stored, StandardCharsets.UTF_8).contains("写真"), "readable UTF-8, not escapes");
        Properties escaped = RecordCodec.fromBytes(bytes("owner=o\nname=\\u5199\\u771f\n"));
        assertEquals("写真", escaped.getProperty("name"));
    }

    @Test
    void textThatIsNotPropertiesIsAnIOException() {
        assertThrows(IOException.class, () -> RecordCodec.fromBytes(bytes("name=\\uZZZZ\n")));
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"owner", "name", "declaredSize", "offset", "createdAt", "updatedAt"})
    void aPartRecordWithoutARequiredKeyIsAnIOException(String key) {
        Properties damaged = with(RecordCodec.encode(PART), key, null);

        assertThrows(IOException.class, () -> RecordCodec.decodePart(ID, damaged));
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"owner", "name", "size", "sha256", "completedAt"})
    void aCompletedRecordWithoutARequiredKeyIsAnIOException(String key) {
        Properties damaged = with(RecordCodec.encode(DONE), key, null);

        assertThrows(IOException.class, () -> RecordCodec.decodeCompleted(ID, damaged));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "offset|12a", "offset|", "declaredSize|1e3", "createdAt|yesterday", "updatedAt|2026-13-01T00:00:00Z",
        "metadata|key ***", "metadata|bad\u00e9key dg==", "metadata|,,", "metadata|a b c",
        "offset|-1", "declaredSize|-2"})
    void aPartRecordWithAMalformedValueIsAnIOException(String key, String value) {
        Properties damaged = with(RecordCodec.encode(PART), key, value == null ? "" : value);

        assertThrows(IOException.class, () -> RecordCodec.decodePart(ID, damaged));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "size|big", "size|-4", "sha256|zz", "sha256|abc", "sha256|abcd", "completedAt|now", "metadata|key ***"})
    void aCompletedRecordWithAMalformedValueIsAnIOException(String key, String value) {
        Properties damaged = with(RecordCodec.encode(DONE), key, value);

        assertThrows(IOException.class, () -> RecordCodec.decodeCompleted(ID, damaged));
    }
}
