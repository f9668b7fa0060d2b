package org.resumableupload.support;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that runs nothing until the test says so: background work happens exactly when asked. */
public final class ManualExecutor implements Executor {
    private final Queue<Runnable> queued = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        queued.add(task);
    }

    public synchronized int queued() {
        return queued.size();
    }

    /** Runs every queued task on the calling thread. */
    public void runAll() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queued.poll();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }
}
