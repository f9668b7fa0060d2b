package org.resumableupload.store.disk.powercut;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file of the simulated disk, by identity (an inode: renames and extra names keep it): the content
 * it would have after a power cut, kept in a shadow file outside the simulated directory, and the lowest
 * offset changed since. The real file under the simulated directory is what the running system sees.
 *
 * <p>Both {@code force(true)} and {@code force(false)} make the content and the length durable, as
 * {@code fsync} and {@code fdatasync} do on Linux (the length is metadata needed to read the data back).
 * Neither makes a name durable: that takes a sync of the directory.
 */
final class SimulatedFile implements Node {
    private static final long UNCHANGED = Long.MAX_VALUE;
    private static final int COPY_BYTES = 256 << 10;

    private final Path shadow;
    private long durableLength;
    private long changedFrom = UNCHANGED;

    private SimulatedFile(Path shadow, long durableLength) {
        this.shadow = shadow;
        this.durableLength = durableLength;
    }

    /** A new, empty file: a power cut leaves it empty until a force. */
    static SimulatedFile created(Path shadow) throws IOException {
        Files.createFile(shadow);
        return new SimulatedFile(shadow, 0);
    }

    /** A file that was on the disk before the simulation started: all of it is durable. */
    static SimulatedFile existing(Path real, Path shadow) throws IOException {
        Files.copy(real, shadow);
        return new SimulatedFile(shadow, Files.size(shadow));
    }

    /** Bytes from {@code offset} on may differ from the forced content now (written or truncated away). */
    synchronized void changed(long offset) {
        changedFrom = Math.min(changedFrom, offset);
    }

    /**
     * Makes what {@code real} holds durable, after {@code check} says the power is still on. Copies only
     * what changed since the last force; a write running meanwhile marks its bytes changed after it
     * returns, so the next force copies them again if this one missed them.
     */
    synchronized void force(FileChannel real, PowerCutFiles check) throws IOException {
        check.alive();
        long from = Math.min(changedFrom, durableLength);
        changedFrom = UNCHANGED;
        long size = real.size();
        try (FileChannel image = FileChannel.open(shadow, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(COPY_BYTES);
            for (long at = from; at < size; ) {
                buffer.clear().limit((int) Math.min(COPY_BYTES, size - at));
                int n = real.read(buffer, at);
                if (n < 0) {
                    break; // truncated meanwhile: the truncation marked itself changed
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    image.write(buffer, at + buffer.position());
                }
                at += n;
            }
            image.truncate(size);
        }
        durableLength = size;
    }

    /** Bytes written since the last force, given the real file's length now; 0 if nothing changed. */
    synchronized long unforcedBytes(long realSize) {
        return changedFrom == UNCHANGED ? 0 : Math.max(0, realSize - changedFrom);
    }

    synchronized boolean changedSinceForce() {
        return changedFrom != UNCHANGED;
    }

    /**
     * The same durable content as a file of the next power-on. Waits for a force in progress; this object
     * is dead afterwards (the mount of its channels is, so they never force again).
     */
    synchronized SimulatedFile reborn() {
        return new SimulatedFile(shadow, durableLength);
    }

    /** Closes a channel on this file once no force is reading through it (at a cut). */
    synchronized void closeBetweenForces(FileChannel real) {
        try {
            real.close();
        } catch (IOException ignored) {
            // closing only releases the descriptor
        }
    }

    /** Writes the durable content to {@code real} (a power-on). */
    synchronized void restoreTo(Path real) throws IOException {
        try (FileChannel image = FileChannel.open(shadow, StandardOpenOption.READ);
             FileChannel restored = FileChannel.open(real, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < durableLength; ) {
                long copied = image.transferTo(at, durableLength - at, restored);
                if (copied <= 0) {
                    throw new IOException("the durable image of " + real + " is shorter than " + durableLength);
                }
                at += copied;
            }
        }
    }

    /** Drops the shadow of a file no power cut can bring back any more. */
    synchronized void discard() throws IOException {
        Files.deleteIfExists(shadow);
    }
}
