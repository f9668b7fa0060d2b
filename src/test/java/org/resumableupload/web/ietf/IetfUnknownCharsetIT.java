package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.web.RawHttp;
import org.resumableupload.web.TestServer;

/**
 * A {@code Content-Type} naming a charset the JVM does not know (Jetty's {@code getContentType()}
 * throws on it) is a media type like any other: the upload goes ahead, never a 500 with a stack trace.
 * Found by the fuzz (HostileInputIT).
 */
class IetfUnknownCharsetIT {
    private static final String UNKNOWN_CHARSET = "; charset=no-such-charset";

    @Test
    void aCreationWhoseContentTypeNamesAnUnknownCharsetIsStoredLikeAnyOther(@TempDir Path storage) throws Exception {
        try (TestServer server = TestServer.start(storage)) {
            RawHttp.Response created = send(server, "POST", RawHttp.concat(RawHttp.head("POST /uploads/ HTTP/1.1",
                    "Host: 127.0.0.1", "Upload-Complete: ?1", "Content-Type: text/plain" + UNKNOWN_CHARSET,
                    "Content-Length: 5", "Connection: close"), bytes("hello")));

            assertEquals(200, created.status(), created.toString());
            assertEquals("?1", created.header("Upload-Complete").orElseThrow());
            assertEquals("5", created.header("Upload-Offset").orElseThrow());
        }
    }

    @Test
    void anAppendWhoseContentTypeNamesAnUnknownCharsetIsAnAppendLikeAnyOther(@TempDir Path storage) throws Exception {
        try (TestServer server = TestServer.start(storage)) {
            RawHttp.Response created = send(server, "POST", RawHttp.head("POST /uploads/ HTTP/1.1", "Host: 127.0.0.1",
                    "Upload-Complete: ?0", "Content-Length: 0", "Connection: close"));
            assertEquals(201, created.status(), created.toString());
            String location = created.header("Location").orElseThrow();

            String owner = "Cookie: " + created.all("Set-Cookie").get(0).split(";", 2)[0];

            RawHttp.Response appended = send(server, "PATCH", RawHttp.concat(RawHttp.head("PATCH " + location
                    + " HTTP/1.1", "Host: 127.0.0.1", owner, "Upload-Offset: 0", "Upload-Complete: ?1",
                    "Content-Type: application/partial-upload" + UNKNOWN_CHARSET, "Content-Length: 5",
                    "Connection: close"), bytes("hello")));

            assertEquals(200, appended.status(), appended.toString());
            assertEquals("5", appended.header("Upload-Offset").orElseThrow());
        }
    }

    private static RawHttp.Response send(TestServer server, String method, byte[] request) throws Exception {
        return RawHttp.exchange(server.port(), request, method, 10_000).responses().stream()
                .filter(r -> r.status() >= 200).findFirst().orElseThrow();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
