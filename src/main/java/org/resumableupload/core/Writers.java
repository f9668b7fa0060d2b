package org.resumableupload.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions writing on this node: for the idle sweep and for shutdown. Thread-safe. */
final class Writers {
    private final Set<WriteSession> writing = ConcurrentHashMap.newKeySet();

    void began(WriteSession session) {
        writing.add(session);
    }

    void ended(WriteSession session) {
        writing.remove(session);
    }

    /** Stops every session that wrote nothing for longer than {@code idleTimeout} (IDLE_TIMEOUT). */
    void stopIdle(Duration idleTimeout) {
        long now = System.nanoTime();
        for (WriteSession session : writing) {
            if (now - session.lastActivityNanos() > idleTimeout.toNanos()) {
                session.stop(ErrorCode.IDLE_TIMEOUT);
            }
        }
    }

    /** Stops every session (SHUTTING_DOWN); each keeps what it stored. */
    void stopAll() {
        for (WriteSession session : new ArrayList<>(writing)) {
            session.stop(ErrorCode.SHUTTING_DOWN);
        }
    }
}
