package org.resumableupload.store;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.disk.DiskUploadStore;

/**
 * While no fault is armed, the fault-injecting decorator is an {@link UploadStore} like any other: the
 * store contract, over a disk store (whose background forces run on the writing thread).
 */
class FaultInjectingUploadStoreContractTest {
    @TempDir
    Path dir;

    private UploadStore faultyDisk() throws IOException {
        return new FaultInjectingUploadStore(new DiskUploadStore(dir.resolve("store")));
    }

    @Nested
    class Parts extends UploadStoreContractTest {
        @Override
        protected UploadStore newStore() throws IOException {
            return faultyDisk();
        }

        @Override
        protected UploadStore reopenStore() throws IOException {
            return faultyDisk();
        }
    }

    @Nested
    class Appenders extends AppenderContractTest {
        @Override
        protected UploadStore newStore() throws IOException {
            return faultyDisk();
        }

        @Override
        protected UploadStore reopenStore() throws IOException {
            return faultyDisk();
        }
    }

    @Nested
    class Completions extends CompletedUploadContractTest {
        @Override
        protected UploadStore newStore() throws IOException {
            return faultyDisk();
        }

        @Override
        protected UploadStore reopenStore() throws IOException {
            return faultyDisk();
        }
    }
}
