package org.resumableupload.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Random work on a store for power-cut tests (start-overs, appends with commits, forced commits and
 * discards, completions, deletions over a few ids), and a model of what it acknowledged: after every
 * call that returned, what each id must show from then on. One call at a time may be in flight when
 * the power fails; after the restart its id may show what it would have made, or what was there
 * before it, and nothing else.
 */
final class PowerCutWorkload {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private interface StoreCall<T> {
        T run() throws IOException;
    }

    private final Random random;
    private final LongSupplier changesMade;
    private final Map<String, Long> lastChanges = new HashMap<>();
    private final long seed;
    // Ids being worked on; every id ever used stays in acknowledged and is checked after every cut.
    private final List<UploadId> ids = new ArrayList<>();
    private final Map<UploadId, StoredView> acknowledged = new LinkedHashMap<>();
    private final Map<UploadId, byte[]> committedBytes = new HashMap<>();
    private UploadStore store;
    private int names;
    private String callInFlight;
    private UploadId idInFlight;
    private StoredView ifItReturns;
    private byte[] bytesIfItReturns;
    private String aimedCall;
    private Runnable arm;
    private Runnable disarm;
    long commitsAcknowledged;
    long completionsAcknowledged;
    long deletionsAcknowledged;

    /** Work on {@code store}; {@code changesMade} counts the changes made to its storage so far. */
    PowerCutWorkload(long seed, int uploads, UploadStore store, LongSupplier changesMade) {
        this.seed = seed;
        this.random = new Random(seed);
        this.store = store;
        this.changesMade = changesMade;
        for (int i = 0; i < uploads; i++) {
            ids.add(newId());
        }
    }

    private UploadId newId() {
        UploadId id = UploadId.of(StoredView.sha256Hex(("power-cut-" + seed + "-" + acknowledged.size())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        acknowledged.put(id, StoredView.NOTHING);
        return id;
    }

    /** The store call that was running when the last call threw, or null. */
    String callInFlight() {
        return callInFlight;
    }

    /**
     * Runs {@code arm} as each store call named {@code call} (as {@link #callInFlight()} names them)
     * starts and {@code disarm} as it returns, until one throws (the power failed in it) or the next
     * cut: so that the power fails inside such a call and nowhere else.
     */
    void aimAt(String call, Runnable arm, Runnable disarm) {
        aimedCall = call;
        this.arm = arm;
        this.disarm = disarm;
    }

    /** How many changes the last call named {@code call} that returned made (at least 1). */
    long lastChanges(String call) {
        return Math.max(1, lastChanges.getOrDefault(call, 1L));
    }

    /** Runs {@code steps} random steps; a call that throws (the power failed) ends the run. */
    void run(int steps) throws IOException {
        for (int i = 0; i < steps; i++) {
            UploadId id = ids.get(random.nextInt(ids.size()));
            int choice = random.nextInt(10);
            if (acknowledged.get(id).part() == null || choice < 2) {
                startOver(id);
            } else if (choice < 7) {
                append(id);
            } else if (choice < 9) {
                complete(id);
            } else {
                deletePart(id);
            }
        }
    }

    /**
     * Checks that {@code restarted} shows every id as acknowledged (or, for the id of the call in flight,
     * as that call would have left it), then goes on with that store.
     *
     * @throws AssertionError naming {@code context} if an id shows anything else
     */
    void verifyAndContinueOn(UploadStore restarted, String context) throws IOException {
        for (UploadId id : acknowledged.keySet()) {
            StoredView seen = StoredView.of(restarted, id);
            if (seen.equals(acknowledged.get(id))) {
                continue;
            }
            if (id.equals(idInFlight) && seen.equals(ifItReturns)) {
                acknowledged.put(id, seen);
                committedBytes.put(id, bytesIfItReturns);
                continue;
            }
            throw new AssertionError(context + ": upload " + id + " shows " + seen + " but acknowledged was "
                    + acknowledged.get(id) + (id.equals(idInFlight) ? " and " + callInFlight + " in flight could leave "
                    + ifItReturns : ""));
        }
        callInFlight = null;
        idInFlight = null;
        aimedCall = null; // what was aimed at in this power-on ends with it
        store = restarted;
    }

    private void startOver(UploadId id) throws IOException {
        long declaredSize = random.nextBoolean() ? PartRecord.UNKNOWN_SIZE : random.nextInt(1 << 20);
        PartRecord fresh = PartRecord.start(id, "owner-" + random.nextInt(2), "file-" + ++names + ".bin",
                declaredSize, T0);
        Appender appender = unchanged("createPart", id, () -> store.createPart(fresh));
        appendWith(id, appender, fresh, new byte[0], true);
    }

    private void append(UploadId id) throws IOException {
        Appender appender = unchanged("openAppender", id, () -> store.openAppender(id));
        StoredView.Part part = acknowledged.get(id).part();
        assertEquals(part.offset(), appender.position(), "an appender opens at the committed offset");
        assertEquals(part.offset(), appender.committed().offset());
        appendWith(id, appender, appender.committed(), committedBytes.get(id), false);
    }

    private void appendWith(UploadId id, Appender appender, PartRecord shape, byte[] committed, boolean startOver)
            throws IOException {
        byte[] written = committed;
        long committedOffset = committed.length;
        String commit = startOver ? "first commit" : "commit";
        for (int round = 1 + random.nextInt(3); round > 0; round--) {
            written = write(id, appender, written);
            int choice = random.nextInt(10);
            if (choice < 5) {
                long offset = written.length;
                committedOffset = commit(commit, id, shape, written, offset,
                        () -> appender.commit(appender.committed().withOffset(offset, Instant.now())));
                commit = "commit";
            } else if (choice < 7) {
                // A commit behind the position: only the bytes before it must become durable.
                long writtenBefore = written.length;
                written = write(id, appender, written);
                long offset = committedOffset + (long) (random.nextDouble() * (writtenBefore - committedOffset));
                committedOffset = commit(commit, id, shape, written, offset,
                        () -> appender.commit(appender.committed().withOffset(offset, Instant.now())));
                commit = "commit";
            } else if (choice < 9) {
                unchanged("discardUncommitted", id, () -> {
                    appender.discardUncommitted();
                    return null;
                });
                written = Arrays.copyOf(written, (int) committedOffset);
            }
        }
        unchanged("close", id, () -> {
            appender.close();
            return null;
        });
    }

    private byte[] write(UploadId id, Appender appender, byte[] before) throws IOException {
        byte[] chunk = new byte[random.nextInt(10) == 0 ? 64 << 10 : random.nextInt(5000)];
        random.nextBytes(chunk);
        unchanged("write", id, () -> {
            appender.write(ByteBuffer.wrap(chunk));
            return null;
        });
        byte[] after = Arrays.copyOf(before, before.length + chunk.length);
        System.arraycopy(chunk, 0, after, before.length, chunk.length);
        return after;
    }

    private long commit(String name, UploadId id, PartRecord shape, byte[] written, long offset,
                        StoreCall<PartRecord> commitCall) throws IOException {
        byte[] bytes = Arrays.copyOf(written, (int) offset);
        StoredView.Part part = new StoredView.Part(shape.ownerTag(), shape.name(), shape.declaredSize(), offset,
                StoredView.sha256Hex(bytes));
        PartRecord returned = call(name, id, acknowledged.get(id).withPart(part), bytes, commitCall);
        assertEquals(part, StoredView.Part.of(returned, bytes), "commit returns the record now stored");
        commitsAcknowledged++;
        return offset;
    }

    private void complete(UploadId id) throws IOException {
        StoredView.Part part = acknowledged.get(id).part();
        byte[] sha256 = StoredView.sha256(committedBytes.get(id));
        StoredView done = new StoredView(null, new StoredView.Done(part.ownerTag(), part.name(), part.offset(),
                part.bytesSha256(), part.bytesSha256()));
        String name = acknowledged.get(id).done() == null ? "complete" : "complete again";
        call(name, id, done, null, () -> store.complete(id, sha256, T0.plusSeconds(names)));
        completionsAcknowledged++;
        if (random.nextInt(3) == 0) {
            ids.set(ids.indexOf(id), newId()); // so that first completions of an id are frequent too
        }
    }

    private void deletePart(UploadId id) throws IOException {
        call("deletePart", id, new StoredView(null, acknowledged.get(id).done()), null, () -> {
            store.deletePart(id);
            return null;
        });
        deletionsAcknowledged++;
    }

    /** A call that changes nothing a reader of the store can see. */
    private <T> T unchanged(String name, UploadId id, StoreCall<T> storeCall) throws IOException {
        return call(name, id, acknowledged.get(id), committedBytes.get(id), storeCall);
    }

    /** Runs one store call; once it returns, {@code id} must show {@code after} (part bytes {@code bytes}). */
    private <T> T call(String name, UploadId id, StoredView after, byte[] bytes, StoreCall<T> storeCall)
            throws IOException {
        boolean aimed = name.equals(aimedCall);
        if (aimed) {
            arm.run();
        }
        callInFlight = name;
        idInFlight = id;
        ifItReturns = after;
        bytesIfItReturns = bytes;
        long changesBefore = changesMade.getAsLong();
        T result = storeCall.run();
        if (aimed) {
            disarm.run();
        }
        lastChanges.put(name, changesMade.getAsLong() - changesBefore);
        acknowledged.put(id, after);
        committedBytes.put(id, bytes);
        callInFlight = null;
        idInFlight = null;
        return result;
    }
}
