package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.memory.MemoryUploadStore;

/**
 * What the tests of the core share: two owners, a clock moved by hand, {@link Uploads} over a
 * {@link MemoryUploadStore} (a test may put another store in {@link #store} and rebuild {@link #uploads}),
 * and helpers that make requests the way front ends do: begin an append, write the body, finish it
 * (or abort it when cut).
 */
abstract class CoreTestSupport {
    static final Owner ALICE = Owner.token("alice-token");
    static final Owner BOB = Owner.token("bob-token");
    static final long UNKNOWN = AppendSpec.UNKNOWN;
    static final long MAX_SIZE = 1 << 20;
    static final int MAX_METADATA_BYTES = 256;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** What stopped sessions were told (their {@code onStopped}), in order. */
    final List<UploadException> stops = new CopyOnWriteArrayList<>();
    UploadStore store = new MemoryUploadStore();
    Uploads uploads = uploadsWith(settings -> { });

    /** Settings and collaborators the tests vary; everything else is generous. */
    static final class Settings {
        long maxSize = MAX_SIZE;
        long diskReserve = 0;
        Duration expireAfter = Duration.ofDays(7);
        Duration idleTimeout = Duration.ofHours(1);
        long checkpointBytes = 64L << 20;
        int maxMetadataBytes = MAX_METADATA_BYTES;
        FreeSpace freeSpace = FreeSpace.UNLIMITED;
        Locker locker = new MemoryLocker();

        UploadSettings build() {
            return new UploadSettings(Path.of("not-used-by-the-core"), maxSize, 64, diskReserve, expireAfter,
                    Duration.ofMinutes(1), idleTimeout, checkpointBytes, maxMetadataBytes);
        }
    }

    /** Uploads over {@link #store} with settings changed by {@code change}. */
    Uploads uploadsWith(Consumer<Settings> change) {
        return uploadsOver(store, change);
    }

    Uploads uploadsOver(UploadStore on, Consumer<Settings> change) {
        Settings settings = new Settings();
        change.accept(settings);
        return new Uploads(on, settings.locker, settings.build(), clock, settings.freeSpace);
    }

    // ---- what requests say -------------------------------------------------------------------------

    static CreateSpec sized(long length) {
        return new CreateSpec(length, "file.bin", Metadata.EMPTY, false);
    }

    static CreateSpec deferred() {
        return sized(UNKNOWN);
    }

    /** An append that may be followed by more (tus PATCH): completes only at the declared length. */
    static AppendSpec at(long offset, long contentLength) {
        return new AppendSpec(offset, contentLength, UNKNOWN, AppendSpec.Ending.OPEN, null);
    }

    /** An append that is the rest of the upload (IETF {@code Upload-Complete: ?1}). */
    static AppendSpec last(long offset, long contentLength) {
        return new AppendSpec(offset, contentLength, UNKNOWN, AppendSpec.Ending.LAST, null);
    }

    /** An article POST: the rest of the upload unless a size was declared. */
    static AppendSpec article(long offset, long declaredLength, long contentLength) {
        return new AppendSpec(offset, contentLength, declaredLength, AppendSpec.Ending.LAST_UNLESS_SIZED, null);
    }

    static AppendSpec declaring(long length, AppendSpec spec) {
        return new AppendSpec(spec.offset(), spec.contentLength(), length, spec.ending(), spec.checksum());
    }

    static AppendSpec withSha256(AppendSpec spec, byte[] expected) {
        try {
            return new AppendSpec(spec.offset(), spec.contentLength(), spec.declaredLength(), spec.ending(),
                    BodyChecksum.of("sha256", expected));
        } catch (UploadException e) {
            throw new AssertionError(e);
        }
    }

    // ---- requests ----------------------------------------------------------------------------------

    WriteSession begin(Owner owner, UploadId id, AppendSpec spec) throws UploadException {
        return uploads.append(owner, id, spec, stops::add);
    }

    /** A whole request of Alice's: begin, the body, finish. */
    WriteOutcome send(UploadId id, AppendSpec spec, String body) throws UploadException {
        return send(uploads, ALICE, id, spec, body);
    }

    WriteOutcome send(Uploads on, Owner owner, UploadId id, AppendSpec spec, String body) throws UploadException {
        WriteSession session = on.append(owner, id, spec, stops::add);
        write(session, body);
        return session.finish();
    }

    /** A request of Alice's whose body is cut after {@code body}: what arrived is kept. */
    long sendCut(UploadId id, AppendSpec spec, String body) throws UploadException {
        return sendCut(uploads, ALICE, id, spec, body);
    }

    long sendCut(Uploads on, Owner owner, UploadId id, AppendSpec spec, String body) throws UploadException {
        WriteSession session = on.append(owner, id, spec, stops::add);
        write(session, body);
        return session.abort();
    }

    /** Alice's new upload of {@code length} (or deferred) holding {@code committed}. */
    UploadId uploadHolding(long length, String committed) throws UploadException {
        UploadId id = uploads.create(ALICE, sized(length)).id();
        if (!committed.isEmpty()) {
            sendCut(id, at(0, UNKNOWN), committed);
        }
        return id;
    }

    static void write(WriteSession session, String text) throws UploadException {
        byte[] data = bytes(text);
        session.write(data, 0, data.length);
    }

    // ---- what is stored ----------------------------------------------------------------------------

    long offsetOf(UploadId id) throws UploadException {
        return uploads.get(ALICE, id).offset();
    }

    byte[] partBytes(UploadId id) throws IOException {
        try (InputStream in = store.readPart(id)) {
            return in.readAllBytes();
        }
    }

    byte[] completedBytes(UploadId id) throws IOException, UploadException {
        return readAll(uploads.completed().open(ALICE, id));
    }

    static byte[] readAll(CompletedContent content) throws IOException {
        try (content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (content.channel().read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] sha256(String text) {
        return sha256(bytes(text));
    }

    // ---- refusals ----------------------------------------------------------------------------------

    /** Asserts that {@code action} is refused with {@code code}, carrying the stored offset {@code offset}. */
    static UploadException refused(ErrorCode code, long offset, ThrowingRunnable action) {
        UploadException e = refused(code, action);
        assertEquals(OptionalLong.of(offset), e.storedOffset(), "offset carried by the refusal");
        return e;
    }

    static UploadException refused(ErrorCode code, ThrowingRunnable action) {
        UploadException e = assertThrows(UploadException.class, action::run);
        assertEquals(code, e.code(), "refusal code");
        return e;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
