package org.resumableupload.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the store tests share: a fresh store before each test, a way to reopen it over the same
 * storage (a restart), and helpers that build parts and completions through the public contract only.
 * Subclasses say how to open a store; the contract tests ({@link UploadStoreContractTest},
 * {@link AppenderContractTest}, {@link CompletedUploadContractTest}) and store-specific tests extend it.
 */
public abstract class UploadStoreFixture {
    protected static final String ALICE = "alice-tag";
    protected static final String BOB = "bob-tag";
    protected static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    protected UploadStore store;

    /** A new, empty store. Called once before each test. */
    protected abstract UploadStore newStore() throws IOException;

    /**
     * Another instance over the same storage as the last {@link #newStore()}: what a restart sees (a
     * store that keeps nothing outside the process may answer itself).
     */
    protected abstract UploadStore reopenStore() throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newStore();
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    protected static PartRecord newPart(UploadId id, String owner, String name, long declaredSize) {
        return PartRecord.start(id, owner, name, declaredSize, T0);
    }

    /**
     * Metadata that an encoding could get wrong: a non-ASCII value, a value of every byte, a key alone,
     * an empty value, and keys out of alphabetical order.
     */
    protected static Metadata trickyMetadata() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("filename", bytes("Übersicht 写真, \"final\" = 1.pdf"));
        entries.put("binary", everyByte);
        entries.put("is_confidential", null);
        entries.put("empty", new byte[0]);
        entries.put("a~!#", bytes("x"));
        return Metadata.of(entries);
    }

    /** Creates {@code record}'s part empty and commits it, so that it is found. */
    protected PartRecord createEmpty(PartRecord record) throws IOException {
        try (Appender appender = store.createPart(record)) {
            return appender.commit(record);
        }
    }

    /** Creates a part and commits {@code content} to it. */
    protected PartRecord partWith(UploadId id, String owner, String name, String content) throws IOException {
        return partWith(newPart(id, owner, name, PartRecord.UNKNOWN_SIZE), content);
    }

    /** Creates the part {@code record} and commits {@code content} to it, at T0 plus one second. */
    protected PartRecord partWith(PartRecord record, String content) throws IOException {
        try (Appender appender = store.createPart(record)) {
            appender.write(ByteBuffer.wrap(bytes(content)));
            return appender.commit(record.withOffset(appender.position(), T0.plusSeconds(1)));
        }
    }

    /** Creates a part, commits {@code content} to it and completes it at {@code completedAt}. */
    protected CompletedRecord completedWith(UploadId id, String owner, String name, String content,
                                            Instant completedAt) throws IOException {
        partWith(id, owner, name, content);
        return store.complete(id, sha256(bytes(content)), completedAt);
    }

    /** Commits everything the appender has written, keeping the rest of its record. */
    protected static PartRecord commitAll(Appender appender) throws IOException {
        return appender.commit(appender.committed().withOffset(appender.position(), T0.plusSeconds(2)));
    }

    /**
     * Writes {@code text} after the part's committed bytes without committing it: what a crash between
     * a write reaching the medium and its commit leaves behind.
     */
    protected void writeWithoutCommit(UploadId id, String text) throws IOException {
        Appender appender = store.openAppender(id);
        appender.write(ByteBuffer.wrap(bytes(text)));
        appender.close();
    }

    protected static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    protected static byte[] readAll(CompletedContent content) throws IOException {
        return readAll(content.channel());
    }

    protected static byte[] readAll(SeekableByteChannel channel) throws IOException {
        try (channel) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(7); // small on purpose: several reads
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                out.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }
}
