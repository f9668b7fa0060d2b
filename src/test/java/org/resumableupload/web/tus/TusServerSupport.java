package org.resumableupload.web.tus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.web.TestServer;

/**
 * What the tus integration tests share: the real webapp in an embedded Jetty ({@link TestServer}) on
 * a new storage directory, with a 1 GiB upload limit (so {@code Tus-Max-Size} is a known number) and
 * incomplete uploads expiring after an hour (so {@code Upload-Expires} is a known time). Each test
 * makes its own {@link TusWire} owners.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TusServerSupport {
    static final long MAX_SIZE = 1L << 30;
    static final Duration EXPIRE_AFTER = Duration.ofHours(1);

    TestServer server;

    @BeforeAll
    void startServer(@TempDir Path storage) throws Exception {
        server = TestServer.start(storage, Map.of("upload.maxSize", "1G", "upload.expireAfter", "1h"));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    TusWire newOwner() {
        return TusWire.newOwner(server.port());
    }

    TusWire ownerWithCookie() {
        return TusWire.ownerWithCookie(server.port());
    }
}
