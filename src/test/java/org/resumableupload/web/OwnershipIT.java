package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.resumableupload.web.UploadClient.assertStored;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forged and missing owner cookies. Two owners (two cookie jars) using one X-File-Id are in
 * {@link DeployedProtocolContract}, which runs in every container.
 */
@Timeout(60)
class OwnershipIT extends ServerTestSupport {
    @Test
    void aForgedOrMissingCookieIsANewOwnerThatSeesNothing() throws Exception {
        UploadClient alice = new UploadClient(server);
        String fileId = "secret.txt-1000-1";
        assertStored(alice.post(fileId, 0, new byte[400], "X-File-Size", "1000"), 400);

        // A raw request without alice's cookie, or with a malformed one, is somebody else.
        try (UploadClient.RawConnection raw = UploadClient.RawConnection.open(server.port(),
                ("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Id: " + fileId
                        + "\r\nCookie: upload-owner=not-a-token\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            UploadClient.Reply response = raw.response(UploadClient.TIMEOUT);
            assertEquals(200, response.status());
            assertEquals("0", response.body());
            assertEquals(true, response.header("Set-Cookie").startsWith("upload-owner="),
                    "a malformed cookie is replaced by a newly issued one");
        }
        assertEquals(400, alice.offset(fileId));
    }
}
