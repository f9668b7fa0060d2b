package org.resumableupload.store.s3;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.RecordCodec;
import org.resumableupload.store.UploadId;

/**
 * Everything S3 holds of one incomplete upload, in its record object: the contract's record and where
 * its bytes are. The committed offset is always the S3 parts' sizes plus the tail's: the parts of the
 * multipart upload hold the start, the tail object the rest (less than a part).
 *
 * @param record       the contract's record
 * @param generation   random per created part (a start-over gets a new one), naming its objects
 * @param completedKey where the completed object of this generation goes (the multipart upload's key)
 * @param multipartId  the S3 multipart upload, null until the first full part is sent
 * @param parts        the parts the offset counts, in order
 * @param tailSize     bytes in the tail object after the parts (0: no tail object)
 * @param completing   non-null once a completion began: the SHA-256 and time it completes with
 */
record S3PartState(PartRecord record, String generation, String completedKey, String multipartId,
                   List<Part> parts, long tailSize, Completing completing) {

    /** One S3 part: its number, the ETag S3 gave it, its size. */
    record Part(int number, String etag, long size) {
    }

    /** A completion under way: what it records when it ends. */
    record Completing(byte[] sha256, Instant completedAt) {
    }

    S3PartState {
        parts = List.copyOf(parts);
    }

    long partsSize() {
        long size = 0;
        for (Part part : parts) {
            size += part.size();
        }
        return size;
    }

    S3PartState with(PartRecord next, String multipart, List<Part> nextParts, long nextTail) {
        return new S3PartState(next, generation, completedKey, multipart, nextParts, nextTail, completing);
    }

    S3PartState completing(byte[] sha256, Instant completedAt) {
        return new S3PartState(record, generation, completedKey, multipartId, parts, tailSize,
                new Completing(sha256, completedAt));
    }

    byte[] encode() {
        Properties props = RecordCodec.encode(record);
        props.setProperty("s3.generation", generation);
        props.setProperty("s3.completedKey", completedKey);
        if (multipartId != null) {
            props.setProperty("s3.multipartId", multipartId);
        }
        StringBuilder list = new StringBuilder();
        for (Part part : parts) {
            list.append(list.isEmpty() ? "" : ",").append(part.number()).append(':').append(part.etag())
                    .append(':').append(part.size());
        }
        props.setProperty("s3.parts", list.toString());
        props.setProperty("s3.tailSize", Long.toString(tailSize));
        if (completing != null) {
            props.setProperty("s3.completingSha256", HexFormat.of().formatHex(completing.sha256()));
            props.setProperty("s3.completedAt", completing.completedAt().toString());
        }
        return RecordCodec.toBytes(props);
    }

    static S3PartState decode(UploadId id, byte[] bytes) throws IOException {
        Properties props = RecordCodec.fromBytes(bytes);
        PartRecord record = RecordCodec.decodePart(id, props);
        try {
            List<Part> parts = new ArrayList<>();
            String list = props.getProperty("s3.parts", "");
            for (String entry : list.isEmpty() ? new String[0] : list.split(",")) {
                String[] fields = entry.split(":");
                parts.add(new Part(Integer.parseInt(fields[0]), fields[1], Long.parseLong(fields[2])));
            }
            String sha = props.getProperty("s3.completingSha256");
            Completing completing = sha == null ? null
                    : new Completing(HexFormat.of().parseHex(sha), Instant.parse(props.getProperty("s3.completedAt")));
            S3PartState state = new S3PartState(record, required(props, "s3.generation"),
                    required(props, "s3.completedKey"), props.getProperty("s3.multipartId"), parts,
                    Long.parseLong(props.getProperty("s3.tailSize", "0")), completing);
            if (state.partsSize() + state.tailSize() != record.offset()) {
                throw new IOException("record of " + id + " does not add up: parts and tail are not its offset");
            }
            return state;
        } catch (RuntimeException e) {
            throw new IOException("unreadable S3 record of " + id + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties props, String key) throws IOException {
        String value = props.getProperty(key);
        if (value == null) {
            throw new IOException("S3 record lacks " + key);
        }
        return value;
    }
}
