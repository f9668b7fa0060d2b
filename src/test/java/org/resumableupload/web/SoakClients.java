package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * A soak's clients at work, one thread per {@link SoakUpload}, shared by {@link CrashSoakIT} and
 * {@link PowerCutSoakIT}: started together, awaited, and checked against what is stored.
 */
final class SoakClients implements AutoCloseable {
    private final List<SoakUpload> uploads;
    private final ExecutorService threads;
    private final CountDownLatch done;
    private final List<Future<?>> results = new ArrayList<>();

    /** Starts every upload on its own thread. */
    SoakClients(List<SoakUpload> uploads) {
        this.uploads = List.copyOf(uploads);
        this.threads = Executors.newFixedThreadPool(uploads.size());
        this.done = new CountDownLatch(uploads.size());
        for (SoakUpload upload : uploads) {
            results.add(threads.submit(() -> {
                try {
                    upload.run();
                    return null;
                } finally {
                    done.countDown();
                }
            }));
        }
    }

    /** Waits up to {@code millis} for every upload to end; true if they all did. */
    boolean allEndedWithin(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    /** How many uploads are sending a request body right now. */
    long sending() {
        return uploads.stream().filter(upload -> upload.sending).count();
    }

    /** Every upload finished within {@code nanos}, and none of their clients failed an assertion. */
    void assertAllFinished(long nanos) throws Exception {
        assertTrue(done.await(nanos, TimeUnit.NANOSECONDS), "every upload finished in time");
        for (Future<?> result : results) {
            result.get(); // rethrows a client's assertion failure
        }
    }

    /** Every file as stored is byte-identical to what was sent, and no part is left over. */
    void assertStoredWhole(Path storage, RawClient owner) throws Exception {
        for (SoakUpload upload : uploads) {
            upload.verifyOnDisk(storage, owner);
        }
        try (Stream<Path> parts = Files.list(storage.resolve("parts"))) {
            assertEquals(List.of(), parts.toList(), "every upload completed: no parts are left");
        }
    }

    /** The sum of {@code figure} over every upload. */
    long total(ToLongFunction<SoakUpload> figure) {
        return uploads.stream().mapToLong(figure).sum();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
