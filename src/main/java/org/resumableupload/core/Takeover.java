package org.resumableupload.core;

/**
 * Connects the lock's release request to the session made under it: a newer request may ask for
 * the lock before the session exists, and the session then stops as soon as it does.
 */
final class Takeover {
    private WriteSession session;
    private boolean requested;

    void releaseRequested() {
        WriteSession stopping;
        synchronized (this) {
            requested = true;
            stopping = session;
        }
        if (stopping != null) {
            stopping.stop(ErrorCode.SUPERSEDED);
        }
    }

    WriteSession begun(WriteSession begun) {
        boolean stopNow;
        synchronized (this) {
            session = begun;
            stopNow = requested;
        }
        if (stopNow) {
            begun.stop(ErrorCode.SUPERSEDED);
        }
        return begun;
    }
}
