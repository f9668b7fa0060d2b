package org.resumableupload.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What a store shows of one upload id, reduced to what a power cut must keep: the part (record fields
 * and the SHA-256 of its committed bytes) and the completed upload (record and the SHA-256 of its
 * bytes). Either may be null. Two views are equal when a client could not tell them apart.
 *
 * @param part the incomplete upload, or null
 * @param done the completed upload, or null
 */
record StoredView(Part part, Done done) {
    static final StoredView NOTHING = new StoredView(null, null);

    /** @param bytesSha256 SHA-256 of the first {@code offset} bytes */
    record Part(String ownerTag, String name, long declaredSize, long offset, String bytesSha256) {
        static Part of(PartRecord record, byte[] sent) {
            return new Part(record.ownerTag(), record.name(), record.declaredSize(), record.offset(),
                    sha256Hex(Arrays.copyOf(sent, (int) record.offset())));
        }
    }

    /** @param recordSha256 the digest the record holds; {@code bytesSha256} the digest of the bytes served */
    record Done(String ownerTag, String name, long size, String recordSha256, String bytesSha256) {
    }

    StoredView withPart(Part newPart) {
        return new StoredView(newPart, done);
    }

    /** What {@code store} shows of {@code id} now. Finishes an interrupted completion, as any reader does. */
    static StoredView of(UploadStore store, UploadId id) throws IOException {
        Optional<PartRecord> record = store.findPart(id);
        Part part = null;
        if (record.isPresent()) {
            byte[] bytes;
            try (InputStream in = store.readPart(id)) {
                bytes = in.readAllBytes();
            }
            if (bytes.length != record.get().offset()) {
                throw new AssertionError("upload " + id + ": the record says " + record.get().offset()
                        + " bytes, readPart gives " + bytes.length);
            }
            part = Part.of(record.get(), bytes);
        }
        Optional<CompletedRecord> completed = store.findCompleted(id);
        Done done = null;
        if (completed.isPresent()) {
            CompletedRecord c = completed.get();
            byte[] bytes;
            try (CompletedContent content = store.openCompleted(id)) {
                bytes = readAll(content.channel());
            }
            done = new Done(c.ownerTag(), c.name(), c.size(), HexFormat.of().formatHex(c.sha256()), sha256Hex(bytes));
        }
        return new StoredView(part, done);
    }

    private static byte[] readAll(SeekableByteChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
