package org.resumableupload.core;

import org.resumableupload.store.UploadId;

/**
 * Held around reading an upload's records without its lock ({@link Uploads#find}, which status requests
 * and the checks before a lock call) and around completing it. The store expects one caller per id at
 * a time: reading a part's record finishes a completion it finds under way, so a read beside a running
 * completion would finish it twice (a 500 for both requests). Striped: ids that share a stripe wait for
 * each other only around short reads.
 */
final class RecordGuards {
    private static final int STRIPES = 64;

    private final Object[] stripes = new Object[STRIPES];

    RecordGuards() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /** The monitor to hold for {@code id}. */
    Object of(UploadId id) {
        return stripes[Math.floorMod(id.hashCode(), stripes.length)];
    }
}
