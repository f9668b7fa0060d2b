package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.resumableupload.web.UploadClient.jsonString;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sha256Hex;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.support.CephRgw;

/** One upload through two nodes on a real Ceph RGW, alternating request by request, byte-identical. */
@Timeout(180)
class CephTwoNodesIT {
    @Test
    void anUploadAlternatingTwoNodesOnCephEndsByteIdenticalWithItsSha256(@TempDir Path dir) throws Exception {
        Map<String, String> settings = new HashMap<>(CephRgw.shared().nodeSettings("nodes-" + UUID.randomUUID() + "/"));
        settings.put("upload.s3.partSize", "5M");
        byte[] file = randomBytes(12 * 1024 * 1024 + 3, 71);
        String fileId = "ceph.bin-" + file.length + "-1";
        int[] cuts = {0, 2 * 1024 * 1024, 6 * 1024 * 1024 + 1, 9 * 1024 * 1024, file.length};
        try (TestServer a = TestServer.start(dir.resolve("a"), settings);
             TestServer b = TestServer.start(dir.resolve("b"), settings)) {
            UploadClient client = new UploadClient(a);
            HttpResponse<String> last = null;
            for (int i = 0; i + 1 < cuts.length; i++) {
                client.use(i % 2 == 0 ? a : b);
                assertEquals(cuts[i], client.offset(fileId), "the node reports what Ceph holds");
                last = client.postRange(fileId, file, cuts[i], cuts[i + 1], "X-File-Size", Integer.toString(file.length));
                assertEquals(i + 2 == cuts.length ? 200 : 204, last.statusCode(), last.body());
            }
            assertEquals(sha256Hex(file), jsonString(last.body(), "sha256"));
            client.use(a);
            assertArrayEquals(file, client.sendForBytes(
                    client.request("/files/" + jsonString(last.body(), "id")).GET().build()).body());
        }
    }
}
