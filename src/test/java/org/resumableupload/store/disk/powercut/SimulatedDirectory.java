package org.resumableupload.store.disk.powercut;

import java.util.Map;
import java.util.TreeMap;

/**
 * A directory on the simulated disk: its entries as the running system sees them, and the entries
 * as of its last sync, which are what a power cut leaves. Guarded by the disk's lock.
 */
final class SimulatedDirectory implements Node {
    // Sorted, so that listings (and with them a seeded test's run) do not depend on hash order.
    final TreeMap<String, Node> entries = new TreeMap<>();
    TreeMap<String, Node> durableEntries = new TreeMap<>();

    void sync() {
        durableEntries = new TreeMap<>(entries);
    }

    /**
     * This directory as a power cut leaves it, for the next power-on: its entries as of its last sync,
     * directories likewise, each file as {@code survivors} maps it (added there if new, so that a file
     * under two names stays one).
     */
    SimulatedDirectory durableCopy(Map<SimulatedFile, SimulatedFile> survivors) {
        SimulatedDirectory copy = new SimulatedDirectory();
        for (Map.Entry<String, Node> entry : durableEntries.entrySet()) {
            Node node = entry.getValue() instanceof SimulatedDirectory child ? child.durableCopy(survivors)
                    : survivors.computeIfAbsent((SimulatedFile) entry.getValue(), SimulatedFile::reborn);
            copy.entries.put(entry.getKey(), node);
        }
        copy.sync();
        return copy;
    }
}
