package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.UploadClient.await;
import static org.resumableupload.web.UploadClient.jsonString;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Hex;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.support.S3ProxyServer;
import org.resumableupload.web.RawHttp.Response;
import org.resumableupload.web.ietf.IetfWire;
import org.resumableupload.web.tus.TusJob;
import org.resumableupload.web.tus.TusJsClient;
import org.resumableupload.web.tus.TusJsResult;

/**
 * Two app nodes (JVMs of their own) on one S3 bucket (S3Proxy in this JVM) behind haproxy, round robin
 * without stickiness: uploads through every front end alternate nodes request by request and end
 * byte-identical; a node killed with SIGKILL mid-request is taken over within 5 s; two requests for
 * one upload on two nodes leave one writer; S3 stopped mid-upload gives 503s, then the upload resumes.
 */
@Timeout(300)
class ScaleOutIT {
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;
    static S3ProxyServer s3;
    static AppNode nodeA;
    static AppNode nodeB;
    static Haproxy balancer;

    @BeforeAll
    static void startCluster() throws Exception {
        s3 = S3ProxyServer.start(dir.resolve("s3"));
        Map<String, String> settings = new HashMap<>(s3.nodeSettings("cluster/"));
        settings.put("upload.s3.partSize", "5M");
        settings.put("upload.s3.requestTimeout", "4s");
        nodeA = new AppNode(dir.resolve("a"), Haproxy.freePort(), settings).start();
        nodeB = new AppNode(dir.resolve("b"), Haproxy.freePort(), settings).start();
        balancer = Haproxy.start(dir.resolve("haproxy"), List.of(nodeA.port(), nodeB.port()));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {balancer, nodeA, nodeB, s3}) {
            if (part != null) {
                part.close();
            }
        }
    }

    private static HttpResponse<byte[]> download(UploadClient client, String id) {
        return client.sendForBytes(client.request("/files/" + id).GET().build());
    }

    /** Streams {@code file} in small pieces until the other node reports a whole part stored, then stops. */
    private static void sendUntilCommitted(UploadClient.RawConnection body, byte[] file, UploadClient other,
                                           String fileId) throws Exception {
        int sent = 0;
        while (other.offset(fileId) < 5 * MIB) {
            assertTrue(sent < 12 * MIB, "nothing was committed after " + sent + " bytes");
            body.send(file, sent, 256 * 1024);
            sent += 256 * 1024;
            Thread.sleep(sent > 5 * MIB ? 50 : 0);
        }
    }

    @Test
    void anArticleUploadInRequestsAlternatingNodesEndsByteIdenticalWithItsSha256() {
        UploadClient client = new UploadClient(balancer);
        byte[] file = randomBytes(13 * MIB + 77, 61);
        String fileId = "alternating.bin-" + file.length + "-1";
        int[] cuts = {0, 3 * MIB, 6 * MIB + 5, 11 * MIB, file.length};
        HttpResponse<String> last = null;
        for (int i = 0; i + 1 < cuts.length; i++) {
            assertEquals(cuts[i], client.offset(fileId), "every node reports what S3 holds");
            last = client.postRange(fileId, file, cuts[i], cuts[i + 1], "X-File-Size", Integer.toString(file.length));
            assertEquals(i + 2 == cuts.length ? 200 : 204, last.statusCode(), last.body());
        }

        assertEquals(sha256Hex(file), jsonString(last.body(), "sha256"));
        assertArrayEquals(file, download(client, jsonString(last.body(), "id")).body());
        assertArrayEquals(file, download(client, jsonString(last.body(), "id")).body(), "from the other node too");
    }

    @Test
    void anIetfUploadAppendedThroughBothNodesCompletesByteIdentical() {
        IetfWire owner = IetfWire.newOwner(balancer.port());
        byte[] file = randomBytes(11 * MIB + 3, 62);
        String upload = IetfWire.created(owner.createIncomplete(java.util.Arrays.copyOf(file, 2 * MIB)));
        Response append = owner.patch(upload, 2 * MIB, java.util.Arrays.copyOfRange(file, 2 * MIB, 8 * MIB), false);
        assertEquals(204, append.status(), append::toString);
        assertEquals(8 * MIB, owner.head(upload).uploadOffset());
        assertEquals(8 * MIB, owner.head(upload).uploadOffset(), "the other node says the same");

        Response done = owner.patch(upload, 8 * MIB, java.util.Arrays.copyOfRange(file, 8 * MIB, file.length), true);

        assertEquals(200, done.status(), done::toString);
        assertArrayEquals(file, owner.download(upload));
    }

    @Test
    void tusJsClientInChunksThroughTheBalancerEndsByteIdentical() throws Exception {
        byte[] bytes = randomBytes(12 * MIB + 9, 63);
        Path file = Files.write(dir.resolve("tus.bin"), bytes);
        UploadClient owner = new UploadClient(balancer);
        Map<String, String> cookie = Map.of("Cookie", "upload-owner=" + owner.ownerToken());

        TusJsResult result = TusJsClient.inBuildDirectory().run(
                TusJob.create(balancer.uri("/tus/"), file).headers(cookie).chunkSize(2 * MIB));

        assertEquals("success", result.outcome(), result::toString);
        assertTrue(result.exchanges("PATCH").size() >= 6, result::toString);
        HttpResponse<byte[]> download = owner.sendForBytes(
                owner.request(result.uploadUrl().getPath()).GET().build());
        assertEquals(200, download.statusCode());
        assertArrayEquals(bytes, download.body());
    }

    @Test
    void aNodeKilledMidRequestIsTakenOverWithinFiveSecondsAndTheUploadEndsByteIdentical() throws Exception {
        byte[] file = randomBytes(16 * MIB + 11, 64);
        String fileId = "killed.bin-" + file.length + "-1";
        UploadClient viaB = new UploadClient(nodeA); // one owner, on either node
        UploadClient.RawConnection streaming = viaB.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Content-Length", Integer.toString(file.length));
        viaB.use(nodeB);
        sendUntilCommitted(streaming, file, viaB, fileId); // a commit comes with the writes after a part is in S3

        nodeA.kill();
        try {
            long stored = viaB.offset(fileId);
            long started = System.nanoTime();
            HttpResponse<String> resumed = viaB.postRange(fileId, file, (int) stored, file.length);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(200, resumed.statusCode(), resumed.body());
            assertTrue(tookMillis < 5_000 + 2_000, "the dead node's lock held the upload " + tookMillis + " ms");
            System.out.printf("ScaleOutIT: resumed on node B %d ms after node A was killed holding the lock%n",
                    tookMillis);
            assertEquals(sha256Hex(file), jsonString(resumed.body(), "sha256"));
            assertArrayEquals(file, download(viaB, jsonString(resumed.body(), "id")).body());
        } finally {
            streaming.close();
            nodeA.start();
        }
    }

    @Test
    void twoRequestsForOneUploadOnTwoNodesLeaveOneWriterAndNoInterleavedBytes() throws Exception {
        byte[] file = randomBytes(12 * MIB + 5, 65);
        String fileId = "contended.bin-" + file.length + "-1";
        UploadClient onB = new UploadClient(nodeA); // one owner, on either node
        try (UploadClient.RawConnection first = onB.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "X-File-Size", Integer.toString(file.length), "Content-Length", Integer.toString(file.length))) {
            onB.use(nodeB);
            sendUntilCommitted(first, file, onB, fileId); // then it stalls, holding the lock on node A

            long stored = onB.offset(fileId);
            HttpResponse<String> second = onB.postRange(fileId, file, (int) stored, file.length,
                    "X-File-Size", Integer.toString(file.length));
            if (second.statusCode() == 409) {
                // Taking over made node A's writer stop and commit what it had: resume from there.
                long afterTakeover = onB.offset(fileId);
                assertTrue(afterTakeover >= stored, "the stopped writer kept its bytes");
                second = onB.postRange(fileId, file, (int) afterTakeover, file.length,
                        "X-File-Size", Integer.toString(file.length));
            }

            assertEquals(200, second.statusCode(), second.body());
            assertEquals(sha256Hex(file), jsonString(second.body(), "sha256"), "one writer: nothing interleaved");
            assertArrayEquals(file, download(onB, jsonString(second.body(), "id")).body());
        }
    }

    @Test
    void s3StoppedMidUploadAnswers503WithRetryAfterThenTheUploadResumesWithNothingLost() throws Exception {
        UploadClient client = new UploadClient(balancer);
        byte[] file = randomBytes(9 * MIB + 1, 66);
        String fileId = "outage.bin-" + file.length + "-1";
        assertEquals(204, client.postRange(fileId, file, 0, 3 * MIB, "X-File-Size", Integer.toString(file.length))
                .statusCode());

        s3.stop();
        UploadClient.Reply refused;
        try {
            refused = client.postRangeRaw(fileId, file, 3 * MIB, 6 * MIB, "X-File-Size", Integer.toString(file.length));
        } finally {
            s3.restart();
        }

        assertEquals(503, refused.status(), refused::toString);
        assertTrue(refused.headers().containsKey("Retry-After"), refused::toString);
        assertEquals(3 * MIB, client.offset(fileId), "the offset is exactly what S3 holds");
        HttpResponse<String> done = client.postRange(fileId, file, 3 * MIB, file.length,
                "X-File-Size", Integer.toString(file.length));
        assertEquals(200, done.statusCode(), done.body());
        assertArrayEquals(file, download(client, jsonString(done.body(), "id")).body());
        assertTrue(Files.exists(dir), "cluster dir kept for the logs");
    }
}
