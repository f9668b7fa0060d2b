package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.randomBytes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.FaultInjectingUploadStore;
import org.resumableupload.store.disk.DiskUploadStore;
import org.resumableupload.store.disk.OwnerKeyFile;

/**
 * A server stopped and a new one started on the same directory keeps every upload: the offset, and the
 * running SHA-256, resumed from the state saved with the offset (the stored prefix is not read again),
 * so the completion digest is right. Restarts of each container
 * (also during a request) are in {@link DeployedProtocolContract}.
 */
@Timeout(60)
class RestartIT {
    @TempDir
    Path storage;

    @Test
    void articleUploadCutThenRestartedTwiceResumesToAnIdenticalFile() throws Exception {
        byte[] file = randomBytes(700_000, 51);
        String fileId = "movie.mkv-700000-1700000000000";
        UploadClient client;
        try (TestServer first = TestServer.start(storage)) {
            client = new UploadClient(first);
            client.postAndCut(fileId, file, 0, 123_457);
            await("the cut body is stored", () -> client.offset(fileId) == 123_457);
        }
        try (TestServer second = TestServer.start(storage)) {
            client.use(second);
            assertEquals(123_457, client.offset(fileId));
            client.postAndCut(fileId, file, 123_457, 200_000);
            await("the second cut body is stored", () -> client.offset(fileId) == 323_457);
        }
        try (TestServer third = TestServer.start(storage)) {
            client.use(third);
            assertEquals(323_457, client.offset(fileId));
            assertCompleted(client.postRange(fileId, file, 323_457, file.length), file, storage);
        }
    }

    @Test
    void tenConcurrentResumesAfterARestartReadNoneOfTheStoredPrefix() throws Exception {
        byte[] file = randomBytes(8 << 20, 52);
        int stored = 6 << 20;
        RawClient client;
        try (TestServer first = TestServer.start(storage)) {
            client = RawClient.newOwner(first.port());
            assertEquals(204, client.upload("big.bin", 0, file.length, Arrays.copyOf(file, stored)).status());
        }
        FaultInjectingUploadStore store = new FaultInjectingUploadStore(new DiskUploadStore(storage));
        AtomicInteger prefixReads = new AtomicInteger();
        store.beforeReadPart(() -> {
            prefixReads.incrementAndGet();
            pause(Duration.ofSeconds(2)); // were the prefix read, the other resumes would arrive meanwhile
        });
        try (StoreTestServer restarted = StoreTestServer.start(store, Map.of(), OwnerKeyFile.loadOrCreate(storage))) {
            RawClient resuming = client.on(restarted.port());
            ExecutorService requests = Executors.newFixedThreadPool(10);
            List<Future<RawHttp.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(requests.submit(() -> resuming.upload("big.bin", stored, file.length, new byte[0])));
            }
            int resumed = 0;
            for (Future<RawHttp.Response> answer : answers) {
                RawHttp.Response response = answer.get(30, TimeUnit.SECONDS);
                // An empty resume may be taken over by a newer one before it answers: 409, offset kept.
                assertTrue(response.status() == 204 || response.status() == 409, response::toString);
                assertEquals(Optional.of(Integer.toString(stored)), response.header("Upload-Offset"),
                        response::toString);
                resumed += response.status() == 204 ? 1 : 0;
            }
            requests.shutdown();

            assertTrue(resumed >= 1, "at least the newest resume is answered 204");
            assertEquals(0, prefixReads.get(), "ten resumes, the digest resumed from its saved state each time");
            RawHttp.Response done = resuming.upload("big.bin", stored, file.length,
                    Arrays.copyOfRange(file, stored, file.length));
            assertEquals(200, done.status(), done::toString);
            assertTrue(done.text().contains("\"sha256\":\"" + RawClient.sha256Hex(file) + "\""), done.text());
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
