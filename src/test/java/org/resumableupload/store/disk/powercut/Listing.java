package org.resumableupload.store.disk.powercut;

import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** A directory listing taken at once, so later changes of the directory do not show in it. */
final class Listing implements DirectoryStream<Path> {
    private final List<Path> entries;
    private boolean used;

    Listing(List<Path> entries) {
        this.entries = entries;
    }

    @Override
    public Iterator<Path> iterator() {
        if (used) {
            throw new IllegalStateException("a directory stream is iterated once");
        }
        used = true;
        return entries.iterator();
    }

    @Override
    public void close() {
        used = true;
    }
}
