package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertStored;
import static org.resumableupload.web.UploadClient.randomBytes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many uploads at once, each in a few chunks, all complete byte-identical; and status asked while the
 * same upload completes again and again.
 */
@Timeout(90)
class ParallelUploadsIT {
    private static final int UPLOADS = 16;

    @TempDir
    Path storage;

    @Test
    void sixteenParallelChunkedUploadsAllCompleteByteIdentical() throws Exception {
        try (TestServer server = TestServer.start(storage)) {
            // Four owners, four uploads each, so locks and ids of different owners interleave too.
            List<UploadClient> owners = List.of(new UploadClient(server), new UploadClient(server),
                    new UploadClient(server), new UploadClient(server));
            // First contact one at a time: concurrent first requests would each be issued a new owner.
            owners.forEach(UploadClient::ownerToken);
            Random random = new Random(80);
            List<Callable<String>> uploads = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                UploadClient client = owners.get(i % owners.size());
                byte[] file = randomBytes(1 + random.nextInt(3 << 20), 80 + i);
                int chunks = 2 + random.nextInt(2);
                String fileId = "parallel-" + i + ".bin-" + file.length + "-1700000000000";
                uploads.add(() -> upload(client, fileId, file, chunks));
            }
            ExecutorService pool = Executors.newFixedThreadPool(UPLOADS);
            try {
                List<Future<String>> results = pool.invokeAll(uploads);
                for (int i = 0; i < UPLOADS; i++) {
                    assertEquals("parallel-" + i + ".bin", results.get(i).get(), "upload " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void statusAskedWhileTheSameUploadCompletesOverAndOverIsAlwaysAnsweredAndEveryUploadCompletes()
            throws Exception {
        try (TestServer server = TestServer.start(storage)) {
            RawClient client = RawClient.newOwner(server.port());
            byte[] file = {1, 2, 3};
            ExecutorService poller = Executors.newSingleThreadExecutor();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            Future<Integer> statuses = poller.submit(() -> {
                int answered = 0;
                while (System.nanoTime() < until) {
                    RawHttp.Response status = client.status("again");
                    assertEquals(200, status.status(), status::toString);
                    assertTrue(status.text().equals("0") || status.text().equals("3"), status::toString);
                    answered++;
                }
                return answered;
            });
            int completions = 0;
            try {
                while (System.nanoTime() < until) {
                    // A whole body without X-File-Size completes at once, replacing the completed file.
                    RawHttp.Response done = client.upload("again", 0, -1, file);
                    assertEquals(200, done.status(), done::toString);
                    completions++;
                }
                assertTrue(statuses.get(30, TimeUnit.SECONDS) > 0);
            } finally {
                poller.shutdownNow();
            }
            assertTrue(completions > 10, "only " + completions + " completions");
        }
    }

    private String upload(UploadClient client, String fileId, byte[] file, int chunks) throws Exception {
        String size = Integer.toString(file.length);
        assertEquals(0, client.offset(fileId));
        int from = 0;
        for (int c = 1; c < chunks; c++) {
            int to = (int) ((long) file.length * c / chunks);
            assertStored(client.postRange(fileId, file, from, to, "X-File-Size", size), to);
            assertEquals(to, client.offset(fileId));
            from = to;
        }
        Path completed = assertCompleted(client.postRange(fileId, file, from, file.length, "X-File-Size", size),
                file, storage);
        assertEquals(file.length, client.offset(fileId));
        return completed.getFileName().toString();
    }
}
