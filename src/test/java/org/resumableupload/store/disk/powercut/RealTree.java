package org.resumableupload.store.disk.powercut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The walks over the real directory a simulated disk makes when it starts and at a cut. */
final class RealTree {
    private RealTree() {
    }

    /** The entries of a real directory, sorted by name. */
    static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> listed = Files.list(dir)) {
            return listed.sorted().toList();
        }
    }

    /** Where the real directory {@code dir} differs from the tree {@code tree}: names, files or directories. */
    static List<String> differences(Path dir, SimulatedDirectory tree) throws IOException {
        List<String> found = new ArrayList<>();
        Set<String> real = new TreeSet<>();
        for (Path entry : entries(dir)) {
            String name = entry.getFileName().toString();
            real.add(name);
            Node node = tree.entries.get(name);
            boolean isDirectory = Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
            if (node == null) {
                found.add(entry + " was made");
            } else if (isDirectory != node instanceof SimulatedDirectory) {
                found.add(entry + " changed between file and directory");
            } else if (node instanceof SimulatedDirectory child) {
                found.addAll(differences(entry, child));
            }
        }
        for (String name : tree.entries.keySet()) {
            if (!real.contains(name)) {
                found.add(dir.resolve(name) + " was removed");
            }
        }
        return found;
    }

    /** What a cut now would throw away from {@code tree}, the real directory {@code dir}. */
    static CutReport loss(Path dir, SimulatedDirectory tree, String tripPoint) throws IOException {
        long[] counts = new long[3]; // entries undone, files reverted, bytes unforced
        count(dir, tree, counts, new IdentityHashMap<>());
        return new CutReport(tripPoint, (int) counts[0], (int) counts[1], counts[2]);
    }

    private static void count(Path dir, SimulatedDirectory tree, long[] counts, Map<Node, Boolean> seen)
            throws IOException {
        Set<String> names = new TreeSet<>(tree.entries.keySet());
        names.addAll(tree.durableEntries.keySet());
        for (String name : names) {
            Node now = tree.entries.get(name);
            if (now != tree.durableEntries.get(name)) {
                counts[0]++;
            }
            if (now instanceof SimulatedDirectory child) {
                count(dir.resolve(name), child, counts, seen);
            } else if (now instanceof SimulatedFile file && seen.put(file, true) == null && file.changedSinceForce()) {
                counts[1]++;
                counts[2] += file.unforcedBytes(Files.size(dir.resolve(name)));
            }
        }
    }

    /**
     * Makes the real directory {@code dir}, which holds {@code running} now, hold {@code durable}: names
     * no sync covered go, names that went come back, files changed since their last force get their
     * durable content back. A file left as it was keeps its real file; one under several names gets hard
     * links, as one file it stays.
     *
     * @param running   what {@code dir} holds now, or null if it was just made empty
     * @param survivors each file of {@code running} that survives, and what it survives as
     * @param written   the real name already holding each surviving file
     */
    static void restore(Path dir, SimulatedDirectory running, SimulatedDirectory durable,
                        Map<SimulatedFile, SimulatedFile> survivors, Map<SimulatedFile, Path> written)
            throws IOException {
        Map<String, Node> now = running == null ? Map.of() : running.entries;
        for (Map.Entry<String, Node> entry : now.entrySet()) {
            Node kept = durable.entries.get(entry.getKey());
            if (kept == null || kept instanceof SimulatedDirectory != entry.getValue() instanceof SimulatedDirectory) {
                deleteTree(dir.resolve(entry.getKey()));
            }
        }
        for (Map.Entry<String, Node> entry : durable.entries.entrySet()) {
            Path path = dir.resolve(entry.getKey());
            Node before = now.get(entry.getKey());
            if (entry.getValue() instanceof SimulatedDirectory child) {
                if (!(before instanceof SimulatedDirectory)) {
                    Files.createDirectory(path);
                }
                restore(path, before instanceof SimulatedDirectory same ? same : null, child, survivors, written);
                continue;
            }
            SimulatedFile file = (SimulatedFile) entry.getValue();
            Path first = written.get(file);
            if (first == null && before instanceof SimulatedFile old && survivors.get(old) == file
                    && !old.changedSinceForce()) {
                written.put(file, path); // its real content is its durable content
                continue;
            }
            if (before instanceof SimulatedFile) {
                Files.delete(path);
            }
            if (first != null) {
                Files.createLink(path, first);
            } else {
                file.restoreTo(path);
                written.put(file, path);
            }
        }
    }

    private static void deleteTree(Path top) throws IOException {
        List<Path> inside;
        try (Stream<Path> walk = Files.walk(top)) {
            inside = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : inside) {
            Files.delete(path);
        }
    }
}
