package org.resumableupload.core;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.resumableupload.store.UploadId;

/** The {@link Locker} of one node: locks in this JVM's memory. Thread-safe. */
public final class MemoryLocker implements Locker {
    private final Map<UploadId, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicBoolean housekeeping = new AtomicBoolean();

    /** One id's lock: who holds it, and the ticket of the newest request that wants it. */
    private static final class Slot {
        Held holder;
        long newestTicket;
        long nextTicket;
        int users; // holders and waiters; the slot is dropped at 0
    }

    private final class Held implements Lock {
        private final UploadId id;
        private final Slot slot;
        private final Runnable onReleaseRequested;
        private final AtomicBoolean releaseRequested = new AtomicBoolean();
        private boolean released;

        Held(UploadId id, Slot slot, Runnable onReleaseRequested) {
            this.id = id;
            this.slot = slot;
            this.onReleaseRequested = onReleaseRequested;
        }

        void requestRelease() {
            if (releaseRequested.compareAndSet(false, true)) {
                onReleaseRequested.run();
            }
        }

        @Override
        public void release() {
            synchronized (slot) {
                if (released) {
                    return;
                }
                released = true;
                slot.holder = null;
                leave(id, slot);
                slot.notifyAll();
            }
        }
    }

    @Override
    public Lock lock(UploadId id, Runnable onReleaseRequested, Duration wait) throws UploadException {
        Slot slot = join(id);
        long ticket;
        Held holder;
        synchronized (slot) {
            ticket = ++slot.nextTicket;
            slot.newestTicket = ticket;
            holder = slot.holder;
            slot.notifyAll(); // an older waiter gives up now, not when its wait runs out
        }
        if (holder != null) {
            holder.requestRelease(); // outside the slot's monitor: the holder's stop takes its own locks
        }
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (slot) {
            while (true) {
                if (slot.newestTicket != ticket) {
                    leave(id, slot);
                    slot.notifyAll();
                    throw new UploadException(ErrorCode.SUPERSEDED);
                }
                if (slot.holder == null) {
                    Held held = new Held(id, slot, onReleaseRequested);
                    slot.holder = held;
                    return held;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    leave(id, slot);
                    throw new UploadException(ErrorCode.BUSY);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(slot, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    leave(id, slot);
                    throw new UploadException(ErrorCode.SHUTTING_DOWN);
                }
            }
        }
    }

    @Override
    public Optional<Lock> tryLock(UploadId id) {
        Slot slot = join(id);
        synchronized (slot) {
            if (slot.holder != null || slot.users > 1) { // held, or someone waits for it
                leave(id, slot);
                return Optional.empty();
            }
            Held held = new Held(id, slot, () -> { });
            slot.holder = held;
            return Optional.of(held);
        }
    }

    @Override
    public Optional<Lock> tryLockHousekeeping() {
        if (!housekeeping.compareAndSet(false, true)) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                housekeeping.set(false);
            }
        });
    }

    /** How many ids have a holder or a waiter (for tests: released locks leave nothing behind). */
    int slotsInUse() {
        return slots.size();
    }

    private Slot join(UploadId id) {
        while (true) {
            Slot slot = slots.computeIfAbsent(id, ignored -> new Slot());
            synchronized (slot) {
                if (slots.get(id) == slot) {
                    slot.users++;
                    return slot;
                }
            }
            // dropped by its last user meanwhile: take the fresh one
        }
    }

    // Caller holds the slot's monitor.
    private void leave(UploadId id, Slot slot) {
        if (--slot.users == 0) {
            slots.remove(id, slot);
        }
    }
}
