package org.resumableupload.store.disk.powercut;

import java.nio.file.Path;

/** Where a simulated disk keeps the durable content of its files: one new name per file. */
final class Shadows {
    private final Path dir;
    private long made;

    Shadows(Path dir) {
        this.dir = dir;
    }

    synchronized Path next() {
        return dir.resolve(Long.toString(++made));
    }
}
