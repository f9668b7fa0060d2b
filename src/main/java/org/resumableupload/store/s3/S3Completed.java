package org.resumableupload.store.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.RecordCodec;
import org.resumableupload.store.UploadId;

/**
 * The completed uploads in the bucket: a record per upload naming its object, an index per owner, and
 * the objects of replaced or deleted versions, which are deleted only after a grace period so that a
 * download already under way reads its version to the end.
 */
final class S3Completed {
    /** A completed upload's record and the key of its object. */
    record Found(CompletedRecord record, String key) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3Objects objects;
    private final S3Keys keys;

    S3Completed(S3Objects objects, S3Keys keys) {
        this.objects = objects;
        this.keys = keys;
    }

    Optional<Found> find(UploadId id) throws IOException {
        Optional<S3Objects.Versioned> object = objects.get(keys.completedRecord(id));
        if (object.isEmpty()) {
            return Optional.empty();
        }
        Properties props = RecordCodec.fromBytes(object.get().bytes());
        String key = props.getProperty("s3.key");
        if (key == null) {
            throw new IOException("completed record of " + id + " names no object");
        }
        return Optional.of(new Found(RecordCodec.decodeCompleted(id, props), key));
    }

    /** Records {@code record} as the completed upload, its bytes at {@code key}; an earlier version is retired. */
    void record(CompletedRecord record, String key) throws IOException {
        Optional<Found> earlier = find(record.id());
        Properties props = RecordCodec.encode(record);
        props.setProperty("s3.key", key);
        objects.put(keys.completedRecord(record.id()), RecordCodec.toBytes(props));
        // Not empty: Ceph RGW 16 refuses an empty PutObject from this client (400).
        objects.put(keys.ownerEntry(record.ownerTag(), record.id()), record.id().value().getBytes(StandardCharsets.US_ASCII));
        if (earlier.isPresent() && !earlier.get().key().equals(key)) {
            retire(earlier.get().key());
            if (!earlier.get().record().ownerTag().equals(record.ownerTag())) {
                objects.delete(keys.ownerEntry(earlier.get().record().ownerTag(), record.id()));
            }
        }
    }

    void delete(UploadId id) throws IOException {
        Optional<Found> found = find(id);
        if (found.isEmpty()) {
            return;
        }
        retire(found.get().key());
        objects.delete(keys.ownerEntry(found.get().record().ownerTag(), id));
        objects.delete(keys.completedRecord(id));
    }

    List<CompletedRecord> of(String ownerTag) throws IOException {
        List<CompletedRecord> records = new ArrayList<>();
        String index = keys.ownerIndex(ownerTag);
        for (String entry : objects.list(index)) {
            String id = entry.substring(index.length());
            if (UploadId.isValid(id)) {
                find(UploadId.of(id)).filter(found -> found.record().ownerTag().equals(ownerTag))
                        .ifPresent(found -> records.add(found.record()));
            }
        }
        records.sort(Comparator.comparing(CompletedRecord::completedAt).reversed());
        return records;
    }

    /** Deletes {@code key} later: a note under retired/ says when it was let go. */
    void retire(String key) throws IOException {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        objects.put(keys.retired() + String.format("%020d", System.currentTimeMillis()) + "-"
                + HexFormat.of().formatHex(random), key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes the objects retired before {@code before}, and their notes.
     *
     * @return how many objects were deleted
     */
    int purgeRetiredBefore(Instant before) throws IOException {
        int purged = 0;
        String retired = keys.retired();
        for (String note : objects.list(retired)) {
            String name = note.substring(retired.length());
            int dash = name.indexOf('-');
            long at;
            try {
                at = Long.parseLong(dash < 0 ? name : name.substring(0, dash));
            } catch (NumberFormatException foreign) {
                continue; // not ours: left alone
            }
            if (at >= before.toEpochMilli()) {
                break; // notes are listed oldest first
            }
            Optional<S3Objects.Versioned> target = objects.get(note);
            if (target.isPresent()) {
                objects.delete(new String(target.get().bytes(), StandardCharsets.UTF_8));
            }
            objects.delete(note);
            purged++;
        }
        return purged;
    }
}
