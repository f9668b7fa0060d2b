package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.FaultInjectingUploadStore;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.disk.DiskUploadStore;

/** The registry over a real {@link DiskUploadStore} in a temporary directory. */
class UploadRegistryTest {
    private static final long ABSENT = AppendRequest.ABSENT;
    private static final Duration LONG = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Owner alice = Owner.token("alice-token");
    private final Owner bob = Owner.token("bob-token");
    private final List<UploadException> stops = new CopyOnWriteArrayList<>();
    private DiskUploadStore store;
    private UploadRegistry registry;

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Settings the tests vary; everything else is generous. */
    private final class Settings {
        long maxSize = 1 << 20;
        int maxIdLength = 64;
        long diskReserve = 0;
        Duration expireAfter = Duration.ofDays(7);
        Duration idleTimeout = LONG;
        long checkpointBytes = 64 << 20;

        UploadSettings build() {
            return new UploadSettings(dir, maxSize, maxIdLength, diskReserve, expireAfter, Duration.ofMinutes(1),
                    idleTimeout, checkpointBytes);
        }
    }

    @BeforeEach
    void open() throws IOException {
        store = new DiskUploadStore(dir, clock);
        registry = new UploadRegistry(store, new Settings().build(), clock);
    }

    private UploadRegistry registryWith(Consumer<Settings> change) {
        return new UploadRegistry(store, settingsWith(change), clock);
    }

    private UploadRegistry registryWith(Consumer<Settings> change, Executor forces) {
        return new UploadRegistry(store, settingsWith(change), clock, forces);
    }

    private UploadSettings settingsWith(Consumer<Settings> change) {
        Settings settings = new Settings();
        change.accept(settings);
        return settings.build();
    }


    // ---- helpers -------------------------------------------------------------------------------

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static AppendRequest startOver(long declaredSize, long contentLength) {
        return new AppendRequest(ABSENT, declaredSize, contentLength, "file.bin", null);
    }

    private static AppendRequest resumeAt(long startByte, long declaredSize, long contentLength) {
        return new AppendRequest(startByte, declaredSize, contentLength, "file.bin", null);
    }

    private static AppendRequest withDigest(AppendRequest request, byte[] chunkSha256) {
        return new AppendRequest(request.startByte(), request.declaredSize(), request.contentLength(),
                request.name(), chunkSha256);
    }

    private static void write(WriteSession session, String text) throws UploadException {
        byte[] data = bytes(text);
        session.write(data, 0, data.length);
    }

    /** A whole request: begin, the body, finish. */
    private WriteOutcome send(UploadRegistry on, Owner owner, UploadId id, AppendRequest request, String body)
            throws UploadException {
        WriteSession session = on.begin(owner, id, request, stops::add);
        write(session, body);
        return session.finish();
    }

    /** A request whose body is cut after {@code body}: what arrived is kept. */
    private void sendCut(UploadRegistry on, Owner owner, UploadId id, AppendRequest request, String body)
            throws UploadException {
        WriteSession session = on.begin(owner, id, request, stops::add);
        write(session, body);
        session.abort();
    }

    private byte[] partBytes(UploadId id) throws IOException {
        try (var in = store.readPart(id)) {
            return in.readAllBytes();
        }
    }

    private static byte[] readAll(CompletedContent content) throws IOException {
        return readAll(content.channel());
    }

    private static byte[] readAll(SeekableByteChannel channel) throws IOException {
        try (channel) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }

    private static UploadException refused(ErrorCode code, long offset, ThrowingRunnable action) {
        UploadException e = assertThrows(UploadException.class, action::run);
        assertEquals(code, e.code(), "refusal code");
        assertEquals(OptionalLong.of(offset), e.storedOffset(), "offset carried by the refusal");
        return e;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- idFor ---------------------------------------------------------------------------------

    @Test
    void idForIsStablePerOwnerAndDiffersBetweenOwners() throws UploadException {
        UploadId first = registry.idFor(alice, "file-1-2");

        assertEquals(first, registry.idFor(alice, "file-1-2"));
        assertNotEquals(first, registry.idFor(bob, "file-1-2"));
        assertNotEquals(first, registry.idFor(alice, "file-1-3"));
        assertTrue(UploadId.isValid(first.value()));
    }

    @Test
    void idForRejectsAMissingOrEmptyId() {
        assertEquals(ErrorCode.MISSING_FILE_ID,
                assertThrows(UploadException.class, () -> registry.idFor(alice, "")).code());
        assertEquals(ErrorCode.MISSING_FILE_ID,
                assertThrows(UploadException.class, () -> registry.idFor(alice, null)).code());
        assertEquals(400, ErrorCode.MISSING_FILE_ID.httpStatus());
    }

    @Test
    void idForRejectsAnIdLongerThanTheLimitAndAcceptsOneAtIt() throws UploadException {
        UploadException e = assertThrows(UploadException.class, () -> registry.idFor(alice, "x".repeat(65)));

        assertEquals(ErrorCode.FILE_ID_TOO_LONG, e.code());
        assertEquals(400, e.code().httpStatus());
        assertTrue(UploadId.isValid(registry.idFor(alice, "x".repeat(64)).value()));
    }

    // ---- storedOffset --------------------------------------------------------------------------

    @Test
    void storedOffsetIsZeroForAnUnknownUpload() throws UploadException {
        assertEquals(0, registry.storedOffset(alice, registry.idFor(alice, "never-seen")));
    }

    // ---- start over and resume -----------------------------------------------------------------

    @Test
    void startOverStoresTheBodyFromByteZero() throws Exception {
        UploadId id = registry.idFor(alice, "f");

        WriteOutcome outcome = send(registry, alice, id, startOver(10, 5), "hello");

        assertEquals(5, outcome.offset());
        assertFalse(outcome.isComplete());
        assertEquals(5, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void startOverThrowsAwayWhatWasStoredBefore() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(ABSENT, ABSENT), "old old old");
        send(registry, alice, id, startOver(20, 3), "new");

        assertEquals(3, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("new"), partBytes(id));
    }

    @Test
    void startByteZeroAlsoStartsOver() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(20, 3), "old");

        send(registry, alice, id, resumeAt(0, 20, 2), "ab");

        assertArrayEquals(bytes("ab"), partBytes(id));
    }

    @Test
    void resumeAppendsAtTheStoredOffsetAndCompletesAtTheDeclaredSize() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");

        WriteOutcome outcome = send(registry, alice, id, resumeAt(5, 10, 5), "world");

        assertTrue(outcome.isComplete());
        assertEquals(10, outcome.offset());
        CompletedRecord done = outcome.completed().orElseThrow();
        assertEquals(10, done.size());
        assertArrayEquals(sha256(bytes("helloworld")), done.sha256());
        assertArrayEquals(bytes("helloworld"), readAll(registry.openCompleted(alice, id)));
        assertEquals(10, registry.storedOffset(alice, id));
        assertEquals(Optional.empty(), store.findPart(id));
    }

    @Test
    void resumeWithoutRepeatingTheSizeKeepsTheDeclaredOne() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(6, 3), "abc");

        WriteOutcome outcome = send(registry, alice, id, resumeAt(3, ABSENT, 3), "def");

        assertTrue(outcome.isComplete());
        assertEquals(6, outcome.completed().orElseThrow().size());
    }

    @Test
    void staleOffsetGets409WithTheStoredOffsetAndChangesNothing() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");

        UploadException behind = refused(ErrorCode.OFFSET_MISMATCH, 5,
                () -> registry.begin(alice, id, resumeAt(3, 10, 2), stops::add));
        refused(ErrorCode.OFFSET_MISMATCH, 5, () -> registry.begin(alice, id, resumeAt(7, 10, 3), stops::add));

        assertEquals(409, behind.code().httpStatus());
        assertEquals(5, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("hello"), partBytes(id));
        // The upload carries on from where it was.
        assertTrue(send(registry, alice, id, resumeAt(5, 10, 5), "world").isComplete());
    }

    @Test
    void resumingAnUnknownUploadGets409WithOffsetZero() throws UploadException {
        UploadId id = registry.idFor(alice, "unknown");

        refused(ErrorCode.OFFSET_MISMATCH, 0, () -> registry.begin(alice, id, resumeAt(100, ABSENT, 10), stops::add));
    }

    // ---- sizes ---------------------------------------------------------------------------------

    @Test
    void aDifferentSizeThanDeclaredBeforeIsRefusedAndChangesNothing() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");

        UploadException e = refused(ErrorCode.SIZE_MISMATCH, 5,
                () -> registry.begin(alice, id, resumeAt(5, 12, 7), stops::add));

        assertEquals(409, e.code().httpStatus());
        assertEquals(10, store.findPart(id).orElseThrow().declaredSize());
        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void aSizeDeclaredLateIsKeptButMayNotBeBelowWhatIsStored() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        sendCut(registry, alice, id, startOver(ABSENT, ABSENT), "hello");

        refused(ErrorCode.SIZE_MISMATCH, 5, () -> registry.begin(alice, id, resumeAt(5, 4, ABSENT), stops::add));
        sendCut(registry, alice, id, resumeAt(5, 8, ABSENT), "!");

        assertEquals(8, store.findPart(id).orElseThrow().declaredSize());
        assertTrue(send(registry, alice, id, resumeAt(6, ABSENT, 2), "!!").isComplete());
    }

    @Test
    void aDeclaredSizeAboveTheMaximumIsRefusedBeforeAnythingIsStored() throws Exception {
        UploadId id = registry.idFor(alice, "f");

        UploadException e = refused(ErrorCode.TOO_LARGE, 0,
                () -> registry.begin(alice, id, startOver((1 << 20) + 1, 10), stops::add));

        assertEquals(413, e.code().httpStatus());
        assertEquals(Optional.empty(), store.findPart(id));
    }

    @Test
    void aContentLengthAboveTheMaximumIsRefusedBeforeAnythingIsStored() throws Exception {
        UploadId id = registry.idFor(alice, "f");

        refused(ErrorCode.TOO_LARGE, 0, () -> registry.begin(alice, id, startOver(ABSENT, (1 << 20) + 1), stops::add));

        assertEquals(Optional.empty(), store.findPart(id));
    }

    @Test
    void aContentLengthPastTheDeclaredSizeIsRefusedBeforeAnythingIsStored() throws Exception {
        UploadId id = registry.idFor(alice, "f");

        UploadException e = refused(ErrorCode.PAST_DECLARED_SIZE, 0,
                () -> registry.begin(alice, id, startOver(10, 11), stops::add));

        assertEquals(413, e.code().httpStatus());
        assertEquals(Optional.empty(), store.findPart(id));
    }

    @Test
    void aResumedBodyPastTheDeclaredSizeIsRefusedWithTheRealStoredOffset() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");

        refused(ErrorCode.PAST_DECLARED_SIZE, 5, () -> registry.begin(alice, id, resumeAt(5, 10, 6), stops::add));
        refused(ErrorCode.PAST_DECLARED_SIZE, 5, () -> registry.begin(alice, id, resumeAt(5, ABSENT, 6), stops::add));

        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void aRefusedStartOverReportsTheOffsetThatIsStillStored() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");

        refused(ErrorCode.TOO_LARGE, 5, () -> registry.begin(alice, id, startOver((1 << 20) + 1, 1), stops::add));

        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void aBodyOfUnknownLengthGoingPastTheDeclaredSizeIsRefusedAndDiscardedWhole() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        WriteSession session = registry.begin(alice, id, startOver(10, ABSENT), stops::add);
        write(session, "123456");

        refused(ErrorCode.PAST_DECLARED_SIZE, 0, () -> write(session, "789012"));

        assertEquals(0, registry.storedOffset(alice, id));
        assertEquals(Optional.empty(), store.findPart(id), "the refused start-over left nothing");
        assertThrows(UploadException.class, session::finish, "a refused session is over");
    }

    @Test
    void aResumedBodyOfUnknownLengthGoingPastTheDeclaredSizeLeavesTheEarlierBytes() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 4), "1234");
        WriteSession session = registry.begin(alice, id, resumeAt(4, 10, ABSENT), stops::add);
        write(session, "5678");

        refused(ErrorCode.PAST_DECLARED_SIZE, 4, () -> write(session, "9ab"));

        assertEquals(4, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("1234"), partBytes(id));
    }

    @Test
    void aBodyOfUnknownLengthGoingPastTheMaximumIsRefusedAndDiscarded() throws Exception {
        UploadRegistry small = registryWith(s -> s.maxSize = 8);
        UploadId id = small.idFor(alice, "f");
        WriteSession session = small.begin(alice, id, startOver(ABSENT, ABSENT), stops::add);
        write(session, "12345");

        refused(ErrorCode.TOO_LARGE, 0, () -> write(session, "6789"));

        assertEquals(0, small.storedOffset(alice, id));
    }

    @Test
    void aBodyEndingExactlyAtTheMaximumIsAccepted() throws Exception {
        UploadRegistry small = registryWith(s -> s.maxSize = 8);
        UploadId id = small.idFor(alice, "f");

        WriteOutcome outcome = send(small, alice, id, startOver(ABSENT, ABSENT), "12345678");

        assertEquals(8, outcome.completed().orElseThrow().size());
    }

    // ---- digests -------------------------------------------------------------------------------

    @Test
    void aChunkWhoseDigestDoesNotMatchIsDiscardedAndTheOffsetStays() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");
        WriteSession session = registry.begin(alice, id,
                withDigest(resumeAt(5, 10, 5), sha256(bytes("WORLD"))), stops::add);
        write(session, "world");

        UploadException e = refused(ErrorCode.DIGEST_MISMATCH, 5, session::finish);

        assertEquals(400, e.code().httpStatus());
        assertEquals(5, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void aChunkWhoseDigestMatchesCountsAndTheFileDigestStaysRight() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");
        WriteSession bad = registry.begin(alice, id, withDigest(resumeAt(5, 10, 5), new byte[32]), stops::add);
        write(bad, "wrong");
        assertThrows(UploadException.class, bad::finish);

        WriteOutcome outcome = send(registry, alice, id,
                withDigest(resumeAt(5, 10, 5), sha256(bytes("world"))), "world");

        assertTrue(outcome.isComplete());
        assertArrayEquals(sha256(bytes("helloworld")), outcome.completed().orElseThrow().sha256());
        assertArrayEquals(bytes("helloworld"), readAll(registry.openCompleted(alice, id)));
    }

    @Test
    void aCutBodyWithADigestKeepsNothingOfIt() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");

        sendCut(registry, alice, id, withDigest(resumeAt(5, 10, 5), sha256(bytes("world"))), "wor");

        assertEquals(5, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("hello"), partBytes(id));
    }

    @Test
    void theCompletedSha256IsTheSha256OfTheStoredFile() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        byte[] data = new byte[200_000];
        new java.util.Random(42).nextBytes(data);
        WriteSession first = registry.begin(alice, id, startOver(data.length, ABSENT), stops::add);
        first.write(data, 0, 70_001);
        first.abort();
        WriteSession second = registry.begin(alice, id, resumeAt(70_001, data.length, ABSENT), stops::add);
        for (int at = 70_001; at < data.length; at += 4096) {
            second.write(data, at, Math.min(4096, data.length - at));
        }

        CompletedRecord done = second.finish().completed().orElseThrow();

        byte[] stored = readAll(registry.openCompleted(alice, id));
        assertArrayEquals(data, stored);
        assertArrayEquals(sha256(stored), done.sha256());
    }

    @Test
    void theDigestIsRebuiltFromTheStoredPrefixByANewRegistryOnTheSameStore() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        sendCut(registry, alice, id, startOver(ABSENT, ABSENT), "hello ");
        // A restart: a new store and registry over the same directory, nothing in memory.
        DiskUploadStore reopened = new DiskUploadStore(dir);
        reopened.recover();
        UploadRegistry restarted = new UploadRegistry(reopened, new Settings().build(), clock);

        WriteOutcome outcome = send(restarted, alice, id, resumeAt(6, ABSENT, 5), "world");

        assertArrayEquals(sha256(bytes("hello world")), outcome.completed().orElseThrow().sha256());
    }

    @Test
    void afterARestartStatusIsAnsweredWhileTheFirstResumeRebuildsTheDigest() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");
        FaultInjectingUploadStore reopened = new FaultInjectingUploadStore(new DiskUploadStore(dir, clock));
        UploadRegistry restarted = new UploadRegistry(reopened, new Settings().build(), clock);
        CountDownLatch rebuilding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        reopened.beforeReadPart(() -> {
            rebuilding.countDown();
            awaitQuietly(release);
        });
        AtomicReference<WriteSession> resumed = new AtomicReference<>();
        Thread firstResume = new Thread(() -> {
            try {
                resumed.set(restarted.begin(alice, id, resumeAt(5, ABSENT, 5), stops::add));
            } catch (UploadException e) {
                throw new IllegalStateException(e);
            }
        });
        firstResume.start();
        assertTrue(rebuilding.await(10, TimeUnit.SECONDS));

        // The rebuild is held (up to 60 s) until status answered: with status waiting for it, this times out.
        long offset = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> restarted.storedOffset(alice, id));

        assertEquals(5, offset, "status is not held up by the rebuild");
        release.countDown();
        firstResume.join(10_000);
        write(resumed.get(), "world");
        WriteOutcome outcome = resumed.get().finish();
        assertArrayEquals(sha256(bytes("helloworld")), outcome.completed().orElseThrow().sha256());
    }

    @Test
    void tenConcurrentResumesAfterARestartShareOneRebuildOfTheDigest() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 5), "hello");
        FaultInjectingUploadStore reopened = new FaultInjectingUploadStore(new DiskUploadStore(dir, clock));
        UploadRegistry restarted = new UploadRegistry(reopened, new Settings().build(), clock);
        AtomicInteger prefixReads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        reopened.beforeReadPart(() -> {
            prefixReads.incrementAndGet();
            awaitQuietly(release); // held until every resume is waiting, so each one had its chance to read
        });
        List<Thread> resumes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread resume = new Thread(() -> {
                try {
                    restarted.begin(alice, id, resumeAt(5, ABSENT, 5), stops::add);
                } catch (UploadException e) {
                    throw new IllegalStateException(e);
                }
            });
            resume.start();
            resumes.add(resume);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (!resumes.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING)) {
                Thread.onSpinWait();
            }
        });
        release.countDown();
        for (Thread resume : resumes) {
            resume.join(10_000);
        }

        assertEquals(1, prefixReads.get(), "one rebuild for ten requests");
        WriteOutcome outcome = send(restarted, alice, id, resumeAt(5, ABSENT, 5), "world");
        assertArrayEquals(sha256(bytes("helloworld")), outcome.completed().orElseThrow().sha256());
        assertEquals(1, prefixReads.get());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theDigestAfterACrashCoversOnlyTheCommittedBytes() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        sendCut(registry, alice, id, startOver(ABSENT, ABSENT), "hello ");
        // Bytes that reached the disk after the last commit, as a kill -9 can leave them.
        try (Appender appender = store.openAppender(id)) {
            appender.write(ByteBuffer.wrap(bytes("GARBAGE")));
        }
        UploadRegistry restarted = new UploadRegistry(new DiskUploadStore(dir, clock), new Settings().build(), clock);

        assertEquals(6, restarted.storedOffset(alice, id));
        WriteOutcome outcome = send(restarted, alice, id, resumeAt(6, ABSENT, 5), "world");

        assertArrayEquals(sha256(bytes("hello world")), outcome.completed().orElseThrow().sha256());
        assertArrayEquals(bytes("hello world"), readAll(restarted.openCompleted(alice, id)));
    }

    // ---- completion ----------------------------------------------------------------------------

    @Test
    void withoutADeclaredSizeAWholeBodyCompletesTheUploadAtItsLength() throws Exception {
        UploadId id = registry.idFor(alice, "photo.jpg-11-1700000000000");

        WriteOutcome outcome = send(registry, alice, id,
                new AppendRequest(ABSENT, ABSENT, 11, "photo.jpg", null), "hello world");

        CompletedRecord done = outcome.completed().orElseThrow();
        assertEquals(11, done.size());
        assertEquals("photo.jpg", done.name());
        assertEquals(11, registry.storedOffset(alice, id));
        assertEquals(List.of(done.id()), registry.completedUploads(alice).stream().map(CompletedRecord::id).toList());
    }

    @Test
    void withoutADeclaredSizeAResumedWholeBodyCompletesTheUpload() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        sendCut(registry, alice, id, startOver(ABSENT, 11), "hello");

        WriteOutcome outcome = send(registry, alice, id, resumeAt(5, ABSENT, 6), " world");

        assertEquals(11, outcome.completed().orElseThrow().size());
        assertArrayEquals(bytes("hello world"), readAll(registry.openCompleted(alice, id)));
    }

    @Test
    void aBodyShorterThanItsContentLengthNeverCompletes() throws Exception {
        UploadId id = registry.idFor(alice, "f");

        WriteOutcome outcome = send(registry, alice, id, startOver(ABSENT, 10), "hell");

        assertFalse(outcome.isComplete());
        assertEquals(4, outcome.offset());
        assertEquals(4, registry.storedOffset(alice, id));
        assertEquals(Optional.empty(), store.findCompleted(id));
    }

    @Test
    void aBodyWithADigestShorterThanItsContentLengthCountsNothingOfIt() throws Exception {
        UploadId id = registry.idFor(alice, "f");

        WriteOutcome outcome = send(registry, alice, id, withDigest(startOver(ABSENT, 10), sha256(bytes("hello12345"))),
                "hell");

        assertFalse(outcome.isComplete());
        assertEquals(0, outcome.offset());
        assertEquals(0, registry.storedOffset(alice, id));
    }

    @Test
    void postingAtTheEndOfACompletedUploadAnswersTheCompletionAgain() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        CompletedRecord first = send(registry, alice, id, startOver(ABSENT, 5), "hello").completed().orElseThrow();

        WriteOutcome again = send(registry, alice, id, resumeAt(5, ABSENT, 0), "");

        CompletedRecord second = again.completed().orElseThrow();
        assertEquals(5, again.offset());
        assertEquals(first.id(), second.id());
        assertArrayEquals(first.sha256(), second.sha256());
        assertEquals(first.completedAt(), second.completedAt());
    }

    @Test
    void bytesPastTheEndOfACompletedUploadAreRefused() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(ABSENT, 5), "hello");

        refused(ErrorCode.PAST_DECLARED_SIZE, 5, () -> registry.begin(alice, id, resumeAt(5, ABSENT, 3), stops::add));
        WriteSession unknownLength = registry.begin(alice, id, resumeAt(5, ABSENT, ABSENT), stops::add);
        refused(ErrorCode.PAST_DECLARED_SIZE, 5, () -> write(unknownLength, "more"));
        refused(ErrorCode.OFFSET_MISMATCH, 5, () -> registry.begin(alice, id, resumeAt(3, ABSENT, 2), stops::add));

        assertArrayEquals(bytes("hello"), readAll(registry.openCompleted(alice, id)));
    }

    @Test
    void startingOverACompletedUploadKeepsTheOldFileUntilTheNewOneCompletes() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(ABSENT, 5), "first");

        sendCut(registry, alice, id, startOver(ABSENT, ABSENT), "sec");

        assertEquals(3, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("first"), readAll(registry.openCompleted(alice, id)));
        send(registry, alice, id, resumeAt(3, ABSENT, 3), "ond");
        assertArrayEquals(bytes("second"), readAll(registry.openCompleted(alice, id)));
    }

    // ---- abort, checkpoints ----------------------------------------------------------------------

    @Test
    void abortKeepsWhatArrivedAndNeverCompletes() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        WriteSession session = registry.begin(alice, id, startOver(ABSENT, 100), stops::add);
        write(session, "partial");

        session.abort();
        session.abort(); // safe twice

        assertEquals(7, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("partial"), partBytes(id));
        assertEquals(Optional.empty(), store.findCompleted(id));
        assertThrows(UploadException.class, () -> write(session, "x"));
    }

    @Test
    void aLongBodyOfKnownLengthIsMadeDurableEveryCheckpoint() throws Exception {
        UploadRegistry checkpointing = registryWith(s -> s.checkpointBytes = 4);
        UploadId id = checkpointing.idFor(alice, "f");
        WriteSession session = checkpointing.begin(alice, id, startOver(10, 10), stops::add);

        write(session, "123");
        assertEquals(Optional.empty(), store.findPart(id), "a start-over is stored from its first commit on");
        write(session, "456");
        assertEquals(6, store.findPart(id).orElseThrow().offset());
        write(session, "7");
        assertEquals(6, store.findPart(id).orElseThrow().offset());
        write(session, "890");

        assertTrue(session.finish().isComplete());
    }

    @Test
    void writesDoNotWaitForTheBackgroundForceAndACheckpointRecordsOnlyWhatItCovered() throws Exception {
        ManualExecutor forces = new ManualExecutor();
        UploadRegistry background = registryWith(s -> s.checkpointBytes = 4, forces);
        UploadId id = background.idFor(alice, "f");
        WriteSession session = background.begin(alice, id, startOver(10, 10), stops::add);

        write(session, "123456");
        assertEquals(1, forces.queued(), "a force of the first 6 bytes is under way");
        assertEquals(Optional.empty(), store.findPart(id), "not recorded before it is forced");
        forces.runAll();
        write(session, "7");

        assertEquals(6, store.findPart(id).orElseThrow().offset(), "what the force covered, not what was written");
        write(session, "890");
        assertTrue(session.finish().isComplete());
        assertArrayEquals(bytes("1234567890"), readAll(background.openCompleted(alice, id)));
    }

    /** Six bytes written by a session over a fault-injecting store; its forces run when the test says. */
    private record SixBytesWritten(FaultInjectingUploadStore faulty, ManualExecutor forces, UploadRegistry registry,
                                   UploadId id, WriteSession session) {
    }

    private SixBytesWritten sixBytesWrittenWithForcesOnHold() throws Exception {
        FaultInjectingUploadStore faulty = new FaultInjectingUploadStore(store);
        ManualExecutor forces = new ManualExecutor();
        UploadRegistry background = new UploadRegistry(faulty, settingsWith(s -> s.checkpointBytes = 4), clock, forces);
        UploadId id = background.idFor(alice, "f");
        WriteSession session = background.begin(alice, id, startOver(100, 100), stops::add);
        write(session, "123456");
        return new SixBytesWritten(faulty, forces, background, id, session);
    }

    /** Bytes in the upload's data files on disk, committed or not (a start-over's too). */
    private long dataBytesOnDisk(UploadId id) throws IOException {
        try (var files = Files.list(dir.resolve("parts"))) {
            long total = 0;
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(id.value())
                    && f.getFileName().toString().endsWith(".data")).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    @Test
    void aFailedBackgroundForceFailsTheNextWriteAndKeepsTheLastCommit() throws Exception {
        SixBytesWritten upload = sixBytesWrittenWithForcesOnHold();
        upload.faulty().failCommits();

        upload.forces().runAll();
        UploadException failed = assertThrows(UploadException.class, () -> write(upload.session(), "7"));

        assertEquals(ErrorCode.STORAGE_FAILURE, failed.code());
        assertEquals(OptionalLong.of(0), failed.storedOffset());
        upload.faulty().heal();
        assertEquals(0, upload.registry().storedOffset(alice, upload.id()));
        assertEquals(0, dataBytesOnDisk(upload.id()), "the bytes no force covered are cut off");
    }

    @Test
    void aFailingWriteStillRecordsWhatAFinishedForceCovered() throws Exception {
        SixBytesWritten upload = sixBytesWrittenWithForcesOnHold();
        upload.forces().runAll(); // forced, not yet recorded: the next write would have recorded it
        upload.faulty().fillDiskAfter(0);

        UploadException full = assertThrows(UploadException.class, () -> write(upload.session(), "7"));

        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, full.code());
        assertEquals(OptionalLong.of(6), full.storedOffset(), "the forced bytes count");
        assertArrayEquals(bytes("123456"), partBytes(upload.id()));
    }

    @Test
    void aCutBodyWhoseBackgroundForceFailedKeepsOnlyWhatEarlierForcesCovered() throws Exception {
        SixBytesWritten upload = sixBytesWrittenWithForcesOnHold();
        upload.faulty().failNextForce();
        upload.forces().runAll(); // fails; a force of the same file now would succeed without the lost pages

        long stored = upload.session().abort(); // the connection drops before another write collects it

        assertEquals(0, stored, "nothing after the last successful force counts");
        assertEquals(0, upload.registry().storedOffset(alice, upload.id()));
        assertEquals(0, dataBytesOnDisk(upload.id()));
    }

    @Test
    void aForceStillQueuedBehindOtherUploadsIsDoneByTheSessionInsteadOfAwaited() throws Exception {
        ManualExecutor neverRuns = new ManualExecutor();
        UploadRegistry background = registryWith(s -> s.checkpointBytes = 4, neverRuns);
        UploadId id = background.idFor(alice, "f");
        WriteSession session = background.begin(alice, id, startOver(6, 6), stops::add);
        write(session, "123456");
        assertEquals(1, neverRuns.queued());

        WriteOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), session::finish);

        assertTrue(outcome.isComplete());
        neverRuns.runAll(); // the queued task was cancelled: running it now touches nothing
        assertArrayEquals(bytes("123456"), readAll(background.openCompleted(alice, id)));
    }

    @Test
    void aSessionEndsOnlyAfterItsRunningBackgroundForceReturned() throws Exception {
        FaultInjectingUploadStore slowDisk = new FaultInjectingUploadStore(store);
        slowDisk.delayForces(Duration.ofMillis(200));
        CountDownLatch forceStarted = new CountDownLatch(1);
        Executor ownThread = task -> new Thread(() -> {
            forceStarted.countDown();
            task.run();
        }).start();
        UploadRegistry background = new UploadRegistry(slowDisk, settingsWith(s -> s.checkpointBytes = 4), clock,
                ownThread);
        UploadId id = background.idFor(alice, "f");
        WriteSession session = background.begin(alice, id, startOver(10, 10), stops::add);
        write(session, "1234567890");
        assertTrue(forceStarted.await(10, TimeUnit.SECONDS));

        assertTrue(session.finish().isComplete());

        assertEquals(1, slowDisk.forcesCompleted(), "the file was closed while a force was still running");
    }

    @Test
    void aBodyThatMayStillBeRefusedIsNeverCheckpointed() throws Exception {
        UploadRegistry checkpointing = registryWith(s -> s.checkpointBytes = 4);
        UploadId unknownLength = checkpointing.idFor(alice, "unknown-length");
        UploadId digested = checkpointing.idFor(alice, "digested");
        WriteSession first = checkpointing.begin(alice, unknownLength, startOver(10, ABSENT), stops::add);
        WriteSession second = checkpointing.begin(alice, digested,
                withDigest(startOver(10, 8), sha256(bytes("12345678"))), stops::add);

        write(first, "12345678");
        write(second, "12345678");

        assertEquals(Optional.empty(), store.findPart(unknownLength));
        assertEquals(Optional.empty(), store.findPart(digested));
    }

    // ---- refused start-overs ---------------------------------------------------------------------

    @Test
    void aStartOverWithAWrongDigestOnACompletedUploadLeavesItCompleteAndItsSizeAnswered() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(ABSENT, 5), "hello");
        WriteSession session = registry.begin(alice, id, withDigest(startOver(ABSENT, 5), sha256(bytes("other"))),
                stops::add);
        write(session, "HELLO");

        refused(ErrorCode.DIGEST_MISMATCH, 5, session::finish);

        assertEquals(5, registry.storedOffset(alice, id));
        assertEquals(Optional.empty(), store.findPart(id));
        assertArrayEquals(bytes("hello"), readAll(registry.openCompleted(alice, id)));
        WriteOutcome finalEmptyPost = send(registry, alice, id, resumeAt(5, ABSENT, 0), "");
        assertEquals(5, finalEmptyPost.completed().orElseThrow().size(), "the article client's last POST completes");
    }

    @Test
    void aStartOverRefusedMidBodyLeavesTheEarlierPartAndItsBytes() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        sendCut(registry, alice, id, startOver(ABSENT, ABSENT), "hello ");
        WriteSession session = registry.begin(alice, id, startOver(3, ABSENT), stops::add);

        refused(ErrorCode.PAST_DECLARED_SIZE, 6, () -> write(session, "too long"));

        assertEquals(6, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("hello "), partBytes(id));
        WriteOutcome resumed = send(registry, alice, id, resumeAt(6, ABSENT, 5), "world");
        assertArrayEquals(sha256(bytes("hello world")), resumed.completed().orElseThrow().sha256());
    }

    @Test
    void aStartOverTakenOverBeforeItWroteAByteReplacesNothing() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(ABSENT, 5), "hello");
        registry.begin(alice, id, startOver(ABSENT, ABSENT), stops::add);

        WriteOutcome again = send(registry, alice, id, resumeAt(5, ABSENT, 0), "");

        assertEquals(1, stops.size());
        assertEquals(ErrorCode.SUPERSEDED, stops.get(0).code());
        assertEquals(OptionalLong.of(5), stops.get(0).storedOffset(), "told what is stored, not the start-over's 0");
        assertEquals(5, again.completed().orElseThrow().size());
        assertEquals(Optional.empty(), store.findPart(id));
    }

    @Test
    void aStartOverCutAfterItsFirstBytesReplacesTheCompletedUploadWithWhatArrived() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(ABSENT, 5), "hello");

        sendCut(registry, alice, id, startOver(ABSENT, ABSENT), "new");

        assertEquals(3, registry.storedOffset(alice, id), "a cut body keeps what arrived, as every body does");
        assertArrayEquals(bytes("new"), partBytes(id));
    }

    // ---- takeover, idle, shutdown --------------------------------------------------------------

    @Test
    void aNewerRequestStopsTheOlderWhichKeepsWhatItWrote() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        List<UploadException> firstStops = new CopyOnWriteArrayList<>();
        WriteSession first = registry.begin(alice, id, startOver(10, ABSENT), firstStops::add);
        write(first, "abc");

        WriteSession second = registry.begin(alice, id, resumeAt(3, 10, 7), e -> fail("second was stopped"));

        assertEquals(1, firstStops.size());
        assertEquals(ErrorCode.SUPERSEDED, firstStops.get(0).code());
        assertEquals(OptionalLong.of(3), firstStops.get(0).storedOffset());
        assertEquals(3, registry.storedOffset(alice, id));
        UploadException late = assertThrows(UploadException.class, () -> write(first, "XYZ"));
        assertEquals(ErrorCode.SUPERSEDED, late.code());
        write(second, "defghij");
        assertTrue(second.finish().isComplete());
        assertArrayEquals(bytes("abcdefghij"), readAll(registry.openCompleted(alice, id)));
    }

    @Test
    void aNewerRequestWithAStaleOffsetStillStopsTheOlderThenGets409WithTheNewOffset() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        WriteSession first = registry.begin(alice, id, startOver(10, ABSENT), stops::add);
        write(first, "abcd");

        refused(ErrorCode.OFFSET_MISMATCH, 4, () -> registry.begin(alice, id, resumeAt(2, 10, 8), stops::add));

        assertEquals(List.of(ErrorCode.SUPERSEDED), stops.stream().map(UploadException::code).toList());
        assertArrayEquals(bytes("abcd"), partBytes(id));
    }

    @Test
    void takingOverFromARequestWithADigestDropsItsUnverifiedBytes() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        send(registry, alice, id, startOver(10, 2), "ab");
        WriteSession first = registry.begin(alice, id, withDigest(resumeAt(2, 10, 8), new byte[32]), stops::add);
        write(first, "cde");

        registry.begin(alice, id, resumeAt(2, 10, 8), stops::add);

        assertEquals(OptionalLong.of(2), stops.get(0).storedOffset());
        assertArrayEquals(bytes("ab"), partBytes(id));
    }

    @Test
    void theSweepStopsWritersIdleLongerThanTheIdleTimeoutKeepingTheirBytes() throws Exception {
        UploadRegistry impatient = registryWith(s -> s.idleTimeout = Duration.ofNanos(1));
        UploadId id = impatient.idFor(alice, "f");
        WriteSession session = impatient.begin(alice, id, startOver(ABSENT, ABSENT), stops::add);
        write(session, "1234");

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (stops.isEmpty() && System.nanoTime() < deadline) {
            impatient.sweep(); // one nanosecond of idleness is enough; nanoTime moves on between calls
        }

        assertEquals(1, stops.size());
        assertEquals(ErrorCode.IDLE_TIMEOUT, stops.get(0).code());
        assertEquals(408, stops.get(0).code().httpStatus());
        assertEquals(OptionalLong.of(4), stops.get(0).storedOffset());
        assertEquals(4, impatient.storedOffset(alice, id));
        assertThrows(UploadException.class, () -> write(session, "5"));
    }

    @Test
    void theSweepLeavesAWriterWithinItsIdleTimeoutAlone() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        WriteSession session = registry.begin(alice, id, startOver(ABSENT, ABSENT), stops::add);
        write(session, "12");

        registry.sweep();

        assertTrue(stops.isEmpty());
        write(session, "34");
        assertEquals(4, session.finish().offset());
    }

    @Test
    void theSweepDeletesPartsUntouchedForLongerThanTheExpiryAge() throws Exception {
        UploadRegistry expiring = registryWith(s -> s.expireAfter = Duration.ofDays(1));
        UploadId stale = expiring.idFor(alice, "stale");
        UploadId done = expiring.idFor(alice, "done");
        UploadId active = expiring.idFor(alice, "active");
        sendCut(expiring, alice, stale, startOver(ABSENT, ABSENT), "old bytes");
        sendCut(expiring, alice, active, startOver(ABSENT, ABSENT), "still ");
        send(expiring, alice, done, startOver(ABSENT, 4), "kept");

        assertEquals(0, expiring.sweep());
        clock.advance(Duration.ofDays(2));
        WriteSession writing = expiring.begin(alice, active, resumeAt(6, ABSENT, ABSENT), stops::add);

        assertEquals(1, expiring.sweep());

        assertEquals(Optional.empty(), store.findPart(stale));
        assertEquals(0, expiring.storedOffset(alice, stale));
        assertTrue(store.findPart(active).isPresent(), "a part being written is not expired");
        assertArrayEquals(bytes("kept"), readAll(expiring.openCompleted(alice, done)));
        write(writing, "fine");
        assertEquals(10, writing.finish().offset());
    }

    @Test
    void anExpiredUploadCanBeStartedAgain() throws Exception {
        UploadRegistry expiring = registryWith(s -> s.expireAfter = Duration.ofDays(1));
        UploadId id = expiring.idFor(alice, "f");
        sendCut(expiring, alice, id, startOver(ABSENT, ABSENT), "old");
        clock.advance(Duration.ofDays(2));
        expiring.sweep();

        refused(ErrorCode.OFFSET_MISMATCH, 0, () -> expiring.begin(alice, id, resumeAt(3, ABSENT, 1), stops::add));
        assertTrue(send(expiring, alice, id, startOver(ABSENT, 3), "new").isComplete());
    }

    @Test
    void closeStopsEveryWriterWhichKeepsWhatItWrote() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        WriteSession session = registry.begin(alice, id, startOver(ABSENT, ABSENT), stops::add);
        write(session, "abc");

        registry.close();

        assertEquals(ErrorCode.SHUTTING_DOWN, stops.get(0).code());
        assertEquals(503, stops.get(0).code().httpStatus());
        assertEquals(3, registry.storedOffset(alice, id));
        assertArrayEquals(bytes("abc"), partBytes(id));
    }

    // ---- owners ----------------------------------------------------------------------------------

    @Test
    void ownersNeverSeeEachOthersUploads() throws Exception {
        UploadId alices = registry.idFor(alice, "same-name-1-2");
        UploadId bobs = registry.idFor(bob, "same-name-1-2");
        send(registry, alice, alices, startOver(ABSENT, 6), "secret");

        assertEquals(0, registry.storedOffset(bob, bobs));
        refused(ErrorCode.OFFSET_MISMATCH, 0, () -> registry.begin(bob, bobs, resumeAt(6, ABSENT, 0), stops::add));
        assertTrue(registry.completedUploads(bob).isEmpty());
        assertEquals(Optional.empty(), registry.completed(bob, bobs));
        assertEquals(1, registry.completedUploads(alice).size());
    }

    @Test
    void anOwnerHoldingAnotherOwnersUploadIdIsToldItDoesNotExist() throws Exception {
        UploadId alicesPart = registry.idFor(alice, "part");
        UploadId alicesDone = registry.idFor(alice, "done");
        sendCut(registry, alice, alicesPart, startOver(ABSENT, ABSENT), "partial");
        send(registry, alice, alicesDone, startOver(ABSENT, 4), "done");

        for (UploadId id : List.of(alicesPart, alicesDone)) {
            assertEquals(ErrorCode.NOT_FOUND,
                    assertThrows(UploadException.class, () -> registry.storedOffset(bob, id)).code());
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(UploadException.class,
                    () -> registry.begin(bob, id, resumeAt(7, ABSENT, 1), stops::add)).code());
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(UploadException.class,
                    () -> registry.openCompleted(bob, id)).code());
        }
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(UploadException.class,
                () -> registry.completed(bob, alicesDone)).code());
    }

    @Test
    void anOwnerHoldingAnotherOwnersUploadIdCannotStartItOver() throws Exception {
        UploadId alicesPart = registry.idFor(alice, "part");
        UploadId alicesDone = registry.idFor(alice, "done");
        sendCut(registry, alice, alicesPart, startOver(ABSENT, ABSENT), "partial");
        send(registry, alice, alicesDone, startOver(ABSENT, 4), "done");

        for (UploadId id : List.of(alicesPart, alicesDone)) {
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(UploadException.class,
                    () -> registry.begin(bob, id, startOver(ABSENT, 5), stops::add)).code());
        }

        assertArrayEquals(bytes("partial"), partBytes(alicesPart));
        assertEquals(alice.tag(), store.findCompleted(alicesDone).orElseThrow().ownerTag());
        assertArrayEquals(bytes("done"), readAll(registry.openCompleted(alice, alicesDone)));
        assertEquals(Optional.empty(), store.findPart(alicesDone));
    }

    // ---- disk reserve --------------------------------------------------------------------------

    @Test
    void belowTheDiskReserveANewUploadIsRefusedWith507BeforeAnythingIsWritten() throws Exception {
        UploadRegistry full = registryWith(s -> s.diskReserve = Long.MAX_VALUE);
        UploadId id = full.idFor(alice, "f");

        UploadException e = refused(ErrorCode.INSUFFICIENT_STORAGE, 0,
                () -> full.begin(alice, id, startOver(ABSENT, 5), stops::add));

        assertEquals(507, e.code().httpStatus());
        assertEquals(Optional.empty(), store.findPart(id));
        assertTrue(store.listParts().isEmpty());
    }

    @Test
    void belowTheDiskReserveAResumeIsRefusedWith507AndTheStoredBytesStay() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        sendCut(registry, alice, id, startOver(ABSENT, ABSENT), "abc");
        UploadRegistry full = registryWith(s -> s.diskReserve = Long.MAX_VALUE);

        refused(ErrorCode.INSUFFICIENT_STORAGE, 3, () -> full.begin(alice, id, resumeAt(3, ABSENT, 5), stops::add));
        refused(ErrorCode.INSUFFICIENT_STORAGE, 3, () -> full.begin(alice, id, startOver(ABSENT, 5), stops::add));

        assertArrayEquals(bytes("abc"), partBytes(id));
    }

    @Test
    void theReserveCountsTheBodyThatIsComing() throws Exception {
        long usable = store.usableSpace();
        UploadRegistry tight = registryWith(s -> {
            s.diskReserve = Math.max(0, usable - (1 << 30));
            s.maxSize = 4L << 30;
        });
        UploadId id = tight.idFor(alice, "f");

        refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> tight.begin(alice, id, startOver(ABSENT, 2L << 30), stops::add));
        assertTrue(send(tight, alice, id, startOver(ABSENT, 3), "fit").isComplete());
    }

    private static final long RESERVE = 1000;

    /** A registry over a disk with {@code aboveReserve} bytes free above a reserve of {@link #RESERVE}. */
    private record TightDisk(FaultInjectingUploadStore disk, UploadRegistry registry) {
        long freeAboveReserve() throws IOException {
            return disk.usableSpace() - RESERVE;
        }
    }

    private TightDisk tightDisk(long aboveReserve) {
        FaultInjectingUploadStore disk = new FaultInjectingUploadStore(store);
        disk.reportShrinkingSpace(RESERVE + aboveReserve); // shrinks by every byte written
        return new TightDisk(disk, new UploadRegistry(disk, settingsWith(s -> {
            s.diskReserve = RESERVE;
            s.idleTimeout = Duration.ofNanos(1); // for the sweep below; nothing else sweeps
        }), clock));
    }

    @Test
    void aBodyOfUnknownLengthIsStoppedAtTheReserveWith507AndKeepsExactlyWhatFitted() throws Exception {
        TightDisk tight = tightDisk(10);
        UploadId id = tight.registry().idFor(alice, "f");
        WriteSession session = tight.registry().begin(alice, id, startOver(ABSENT, ABSENT), stops::add);
        write(session, "0123");

        refused(ErrorCode.INSUFFICIENT_STORAGE, 10, () -> write(session, "456789abcdef"));

        assertArrayEquals(bytes("0123456789"), partBytes(id), "what fitted is kept, as for a cut body");
        assertEquals(RESERVE, tight.disk().lowestUsableSpace(), "the reserve held for every byte");
        assertEquals(10, tight.registry().storedOffset(alice, id));
        assertThrows(UploadException.class, () -> write(session, "x"), "the body has ended");
        tight.disk().reportShrinkingSpace(RESERVE + 100); // space is back
        assertTrue(send(tight.registry(), alice, id, resumeAt(10, ABSENT, ABSENT), "abcdef").isComplete());
        assertArrayEquals(bytes("0123456789abcdef"), readAll(tight.registry().openCompleted(alice, id)));
    }

    @Test
    void aBodyWithADigestStoppedAtTheReserveKeepsNothingOfIt() throws Exception {
        TightDisk tight = tightDisk(10);
        UploadId id = tight.registry().idFor(alice, "f");
        sendCut(tight.registry(), alice, id, startOver(ABSENT, ABSENT), "abc");
        WriteSession session = tight.registry().begin(alice, id,
                withDigest(resumeAt(3, ABSENT, ABSENT), sha256(bytes("defghijkl"))), stops::add);

        refused(ErrorCode.INSUFFICIENT_STORAGE, 3, () -> write(session, "defghijkl"));

        assertArrayEquals(bytes("abc"), partBytes(id), "unverifiable bytes never count");
        assertEquals(RESERVE + 7, tight.disk().usableSpace(), "and are cut off again");
    }

    @Test
    void aSecondBodyIsRefusedUpFrontWhileTheFirstMayStillWriteTheSpaceBothWouldNeed() throws Exception {
        TightDisk tight = tightDisk(10);
        UploadId first = tight.registry().idFor(alice, "first");
        UploadId second = tight.registry().idFor(bob, "second");
        WriteSession writing = tight.registry().begin(alice, first, startOver(ABSENT, 6), stops::add);
        write(writing, "123"); // 7 bytes free above the reserve, 3 of them still the first body's

        refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> tight.registry().begin(bob, second, startOver(ABSENT, 6),
                stops::add));
        assertEquals(Optional.empty(), store.findPart(second), "nothing of the second written");

        write(writing, "456");
        assertTrue(writing.finish().isComplete());
        assertEquals(RESERVE + 4, tight.disk().lowestUsableSpace());
        refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> tight.registry().begin(bob, second, startOver(ABSENT, 6),
                stops::add));
        tight.disk().reportShrinkingSpace(RESERVE + 10); // space is freed
        assertTrue(send(tight.registry(), bob, second, startOver(ABSENT, 6), "abcdef").isComplete());
    }

    @Test
    void aBodyWithoutContentLengthIsAdmittedByWhatItsDeclaredSizeLeavesToWrite() throws Exception {
        TightDisk tight = tightDisk(100);
        UploadId id = tight.registry().idFor(alice, "f");
        sendCut(tight.registry(), alice, id, startOver(14, ABSENT), "abcd");
        tight.disk().reportShrinkingSpace(RESERVE + 9); // the 10 bytes still to come do not fit

        refused(ErrorCode.INSUFFICIENT_STORAGE, 4, () -> tight.registry().begin(alice, id,
                resumeAt(4, 14, ABSENT), stops::add));
        tight.disk().reportShrinkingSpace(RESERVE + 10);
        assertTrue(send(tight.registry(), alice, id, resumeAt(4, 14, ABSENT), "efghijklmn").isComplete());
    }

    @Test
    void aNewerRequestIsNotRefusedForTheSpaceTheRequestItStopsStillHeld() throws Exception {
        TightDisk tight = tightDisk(10);
        UploadId id = tight.registry().idFor(alice, "f");
        WriteSession older = tight.registry().begin(alice, id, startOver(ABSENT, 10), stops::add);
        write(older, "ab");

        WriteSession newer = tight.registry().begin(alice, id, resumeAt(2, ABSENT, 8), stops::add);

        assertEquals(ErrorCode.SUPERSEDED, stops.get(0).code());
        write(newer, "cdefghij");
        assertTrue(newer.finish().isComplete());
        assertEquals(RESERVE, tight.disk().lowestUsableSpace());
    }

    /** Every way a body ends. */
    enum Ending { COMPLETED, CUT, DIGEST_REFUSED, RESERVE_REACHED, TAKEN_OVER, IDLE, SHUTDOWN, DISK_FULL }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void whateverEndsABodyGivesBackTheSpaceItDidNotWrite(Ending ending) throws Exception {
        TightDisk tight = tightDisk(10);
        UploadRegistry on = tight.registry();
        UploadId id = on.idFor(alice, "f");
        AppendRequest chunked = startOver(ABSENT, ABSENT);
        WriteSession session = on.begin(alice, id,
                ending == Ending.DIGEST_REFUSED ? withDigest(chunked, new byte[32]) : chunked, stops::add);
        write(session, "ab"); // its grant is all 10 bytes above the reserve; it wrote 2 of them

        switch (ending) {
            case COMPLETED -> assertTrue(session.finish().isComplete());
            case CUT -> session.abort();
            case DIGEST_REFUSED -> refused(ErrorCode.DIGEST_MISMATCH, 0, session::finish);
            case RESERVE_REACHED -> refused(ErrorCode.INSUFFICIENT_STORAGE, 10, () -> write(session, "cdefghijk"));
            case TAKEN_OVER -> on.begin(alice, id, resumeAt(2, ABSENT, 0), stops::add).finish();
            case IDLE -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (stops.isEmpty() && System.nanoTime() < deadline) {
                    on.sweep();
                }
                assertEquals(ErrorCode.IDLE_TIMEOUT, stops.get(0).code());
            }
            case SHUTDOWN -> {
                on.close();
                assertEquals(ErrorCode.SHUTTING_DOWN, stops.get(0).code());
            }
            case DISK_FULL -> {
                tight.disk().fillDiskAfter(0);
                refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> write(session, "c"));
            }
        }

        long left = tight.freeAboveReserve();
        UploadId next = on.idFor(alice, "next");
        refused(ErrorCode.INSUFFICIENT_STORAGE, 0, () -> on.begin(alice, next, startOver(ABSENT, left + 1), stops::add));
        on.begin(alice, next, startOver(ABSENT, left), stops::add).abort(); // all of it: nothing is still held
    }

    // ---- listing -------------------------------------------------------------------------------

    @Test
    void completedUploadsAreListedNewestFirst() throws Exception {
        UploadId older = registry.idFor(alice, "older");
        UploadId newer = registry.idFor(alice, "newer");
        send(registry, alice, older, startOver(ABSENT, 1), "1");
        clock.advance(Duration.ofMinutes(1));
        send(registry, alice, newer, startOver(ABSENT, 1), "2");

        assertEquals(List.of(newer, older),
                registry.completedUploads(alice).stream().map(CompletedRecord::id).toList());
        assertEquals(clock.instant(), registry.completed(alice, newer).orElseThrow().completedAt());
    }

    @Test
    void openCompletedOfAnUploadThatIsNotCompleteIsNotFound() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        sendCut(registry, alice, id, startOver(ABSENT, ABSENT), "abc");

        assertEquals(ErrorCode.NOT_FOUND,
                assertThrows(UploadException.class, () -> registry.openCompleted(alice, id)).code());
        assertEquals(404, ErrorCode.NOT_FOUND.httpStatus());
    }

    @Test
    void partRecordsCarryTheRequestsName() throws Exception {
        UploadId id = registry.idFor(alice, "f");
        sendCut(registry, alice, id, new AppendRequest(ABSENT, ABSENT, ABSENT, "Übersicht.xlsx", null), "x");

        PartRecord part = store.findPart(id).orElseThrow();
        assertEquals("Übersicht.xlsx", part.name());
        assertEquals(alice.tag(), part.ownerTag());
    }
}
