package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.web.RawHttp;
import org.resumableupload.web.TestServer;

/** The 104 (Upload Resumption Supported) on embedded Jetty: whole, with its fields, before the body is read. */
class IetfInterimIT {

    @Test
    void aCreationNamingInteropVersion9Gets104WithLocationLimitAndVersionBeforeItSendsItsBody(@TempDir Path storage)
            throws Exception {
        try (TestServer server = TestServer.start(storage, Map.of("upload.maxSize", "1G", "upload.expireAfter", "1h"));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(RawHttp.head("POST /uploads/ HTTP/1.1", "Host: 127.0.0.1", "Upload-Complete: ?1",
                    "Upload-Draft-Interop-Version: 9", "Content-Length: 10"));
            out.flush();

            RawHttp.Response interim = RawHttp.readOne(in, "POST");
            assertEquals(104, interim.status(), interim.toString());
            String location = interim.header("Location").orElseThrow();
            assertTrue(location.matches("/uploads/[0-9a-f]{64}"), location);
            assertEquals("max-size=1073741824, max-age=3600", interim.header("Upload-Limit").orElseThrow());
            assertEquals("9", interim.header("Upload-Draft-Interop-Version").orElseThrow());

            out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawHttp.Response done = RawHttp.readOne(in, "POST");
            assertEquals(200, done.status(), done.toString());
            assertEquals("?1", done.header("Upload-Complete").orElseThrow());
            assertEquals(location, done.header("Location").orElseThrow());
        }
    }
}
