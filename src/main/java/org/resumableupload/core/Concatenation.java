package org.resumableupload.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;

/**
 * Builds a final upload from complete partial uploads (tus concatenation): their bytes are copied, in
 * order, into a new upload, which completes with its own SHA-256; then the parts are deleted. The
 * parts' locks are held throughout, so none changes or goes away while it is read.
 */
final class Concatenation {
    private static final int COPY_BUFFER_BYTES = 1 << 20;

    private final Uploads uploads;
    private final UploadStore store;
    private final Locker locker;
    private final UploadSettings settings;

    Concatenation(Uploads uploads, UploadStore store, Locker locker, UploadSettings settings) {
        this.uploads = uploads;
        this.store = store;
        this.locker = locker;
        this.settings = settings;
    }

    Upload concatenate(Owner owner, List<UploadId> parts, CreateSpec spec) throws UploadException {
        if (parts.isEmpty()) {
            throw new UploadException(ErrorCode.PARTS_NOT_READY, "a concatenation needs at least one part");
        }
        long total = 0;
        for (UploadId part : parts) {
            Upload upload = uploads.find(owner, part).orElseThrow(() -> notReady("no such part: " + part));
            if (!upload.isPartial() || !upload.isComplete()) {
                throw notReady("part " + part + " is not a complete partial upload");
            }
            total += upload.offset();
        }
        if (total > settings.maxUploadSize()) {
            throw new UploadException(ErrorCode.TOO_LARGE);
        }
        List<Locker.Lock> locks = new ArrayList<>();
        try {
            for (UploadId part : parts.stream().distinct().sorted((a, b) -> a.value().compareTo(b.value())).toList()) {
                locks.add(locker.lock(part, () -> { }, Uploads.LOCK_WAIT)); // in id order: no deadlock
            }
            Upload done = copyInto(owner, parts, spec);
            for (UploadId part : parts) {
                store.deleteCompleted(part);
            }
            return done;
        } catch (IOException e) {
            throw uploads.storageError(e);
        } finally {
            locks.forEach(Locker.Lock::release);
        }
    }

    private Upload copyInto(Owner owner, List<UploadId> parts, CreateSpec spec) throws IOException, UploadException {
        UploadId id = UploadId.random();
        Instant now = uploads.now();
        StringBuilder concat = new StringBuilder(Upload.FINAL_PREFIX);
        parts.forEach(part -> concat.append(part.value()).append(' '));
        PartRecord record = new PartRecord(id, owner.tag(), spec.name(), PartRecord.UNKNOWN_SIZE, 0, now, now,
                spec.metadata(), concat.toString().strip(), null);
        RunningSha256 sha256 = RunningSha256.fresh();
        try (Appender appender = store.createPart(record)) {
            ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER_BYTES);
            for (UploadId part : parts) {
                try (CompletedContent content = store.openCompleted(part)) {
                    if (!content.record().ownerTag().equals(owner.tag())) {
                        throw notReady("no such part: " + part);
                    }
                    buffer.clear();
                    while (content.channel().read(buffer) >= 0 || buffer.position() > 0) {
                        buffer.flip();
                        sha256.update(buffer);
                        appender.write(buffer);
                        buffer.clear();
                    }
                }
            }
            long size = appender.position();
            appender.commit(record.withDeclaredSize(size).withOffset(size, sha256.state(), uploads.now()));
        }
        return Upload.of(store.complete(id, sha256.sha256(), uploads.now()));
    }

    private static UploadException notReady(String detail) {
        return new UploadException(ErrorCode.PARTS_NOT_READY, detail);
    }
}
