package org.resumableupload.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.resumableupload.core.FreeSpace;
import org.resumableupload.core.Locker;
import org.resumableupload.core.MemoryLocker;
import org.resumableupload.core.UploadSettings;
import org.resumableupload.lock.s3.S3Locker;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.disk.DiskUploadStore;
import org.resumableupload.store.disk.OwnerKeyFile;
import org.resumableupload.store.s3.S3Clients;
import org.resumableupload.store.s3.S3OwnerKey;
import org.resumableupload.store.s3.S3Settings;
import org.resumableupload.store.s3.S3UploadStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the uploads are kept, as {@code upload.store} says: the local disk (the default; one node), or
 * an S3-compatible object store (any number of nodes, coordinated through the bucket). Holds the
 * store, the locker, the free-space check, the owner-cookie key and the settings the core runs with,
 * and closes what it opened.
 */
final class Backend implements AutoCloseable {
    static final String STORE = "upload.store";
    /** How long a replaced or deleted completed object stays for downloads under way (S3 only). */
    static final Duration DOWNLOAD_GRACE = Duration.ofHours(1);

    final UploadSettings settings;
    final UploadStore store;
    final Locker locker;
    final FreeSpace freeSpace;
    final byte[] ownerKey;
    final String description;
    private final ExecutorService threads;
    private final AutoCloseable closing;

    private Backend(UploadSettings settings, UploadStore store, Locker locker, FreeSpace freeSpace, byte[] ownerKey,
                    String description, ExecutorService threads, AutoCloseable closing) {
        this.settings = settings;
        this.store = store;
        this.locker = locker;
        this.freeSpace = freeSpace;
        this.ownerKey = ownerKey;
        this.description = description;
        this.threads = threads;
        this.closing = closing;
    }

    /**
     * Opens the configured store.
     *
     * @throws IllegalArgumentException naming a setting that cannot be used
     * @throws IOException if the store cannot be opened (the directory, or the bucket)
     */
    static Backend open(Function<String, String> lookup, Clock clock) throws IOException {
        String kind = String.valueOf(lookup.apply(STORE)).strip().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "null", "", "disk" -> disk(UploadSettings.from(lookup));
            case "s3" -> s3(lookup, clock);
            default -> throw new IllegalArgumentException(STORE + ": disk or s3, not " + lookup.apply(STORE));
        };
    }

    private static Backend disk(UploadSettings settings) throws IOException {
        byte[] ownerKey = OwnerKeyFile.loadOrCreate(settings.storageDir());
        ExecutorService forces = pool("upload-force", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        DiskUploadStore store = new DiskUploadStore(settings.storageDir(), forces);
        store.recover();
        return new Backend(settings, store, new MemoryLocker(), store::usableSpace, ownerKey,
                "storing under " + settings.storageDir().toAbsolutePath(), forces, () -> { });
    }

    private static Backend s3(Function<String, String> lookup, Clock clock) throws IOException {
        S3Settings s3 = S3Settings.from(lookup);
        // Commit once per part: a part boundary costs one small record write, and a part's bytes are then
        // released; between boundaries a commit would store a tail again.
        Function<String, String> core = key -> UploadSettings.CHECKPOINT_BYTES.equals(key) && lookup.apply(key) == null
                ? Long.toString(s3.partSize()) : lookup.apply(key);
        UploadSettings settings = UploadSettings.from(core);
        ExecutorService senders = pool("upload-s3-part", 64);
        S3Client client = S3Clients.client(s3, 64);
        S3Client data = S3Clients.client(s3, 512);
        try {
            byte[] ownerKey = S3OwnerKey.loadOrCreate(client, s3);
            S3UploadStore store = new S3UploadStore(client, data, s3, senders);
            S3Locker locker = new S3Locker(client, s3.bucket(), s3.prefix() + "locks/", s3.lockLease());
            return new Backend(settings, store, locker, FreeSpace.UNLIMITED, ownerKey,
                    "storing in s3://" + s3.bucket() + "/" + s3.prefix() + s3.endpoint().map(e -> " at " + e).orElse(""),
                    senders, () -> {
                        locker.close();
                        client.close();
                        data.close();
                    });
        } catch (IOException | RuntimeException e) {
            client.close();
            data.close();
            senders.shutdown();
            throw e;
        }
    }

    /** Store housekeeping beside the core's sweep: objects of replaced versions past their grace. */
    void housekeep(Clock clock) throws IOException {
        if (store instanceof S3UploadStore s3) {
            s3.purgeRetiredBefore(clock.instant().minus(DOWNLOAD_GRACE));
        }
    }

    @Override
    public void close() {
        try {
            closing.close();
        } catch (Exception e) {
            // Closing at shutdown: nothing left to tell the client.
        }
        threads.shutdown();
    }

    // Waiting on I/O, not the CPU: a few threads keep it busy for many uploads. Idle threads end after a while.
    private static ExecutorService pool(String name, int threads) {
        AtomicInteger made = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, name + "-" + made.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
