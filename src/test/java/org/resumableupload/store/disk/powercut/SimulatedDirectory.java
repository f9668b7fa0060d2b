package org.resumableupload.store.disk.powercut;

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
}
