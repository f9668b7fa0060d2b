package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Hex;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Downloads racing re-uploads of the same id for ten seconds: every answer is one uploaded version,
 * whole, whose {@code ETag} and length are those of exactly the bytes sent; a range with a stale
 * {@code If-Range} gets the current version whole, never two versions stitched together; no 5xx.
 */
@Timeout(90)
class DownloadsDuringReuploadIT extends ServerTestSupport {
    private static final Logger LOG = Logger.getLogger(DownloadsDuringReuploadIT.class.getName());
    private static final Duration RACE = Duration.ofSeconds(10);
    private static final String FILE_ID = "report.bin";
    private static final int DOWNLOADERS = 3;

    /** A download checked against the versions; null if it was right, else what was wrong. */
    private String check(HttpResponse<byte[]> download, Map<String, byte[]> versionsByEtag, String staleEtag) {
        String etag = download.headers().firstValue("ETag").orElse("");
        byte[] version = versionsByEtag.get(etag);
        if (download.statusCode() == 200) {
            if (version == null) {
                return "200 with an ETag of no uploaded version: " + etag;
            }
            if (!Arrays.equals(version, download.body())) {
                return "200 whose body is not the version its ETag names (" + download.body().length + " bytes)";
            }
            return null;
        }
        if (download.statusCode() == 206) {
            // Only a range of the version If-Range named may be answered partially.
            if (!etag.equals(staleEtag) || version == null) {
                return "206 for a range of another version than If-Range named: " + etag;
            }
            return Arrays.equals(Arrays.copyOfRange(version, 100, 200), download.body()) ? null
                    : "206 whose bytes are not that version's";
        }
        return "status " + download.statusCode() + ": " + new String(download.body());
    }

    private static String etagOf(byte[] content) {
        return '"' + sha256Hex(content) + '"';
    }

    @Test
    void everyDownloadDuringReuploadsIsOneVersionWholeMatchingItsEtag() throws Exception {
        UploadClient owner = new UploadClient(server);
        // Versions of different lengths and bytes, so a mix or a cut shows.
        List<byte[]> versions = List.of(randomBytes(1_500_000, 1), randomBytes(900_000, 2), randomBytes(2_100_000, 3));
        Map<String, byte[]> byEtag = new ConcurrentHashMap<>();
        versions.forEach(v -> byEtag.put(etagOf(v), v));
        HttpResponse<String> first = owner.post(FILE_ID, 0, versions.get(0));
        assertEquals(200, first.statusCode(), first::body);
        String path = "/files/" + UploadClient.jsonString(first.body(), "id");
        String staleEtag = etagOf(versions.get(0));

        long until = System.nanoTime() + RACE.toNanos();
        AtomicInteger reuploads = new AtomicInteger();
        AtomicInteger downloads = new AtomicInteger();
        AtomicInteger ranged = new AtomicInteger();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(DOWNLOADERS + 1);
        try {
            List<Future<?>> running = new ArrayList<>();
            running.add(threads.submit(() -> {
                for (int i = 1; System.nanoTime() < until; i++) {
                    HttpResponse<String> done = owner.post(FILE_ID, 0, versions.get(i % versions.size()));
                    if (done.statusCode() != 200) {
                        wrong.add("re-upload answered " + done.statusCode() + ": " + done.body());
                    }
                    reuploads.incrementAndGet();
                }
            }));
            for (int d = 0; d < DOWNLOADERS; d++) {
                boolean withStaleRange = d == 0;
                running.add(threads.submit(() -> {
                    while (System.nanoTime() < until) {
                        HttpRequest.Builder get = owner.request(path).GET();
                        if (withStaleRange) {
                            get.header("Range", "bytes=100-199").header("If-Range", staleEtag);
                            ranged.incrementAndGet();
                        }
                        try {
                            String problem = check(owner.sendForBytes(get.build()), byEtag, staleEtag);
                            if (problem != null) {
                                wrong.add(problem);
                            }
                        } catch (java.io.UncheckedIOException cut) {
                            wrong.add("download cut short: " + cut.getCause().getMessage());
                        }
                        downloads.incrementAndGet();
                    }
                }));
            }
            for (Future<?> task : running) {
                task.get();
            }
        } finally {
            threads.shutdownNow();
        }

        LOG.info(() -> downloads + " downloads (" + ranged + " with a stale If-Range) during " + reuploads
                + " re-uploads in " + RACE.toSeconds() + " s");
        assertTrue(reuploads.get() >= 10 && downloads.get() >= 100,
                "the race ran: " + reuploads + " re-uploads, " + downloads + " downloads");
        assertEquals(List.of(), wrong.subList(0, Math.min(wrong.size(), 10)), wrong.size() + " wrong answers");
    }
}
