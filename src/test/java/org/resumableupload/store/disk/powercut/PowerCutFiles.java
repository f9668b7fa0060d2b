package org.resumableupload.store.disk.powercut;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import org.resumableupload.store.disk.DiskFiles;

/**
 * The disk store's files on a {@link PowerCutDisk}, for one power-on: what a store built now uses. After
 * {@link PowerCutDisk#cut()} this mount and every channel it opened throw {@link PowerCutException},
 * as a process that died with the machine does nothing more; the next power-on takes a new
 * {@link PowerCutDisk#mount()}.
 */
public final class PowerCutFiles implements DiskFiles {
    private final PowerCutDisk disk;
    private final SimulatedTree tree;
    private final long powerOn;

    PowerCutFiles(PowerCutDisk disk, SimulatedTree tree, long powerOn) {
        this.disk = disk;
        this.tree = tree;
        this.powerOn = powerOn;
    }

    /** The disk this mount is on. */
    public PowerCutDisk disk() {
        return disk;
    }

    void alive() throws PowerCutException {
        disk.checkAlive(powerOn);
    }

    void operation(String what, Path path) throws PowerCutException {
        disk.operation(powerOn, what, path);
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        return tree.open(this, file, options);
    }

    @Override
    public void moveAtomically(Path source, Path target) throws IOException {
        tree.move(this, source, target);
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return tree.delete(this, path);
    }

    @Override
    public Path createDirectories(Path dir) throws IOException {
        return tree.createDirectories(this, dir);
    }

    @Override
    public DirectoryStream<Path> list(Path dir, String glob) throws IOException {
        return tree.list(this, dir, glob);
    }

    @Override
    public boolean exists(Path path) {
        return tree.exists(this, path, false);
    }

    @Override
    public boolean isDirectory(Path path) {
        return tree.exists(this, path, true);
    }

    @Override
    public long size(Path file) throws IOException {
        return tree.size(this, file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        tree.syncDirectory(this, dir);
    }

    @Override
    public long usableSpace(Path path) throws IOException {
        alive();
        return tree.usableSpace();
    }
}
