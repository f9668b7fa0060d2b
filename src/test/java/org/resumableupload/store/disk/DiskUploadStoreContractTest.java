package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.AppenderContractTest;
import org.resumableupload.store.CompletedUploadContractTest;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.UploadStoreContractTest;

/**
 * The store contract against the disk store, forcing in the background on a thread of its own as the
 * server does; a restart is a new store over the same directory.
 */
class DiskUploadStoreContractTest {
    @TempDir
    Path tempDir;

    private ExecutorService forces;

    @BeforeEach
    void startForces() {
        forces = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "test-forces");
            thread.setDaemon(true);
            return thread;
        });
    }

    // Not shutdownNow: an interrupt would close the data file of a force in flight.
    @AfterEach
    void stopForces() {
        forces.shutdown();
    }

    private UploadStore openStore() throws IOException {
        return new DiskUploadStore(tempDir.resolve("store"), forces);
    }

    @Nested
    class Parts extends UploadStoreContractTest {
        @Override
        protected UploadStore newStore() throws IOException {
            return openStore();
        }

        @Override
        protected UploadStore reopenStore() throws IOException {
            return openStore();
        }
    }

    @Nested
    class Appenders extends AppenderContractTest {
        @Override
        protected UploadStore newStore() throws IOException {
            return openStore();
        }

        @Override
        protected UploadStore reopenStore() throws IOException {
            return openStore();
        }
    }

    @Nested
    class Completions extends CompletedUploadContractTest {
        @Override
        protected UploadStore newStore() throws IOException {
            return openStore();
        }

        @Override
        protected UploadStore reopenStore() throws IOException {
            return openStore();
        }
    }
}
