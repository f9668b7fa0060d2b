package org.resumableupload.web;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the integration tests against one shared server share: a {@link TestServer} with default
 * settings on a new storage directory, started before the class's first test and stopped after its
 * last (also when a test fails). Each test makes its own {@link UploadClient} (so its own owner).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerTestSupport {
    /** The server's {@code upload.dir}. */
    Path storage;
    TestServer server;

    @BeforeAll
    void startServer(@TempDir Path storageDir) throws Exception {
        storage = storageDir;
        server = TestServer.start(storage);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
