package org.resumableupload.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UploadStore} on storage that can lose power must keep through a power cut: every
 * offset a commit acknowledged, with exactly the bytes sent; every acknowledged completion, whole, with
 * its SHA-256; every acknowledged deletion. A subclass puts the store on storage whose power it can cut
 * at an exact point (a simulated disk), so the cuts land between any two changes the store makes:
 * between a data force and its record, during a record's rename, in the middle of a completion, during
 * the recovery after an earlier cut.
 *
 * <p>Seeded: {@code -Dpowercut.seed=N} repeats a run ({@code -Dpowercut.cuts=N} sets how many cuts).
 */
public abstract class UploadStorePowerCutContractTest {
    private static final int UPLOADS = 4;
    private static final int STEPS_TO_A_POINT = 200;
    // A point the random run did not reach (its call is rarer) gets this many more cuts aimed at it alone.
    private static final int EXTRA_CUTS_PER_MISSED_POINT = 40;
    // The calls that change storage, as the workload names them; the list weights them.
    private static final List<String> CALLS = List.of("complete", "complete", "complete again", "complete again",
            "commit", "commit", "first commit", "createPart", "deletePart", "openAppender", "close",
            "discardUncommitted", "force");

    /**
     * What a power cut left.
     *
     * @param restarted      a new store over what survived, as a restart opens it ({@link UploadStore#recover()}
     *                       not called yet)
     * @param failedAt       where the power failed, in the storage's terms with names reduced to their
     *                       shape ({@code "force parts/ID.GEN.data"}), or null if the cut came between calls
     * @param bytesDropped   bytes written that no force covered, thrown away
     * @param entriesUndone  names created, renamed or deleted that no sync covered, undone
     */
    public record PowerCut(UploadStore restarted, String failedAt, long bytesDropped, int entriesUndone) {
    }

    /** A new, empty store on storage that can lose power. */
    protected abstract UploadStore newStore() throws IOException;

    /** Finishes what the cut interrupted, as the store does at start-up (the disk store's recover()). */
    protected abstract void recover(UploadStore restarted) throws IOException;

    /**
     * Lets the next {@code succeeding} changes to the storage happen and fails the power at the one after
     * ({@code Long.MAX_VALUE}: never): from then on every call of the store throws an {@link IOException}.
     */
    protected abstract void failPowerAfter(long succeeding);

    /**
     * Fails the power at the next change to the storage that {@link PowerCut#failedAt()} would describe
     * as {@code point} (null: at none): from then on every call of the store throws an {@link IOException}.
     */
    protected abstract void failPowerAt(String point);

    /** Changes made to the storage so far, as {@link #failPowerAfter} counts them. */
    protected abstract long storageChanges();

    /** Whether the power failed (so that an {@link IOException} is the failure, not a fault of the store). */
    protected abstract boolean powerFailed();

    /** Cuts the power (failed or not) and opens a store over what survived. */
    protected abstract PowerCut cutPower() throws IOException;

    /**
     * Where the storage is most fragile, as {@code "call: failedAt"} (the store call in flight and
     * {@link PowerCut#failedAt()}): a share of the cuts aims at each in turn, and the power must have
     * failed at every one of them in a run (so a store that stops making one of these changes fails too).
     */
    protected abstract Set<String> fragilePoints();

    @Test
    void everyAcknowledgedOffsetCompletionAndDeletionSurvivesPowerCutsAtAnyPoint() throws IOException {
        long seed = Long.getLong("powercut.seed", System.nanoTime());
        int cuts = Integer.getInteger("powercut.cuts", 200);
        String repeat = "seed " + seed + " (repeat with -Dpowercut.seed=" + seed + ")";
        System.out.println(getClass().getSimpleName() + " " + repeat);
        long started = System.nanoTime();
        PowerCutWorkload workload = new PowerCutWorkload(seed, UPLOADS, newStore(), this::storageChanges);
        List<String> fragile = new ArrayList<>(new TreeSet<>(fragilePoints()));
        Random random = new Random(seed);
        Map<String, Integer> failures = new TreeMap<>();
        Map<String, Integer> changesInto = new TreeMap<>();
        long bytesDropped = 0;
        long entriesUndone = 0;
        int cutsInRecovery = 0;
        int targeted = 0;
        int cut = 0;
        while (true) {
            cut++;
            int kind = random.nextInt(10);
            String missedPoint = null;
            if (cut > cuts) {
                // The planned cuts are done: each fragile point they never hit (its call is rarer) gets
                // cuts aimed at it alone, so that reaching every point does not depend on the seed's luck.
                Set<String> missed = new TreeSet<>(fragile);
                missed.removeAll(failures.keySet());
                if (missed.isEmpty() || cut > cuts + fragile.size() * EXTRA_CUTS_PER_MISSED_POINT) {
                    break;
                }
                missedPoint = missed.iterator().next();
                kind = 2;
            }
            boolean atAPoint = kind >= 2; // else between two calls
            if (kind >= 2 && kind < 5) {
                // Each fragile point in turn.
                String[] point = (missedPoint != null ? missedPoint : fragile.get(targeted++ % fragile.size()))
                        .split(": ", 2);
                workload.aimAt(point[0], () -> failPowerAt(point[1]), () -> failPowerAt(null));
            } else if (kind >= 5) {
                // Each kind of call fails in turn at its first change, its second, ... up to as many as it
                // made last time.
                String call = CALLS.get(random.nextInt(CALLS.size()));
                int into = changesInto.merge(call, 1, Integer::sum) - 1;
                workload.aimAt(call, () -> failPowerAfter(into % workload.lastChanges(call)),
                        () -> failPowerAfter(Long.MAX_VALUE));
            }
            try {
                // A store that no longer makes the change aimed at ends up cut between calls.
                workload.run(atAPoint ? STEPS_TO_A_POINT : 1 + random.nextInt(4));
            } catch (IOException | AssertionError | RuntimeException e) {
                if (!(e instanceof IOException) || !powerFailed()) {
                    throw new AssertionError(repeat + ", cut " + cut + ", in " + workload.callInFlight() + ": " + e, e);
                }
            }
            String call = workload.callInFlight();
            PowerCut power = cutPower();
            boolean recovered = false;
            if (random.nextInt(4) == 0) {
                failPowerAfter(random.nextInt(12)); // and again during the recovery
                try {
                    recover(power.restarted());
                } catch (IOException e) {
                    if (!powerFailed()) {
                        throw new AssertionError(repeat + ", cut " + cut + ", recovering: " + e, e);
                    }
                }
                if (powerFailed()) { // thrown, or swallowed where recovery skips what it cannot read
                    cutsInRecovery++;
                    bytesDropped += power.bytesDropped();
                    entriesUndone += power.entriesUndone();
                    power = cutPower();
                    failures.merge("recover: " + power.failedAt(), 1, Integer::sum);
                } else {
                    recovered = true;
                }
                failPowerAfter(Long.MAX_VALUE);
            }
            if (!recovered) {
                recover(power.restarted());
            }
            bytesDropped += power.bytesDropped();
            entriesUndone += power.entriesUndone();
            failures.merge((call == null ? "between calls" : call) + ": " + power.failedAt(), 1, Integer::sum);
            try {
                workload.verifyAndContinueOn(power.restarted(), repeat + ", cut " + cut + " at " + call + ": "
                        + power.failedAt());
            } catch (AssertionError | IOException e) {
                throw new AssertionError(repeat + ", cut " + cut + " at " + call + ": " + power.failedAt() + ": "
                        + e.getMessage() + "\nfailures so far: " + failures, e);
            }
        }
        System.out.printf("%s %s: %d cuts (%d during recovery), %d commits, %d completions, %d deletions"
                        + " acknowledged and kept; %d unforced bytes and %d unsynced entries thrown away; %.1f s%n",
                getClass().getSimpleName(), repeat, cut - 1, cutsInRecovery, workload.commitsAcknowledged,
                workload.completionsAcknowledged, workload.deletionsAcknowledged, bytesDropped, entriesUndone,
                (System.nanoTime() - started) / 1e9);
        failures.forEach((point, count) -> System.out.printf("  %4d  %s%n", count, point));
        Set<String> missed = new TreeSet<>(fragilePoints());
        missed.removeAll(failures.keySet());
        assertEquals(Set.of(), missed, repeat + ": the power never failed at these points");
        assertTrue(bytesDropped > 0 && entriesUndone > 0, "the cuts threw something away");
    }
}
