package org.resumableupload.store.disk.powercut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A disk that can lose power, simulated over a real directory: the real files are what the running
 * system sees (the page cache), and beside them the disk keeps what would be left after a power cut.
 * A file's content is durable as of its last completed force; a directory's entries (files and
 * directories created in it, renamed into or out of it, deleted from it) as of its last sync.
 * {@link #cut()} throws away everything else, rewriting the real directory to that image, so that a
 * store opened afterwards reads real files.
 *
 * <p>Software runs on a {@link #mount()}; a cut ends the mount and every channel it opened (they throw
 * {@link PowerCutException}), as the process that used them died with the machine. {@link #failAfter}
 * and {@link #failNow()} switch the power off at an exact point or at a moment of the test's choosing;
 * every access then throws until the cut.
 *
 * <p>Everything under the directory must go through the mounts: the cut checks that the real directory
 * holds exactly the names the mounts made, and fails otherwise. What is there when the disk is made
 * counts as durable. Thread-safe.
 */
public final class PowerCutDisk {
    private final Path root;
    private final Shadows shadows;
    private final AtomicLong operations = new AtomicLong();
    private final AtomicReference<String> tripPoint = new AtomicReference<>();
    private volatile long powerOn;
    private volatile long failAt = Long.MAX_VALUE;
    private volatile Predicate<String> failAtPoint;
    private volatile boolean powerOut;
    private SimulatedTree running; // guarded by this

    /**
     * A disk over the existing directory {@code root}; the durable image is kept in a new directory
     * beside it.
     *
     * @throws IOException if {@code root} is not a directory or the image cannot be made
     */
    public PowerCutDisk(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(this.root, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotDirectoryException(this.root.toString());
        }
        Path image = Files.createTempDirectory(this.root.getParent(), this.root.getFileName() + ".durable-");
        this.shadows = new Shadows(image);
        this.running = SimulatedTree.adopt(this.root, shadows);
    }

    /** The real directory the disk simulates. */
    public Path root() {
        return root;
    }

    /**
     * The files as software started now sees them, until the next {@link #cut()}.
     *
     * @throws IllegalStateException if the power is out (cut first)
     */
    public synchronized PowerCutFiles mount() {
        if (powerOut) {
            throw new IllegalStateException("the power is out: cut() first");
        }
        return new PowerCutFiles(this, running, powerOn);
    }

    /**
     * Lets the next {@code succeeding} changes happen (opening for writing, writing, truncating, forcing,
     * renaming, deleting, creating a directory, syncing one) and switches the power off at the one after:
     * that one throws {@link PowerCutException} without taking effect, and so does every access after it.
     * {@code Long.MAX_VALUE} disarms: the power does not fail.
     */
    public void failAfter(long succeeding) {
        if (succeeding < 0) {
            throw new IllegalArgumentException("succeeding < 0");
        }
        long now = operations.get();
        failAt = succeeding >= Long.MAX_VALUE - now - 1 ? Long.MAX_VALUE : now + succeeding + 1;
    }

    /**
     * Switches the power off at the next change that {@code point} accepts, described as
     * {@code "what path"} ({@code "force store/parts/x.data"}): the path relative to the root,
     * {@code "."} for the root itself; what is open, write, truncate, force, force-data, move, delete,
     * mkdir or sync. That change does not take effect, and every access after it throws.
     */
    public void failAt(Predicate<String> point) {
        failAtPoint = point;
    }

    /** Switches the power off now: every access from here on throws {@link PowerCutException}. */
    public void failNow() {
        powerOut = true;
    }

    /** Changes made so far (as {@link #failAfter} counts them), over every power-on. */
    public long operations() {
        return operations.get();
    }

    /** Whether the power is off (a {@link #failAfter} point was reached, or {@link #failNow()}). */
    public boolean powerIsOut() {
        return powerOut;
    }

    /**
     * The power cut: every mount and channel so far is dead, and the real directory is rewritten to
     * the durable image (each file as of its last force, each directory's entries as of its last sync).
     * The power is on again afterwards, for a new {@link #mount()}.
     *
     * @return what was thrown away
     * @throws IllegalStateException if the real directory was changed around the mounts
     * @throws IOException           if the real directory cannot be rewritten
     */
    public synchronized CutReport cut() throws IOException {
        powerOn++;
        SimulatedTree ended = running;
        ended.end();
        CutReport report = ended.loss(tripPoint.getAndSet(null));
        running = ended.nextPowerOn();
        failAt = Long.MAX_VALUE;
        failAtPoint = null;
        powerOut = false;
        return report;
    }

    void checkAlive(long mountPowerOn) throws PowerCutException {
        if (mountPowerOn != powerOn) {
            throw new PowerCutException("this mount ended in a power cut");
        }
        if (powerOut) {
            throw new PowerCutException("the power is out");
        }
    }

    /** A change is about to be made: counted, and refused if the power is out or fails at it. */
    void operation(long mountPowerOn, String what, Path path) throws PowerCutException {
        checkAlive(mountPowerOn);
        String relative = root.relativize(path.toAbsolutePath().normalize()).toString();
        String point = what + " " + (relative.isEmpty() ? "." : relative);
        Predicate<String> failsHere = failAtPoint;
        if (operations.incrementAndGet() >= failAt || (failsHere != null && failsHere.test(point))) {
            tripPoint.compareAndSet(null, point);
            powerOut = true;
            throw new PowerCutException("the power failed at " + point);
        }
    }
}
