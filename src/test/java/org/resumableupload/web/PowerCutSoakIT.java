package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.core.OwnerTokens;
import org.resumableupload.core.UploadSettings;
import org.resumableupload.store.disk.DiskUploadStore;
import org.resumableupload.store.disk.powercut.CutReport;
import org.resumableupload.store.disk.powercut.PowerCutDisk;

/**
 * The crash soak's workload ({@link CrashSoakIT}) with power cuts instead of SIGKILLs: parallel uploads
 * against the servlets over a disk store on a {@link PowerCutDisk}, in this JVM. At random moments the
 * power fails (from then on nothing reaches the disk and every request in flight fails), the server is
 * stopped, the disk is cut back to what forces and directory syncs covered, and a new server with a new
 * store starts over it (recovering first, as the webapp does). A SIGKILL keeps the page cache; this
 * does not, so a missing or misordered force shows here. No byte the server ever confirmed may be
 * missing afterwards, and every upload must end byte-identical, also after one more cut once all of
 * them are complete.
 *
 * <p>Seeded: {@code -Dsoak.seed=N} repeats a run (as far as thread timing allows); the seed is printed.
 */
class PowerCutSoakIT {
    private static final int UPLOADS = 12;
    private static final int MIN_CUTS = 5;
    private static final int MAX_CUTS = 7;
    private static final int MB = 1 << 20;
    private static final long SLOW_BYTES_PER_SECOND = MB;
    private static final long FAST_BYTES_PER_SECOND = 8L * MB;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(50);

    @TempDir
    Path tempDir;

    private final byte[] ownerKey = new byte[OwnerTokens.KEY_BYTES];
    private final long started = System.nanoTime();
    private PowerCutDisk disk;
    private Path storage;
    private volatile int port;
    private volatile boolean fast;

    @Test
    void parallelUploadsSurviveRepeatedPowerCutsAndEndByteIdentical() throws Exception {
        long seed = Long.getLong("soak.seed", System.currentTimeMillis());
        System.out.println("PowerCutSoakIT seed " + seed + " (repeat with -Dsoak.seed=" + seed + ")");
        Random random = new Random(seed);
        new SecureRandom().nextBytes(ownerKey);
        disk = new PowerCutDisk(Files.createDirectories(tempDir.resolve("disk")));
        storage = disk.root().resolve("storage");

        StoreTestServer server = startServer();
        RawClient owner = RawClient.newOwner(port);
        List<SoakUpload> uploads = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            // One large upload guarantees the soak outlasts the minimum number of cuts.
            long size = i == 0 ? 10L * MB + random.nextInt(2 * MB) : MB / 2 + random.nextInt(6 * MB);
            int chunk = (128 << 10) + random.nextInt(2 * MB);
            uploads.add(new SoakUpload("PowerCutSoakIT", i, seed, size, i % 4 == 1, chunk, owner.token(),
                    () -> port, started + DEADLINE_NANOS, () -> fast ? FAST_BYTES_PER_SECOND : SLOW_BYTES_PER_SECOND));
        }
        SoakClients clients = new SoakClients(uploads);

        int cuts = 0;
        int cutsMidRequest = 0;
        long bytesThrownAway = 0;
        long entriesUndone = 0;
        try {
            while (cuts < MAX_CUTS && !clients.allEndedWithin(300 + random.nextInt(1000))) {
                long inFlight = clients.sending();
                if (cuts % 2 == 1) {
                    // At an exact change the store makes besides writing bytes (a data force, a record's
                    // write, force, rename or directory sync, ...) rather than at any instant.
                    AtomicInteger changesLeft = new AtomicInteger(random.nextInt(12));
                    disk.failAt(change -> !change.startsWith("write ") && changesLeft.getAndDecrement() == 0);
                    waitForThePowerToFail();
                }
                CutReport cut = cutPower(server);
                cuts++;
                cutsMidRequest += inFlight > 0 ? 1 : 0;
                bytesThrownAway += cut.bytesUnforced();
                entriesUndone += cut.entriesUndone();
                System.out.printf("PowerCutSoakIT cut %d at %.1f s (%s) with %d requests in flight: %d unforced"
                                + " bytes in %d files and %d unsynced entries thrown away%n", cuts, seconds(),
                        cut.tripPoint() == null ? "any instant" : "at " + cut.tripPoint(), inFlight,
                        cut.bytesUnforced(), cut.filesReverted(), cut.entriesUndone());
                if (cuts >= MIN_CUTS) {
                    fast = true;
                }
                server = startServer();
            }
            fast = true;
            clients.assertAllFinished(DEADLINE_NANOS);
            // Completed uploads must survive a cut too: the completions were acknowledged.
            CutReport last = cutPower(server);
            System.out.printf("PowerCutSoakIT last cut, every upload complete: %d unforced bytes and %d unsynced"
                    + " entries thrown away%n", last.bytesUnforced(), last.entriesUndone());
            server = startServer();
        } finally {
            clients.close();
            server.close();
        }

        long bytesLost = clients.total(u -> u.bytesLost);
        clients.assertStoredWhole(storage, owner);
        System.out.printf("PowerCutSoakIT seed %d: %d uploads (%.1f MiB, %.1f MiB sent), %d power cuts survived"
                        + " (%d with requests in flight; %.1f MiB unforced and %d unsynced entries thrown away),"
                        + " %d resumes from status, %d bytes lost, all byte-identical, %.1f s%n",
                seed, UPLOADS, clients.total(u -> u.size) / (double) MB,
                clients.total(u -> u.bytesSent) / (double) MB, cuts, cutsMidRequest,
                bytesThrownAway / (double) MB, entriesUndone, clients.total(u -> u.resumes),
                bytesLost, seconds());
        assertTrue(cutsMidRequest >= MIN_CUTS, "cut at least " + MIN_CUTS
                + " times while requests were in flight, was " + cutsMidRequest);
        assertTrue(bytesThrownAway > 0, "the cuts threw unforced bytes away");
        assertEquals(0, bytesLost, "bytes the server had confirmed went missing");
    }

    /** The power fails, the server stops (its requests failing), the disk keeps what was durable. */
    private CutReport cutPower(StoreTestServer server) throws Exception {
        disk.failNow();
        server.close();
        return disk.cut();
    }

    private void waitForThePowerToFail() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!disk.powerIsOut() && System.nanoTime() < deadline) {
            Thread.sleep(5); // polling the simulated disk: it has no way to signal
        }
    }

    /** A new store over what the disk holds, recovered as the webapp does, served on a new port. */
    private StoreTestServer startServer() throws Exception {
        DiskUploadStore store = new DiskUploadStore(storage, Runnable::run, disk.mount());
        store.recover();
        // Long single requests make durable progress every MiB, as in the crash soak.
        StoreTestServer server = StoreTestServer.start(store, Map.of(UploadSettings.CHECKPOINT_BYTES, "1M"), ownerKey);
        port = server.port();
        return server;
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
