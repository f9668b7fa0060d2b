package org.resumableupload.store.disk.powercut;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated disk's directory tree during one power-on, as the running system sees it, kept in step
 * with the real directory: each operation checks the power, is done on the real files, and then
 * recorded here. Its directories also hold their entries as of their last sync, so the durable image
 * can be taken from it at the cut. Guarded by its own lock.
 */
final class SimulatedTree {
    private final Path root;
    private final Shadows shadows;
    private final SimulatedDirectory top;
    private final List<SimulatedFile> files = new ArrayList<>();
    private final Set<PowerCutChannel> openChannels = ConcurrentHashMap.newKeySet();

    private SimulatedTree(Path root, Shadows shadows, SimulatedDirectory top) {
        this.root = root;
        this.shadows = shadows;
        this.top = top;
    }

    /** The tree of what is in {@code root} now, all of it durable. */
    static SimulatedTree adopt(Path root, Shadows shadows) throws IOException {
        SimulatedTree tree = new SimulatedTree(root, shadows, new SimulatedDirectory());
        synchronized (tree) {
            tree.adopt(root, tree.top);
        }
        return tree;
    }

    private void adopt(Path dir, SimulatedDirectory into) throws IOException {
        for (Path entry : RealTree.entries(dir)) {
            Node node;
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                SimulatedDirectory child = new SimulatedDirectory();
                adopt(entry, child);
                node = child;
            } else {
                node = remember(SimulatedFile.existing(entry, shadows.next()));
            }
            into.entries.put(entry.getFileName().toString(), node);
        }
        into.sync();
    }

    /**
     * Ends this power-on, once the power is off for its mounts: closes every channel still open, so
     * nothing reaches the real files through them while they are rewritten.
     *
     * @throws IllegalStateException if the real directory was changed around the mounts
     */
    synchronized void end() throws IOException {
        for (PowerCutChannel channel : openChannels) {
            channel.closeReal();
        }
        openChannels.clear();
        List<String> changedAround = RealTree.differences(root, top);
        if (!changedAround.isEmpty()) {
            throw new IllegalStateException("changed around the simulated disk: " + changedAround);
        }
    }

    /** What the cut after this power-on throws away. */
    synchronized CutReport loss(String tripPoint) throws IOException {
        return RealTree.loss(root, top, tripPoint);
    }

    /** Rewrites the real directory to the durable image and answers the tree of the next power-on over it. */
    synchronized SimulatedTree nextPowerOn() throws IOException {
        Map<SimulatedFile, SimulatedFile> survivors = new IdentityHashMap<>();
        SimulatedTree next = new SimulatedTree(root, shadows, top.durableCopy(survivors));
        RealTree.restore(root, top, next.top, survivors, new IdentityHashMap<>());
        for (SimulatedFile file : files) {
            if (!survivors.containsKey(file)) {
                file.discard();
            }
        }
        next.files.addAll(survivors.values());
        return next;
    }

    // ---- what the mounts and their channels call ------------------------------------------------

    synchronized FileChannel open(PowerCutFiles mount, Path path, OpenOption... options) throws IOException {
        Set<OpenOption> asked = new HashSet<>(Arrays.asList(options));
        boolean append = asked.contains(StandardOpenOption.APPEND);
        boolean writes = append || asked.contains(StandardOpenOption.WRITE);
        Path file = inside(path, false);
        if (writes) {
            mount.operation("open", file);
        } else {
            mount.alive();
        }
        Node existing = find(file);
        if (existing instanceof SimulatedDirectory) {
            throw new FileSystemException(file.toString(), null, "a directory: the simulated disk opens files only");
        }
        checkSameAsReal(file, existing);
        Set<OpenOption> realOptions = new HashSet<>(asked);
        realOptions.remove(StandardOpenOption.APPEND);
        realOptions.add(StandardOpenOption.READ); // a force reads back what it makes durable
        if (append) {
            realOptions.add(StandardOpenOption.WRITE);
        }
        FileChannel real = FileChannel.open(file, realOptions);
        SimulatedFile simulated = (SimulatedFile) existing;
        try {
            if (simulated == null) {
                simulated = remember(SimulatedFile.created(shadows.next()));
                directoryOf(file).entries.put(file.getFileName().toString(), simulated);
            } else if (writes && asked.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
                simulated.changed(0);
            }
        } catch (IOException | RuntimeException e) {
            real.close();
            throw e;
        }
        PowerCutChannel channel = new PowerCutChannel(this, mount, simulated, real, file,
                asked.contains(StandardOpenOption.READ) || !writes, writes, append);
        openChannels.add(channel);
        return channel;
    }

    void closed(PowerCutChannel channel) {
        openChannels.remove(channel);
    }

    synchronized void move(PowerCutFiles mount, Path source, Path target) throws IOException {
        Path from = inside(source, false);
        Path to = inside(target, false);
        mount.operation("move", from);
        Node moved = find(from);
        checkSameAsReal(from, moved);
        checkSameAsReal(to, find(to));
        if (moved instanceof SimulatedDirectory) {
            throw new UnsupportedOperationException("the simulated disk renames files only");
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (moved == find(to)) {
            return; // two names of one file (a cut between the syncs of a rename): rename(2) does nothing
        }
        directoryOf(from).entries.remove(from.getFileName().toString());
        directoryOf(to).entries.put(to.getFileName().toString(), moved);
    }

    synchronized boolean delete(PowerCutFiles mount, Path path) throws IOException {
        Path gone = inside(path, false);
        mount.operation("delete", gone);
        checkSameAsReal(gone, find(gone));
        boolean existed = Files.deleteIfExists(gone);
        if (existed) {
            directoryOf(gone).entries.remove(gone.getFileName().toString());
        }
        return existed;
    }

    synchronized Path createDirectories(PowerCutFiles mount, Path dir) throws IOException {
        Path target = inside(dir, true);
        mount.alive();
        SimulatedDirectory at = top;
        Path walked = root;
        for (int i = 0; i < root.relativize(target).getNameCount() && !target.equals(root); i++) {
            String name = root.relativize(target).getName(i).toString();
            walked = walked.resolve(name);
            Node next = at.entries.get(name);
            if (next == null) {
                checkSameAsReal(walked, null);
                mount.operation("mkdir", walked);
                Files.createDirectory(walked);
                SimulatedDirectory made = new SimulatedDirectory();
                at.entries.put(name, made);
                at = made;
            } else if (next instanceof SimulatedDirectory existing) {
                at = existing;
            } else {
                throw new FileAlreadyExistsException(walked.toString());
            }
        }
        return dir;
    }

    synchronized DirectoryStream<Path> list(PowerCutFiles mount, Path dir, String glob) throws IOException {
        mount.alive();
        Node node = find(inside(dir, true));
        if (node == null) {
            throw new NoSuchFileException(dir.toString());
        }
        if (!(node instanceof SimulatedDirectory directory)) {
            throw new NotDirectoryException(dir.toString());
        }
        PathMatcher matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
        List<Path> matching = new ArrayList<>();
        for (String name : directory.entries.keySet()) {
            if (matcher.matches(Path.of(name))) {
                matching.add(dir.resolve(name));
            }
        }
        return new Listing(matching);
    }

    synchronized boolean exists(PowerCutFiles mount, Path path, boolean directoryOnly) {
        try {
            mount.alive();
        } catch (PowerCutException powerOff) {
            return false; // as Files.exists answers when it cannot tell
        }
        Node node = find(inside(path, true));
        return directoryOnly ? node instanceof SimulatedDirectory : node != null;
    }

    synchronized long size(PowerCutFiles mount, Path file) throws IOException {
        mount.alive();
        Path sized = inside(file, true);
        if (find(sized) == null) {
            throw new NoSuchFileException(file.toString());
        }
        return Files.size(sized);
    }

    synchronized void syncDirectory(PowerCutFiles mount, Path dir) throws IOException {
        Path synced = inside(dir, true);
        mount.operation("sync", synced);
        if (!(find(synced) instanceof SimulatedDirectory directory)) {
            throw new NoSuchFileException(dir.toString());
        }
        directory.sync();
    }

    long usableSpace() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
    }

    // ---- finding entries -------------------------------------------------------------------------

    private Path inside(Path path, boolean rootToo) {
        Path normal = path.toAbsolutePath().normalize();
        if (!normal.startsWith(root) || (!rootToo && normal.equals(root))) {
            throw new IllegalArgumentException(path + " is not inside the simulated disk " + root);
        }
        return normal;
    }

    private Node find(Path path) {
        Node at = top;
        for (Path name : root.relativize(path)) {
            if (name.toString().isEmpty()) {
                continue; // the root itself
            }
            if (!(at instanceof SimulatedDirectory dir) || (at = dir.entries.get(name.toString())) == null) {
                return null;
            }
        }
        return at;
    }

    private SimulatedDirectory directoryOf(Path path) {
        if (find(path.getParent()) instanceof SimulatedDirectory dir) {
            return dir;
        }
        throw new IllegalStateException("changed around the simulated disk: " + path.getParent());
    }

    private void checkSameAsReal(Path path, Node node) {
        if ((node != null) != Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("changed around the simulated disk: " + root.relativize(path)
                    + (node == null ? " exists" : " is missing"));
        }
    }

    private SimulatedFile remember(SimulatedFile file) {
        files.add(file);
        return file;
    }
}
