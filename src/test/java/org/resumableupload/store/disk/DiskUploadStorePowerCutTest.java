package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.UploadStorePowerCutContractTest;
import org.resumableupload.store.disk.powercut.CutReport;
import org.resumableupload.store.disk.powercut.PowerCutDisk;

/** The disk store on a {@link PowerCutDisk}: what survives a power cut is only what it forced and synced. */
class DiskUploadStorePowerCutTest extends UploadStorePowerCutContractTest {
    @TempDir
    Path tempDir;

    private PowerCutDisk disk;
    private Path root;

    @Override
    protected UploadStore newStore() throws IOException {
        disk = new PowerCutDisk(Files.createDirectories(tempDir.resolve("disk")));
        root = disk.root().resolve("store");
        return new DiskUploadStore(root, Runnable::run, disk.mount());
    }

    @Override
    protected void recover(UploadStore restarted) throws IOException {
        ((DiskUploadStore) restarted).recover();
    }

    @Override
    protected void failPowerAfter(long succeeding) {
        disk.failAfter(succeeding);
    }

    @Override
    protected void failPowerAt(String point) {
        disk.failAt(point == null ? null : change -> point.equals(shape(change)));
    }

    @Override
    protected long storageChanges() {
        return disk.operations();
    }

    @Override
    protected boolean powerFailed() {
        return disk.powerIsOut();
    }

    @Override
    protected PowerCut cutPower() throws IOException {
        CutReport report = disk.cut();
        return new PowerCut(new DiskUploadStore(root, Runnable::run, disk.mount()), shape(report.tripPoint()),
                report.bytesUnforced(), report.entriesUndone());
    }

    /** {@code "force store/parts/<id>.<generation>.data"} as {@code "force parts/ID.GEN.data"}. */
    private static String shape(String tripPoint) {
        return tripPoint == null ? null : tripPoint.replace("store/", "").replaceAll("[0-9a-f]{64}", "ID")
                .replaceAll("[0-9a-f]{16}", "GEN").replaceAll("file-[0-9]+\\.bin", "NAME");
    }

    @Override
    protected Set<String> fragilePoints() {
        return Set.of(
                "commit: force-data parts/ID.GEN.data",           // the data force
                "commit: open parts/ID.record.tmp",               // between the data force and its record
                "commit: force parts/ID.record.tmp",              // the record written, not forced
                "commit: move parts/ID.record.tmp",               // the record's rename
                "commit: sync parts",                             // renamed, the rename not durable
                "createPart: sync parts",                         // a new generation's name
                "first commit: delete parts/ID.GEN.data",         // a start-over's first commit: the old generation
                "complete: move parts/ID.record.tmp",             // the record saying "completing"
                "complete: mkdir completed/ID",                   // an id's first completion: its folder
                "complete: move parts/ID.GEN.data",               // the bytes moving to completed/
                "complete: sync completed/ID/GEN",
                "complete: sync completed",                       // the new folder's name
                "complete: open completed/ID.record.tmp",         // the bytes out of parts/, no completed record
                "complete: move completed/ID.record.tmp",         // the completed record
                "complete: delete parts/ID.record",
                "complete again: move parts/ID.GEN.data",
                "complete again: delete completed/ID/GEN/NAME",   // the version it replaces
                "complete again: delete parts/ID.record",
                "deletePart: delete parts/ID.record",
                "deletePart: sync parts");
    }
}
