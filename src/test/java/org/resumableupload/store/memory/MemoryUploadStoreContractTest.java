package org.resumableupload.store.memory;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.resumableupload.store.AppenderContractTest;
import org.resumableupload.store.CompletedUploadContractTest;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.UploadStoreContractTest;

/**
 * The store contract against the in-memory store. Its storage is the store object itself, so a
 * "restart" hands back the same one: what it committed is all there, and nothing uncommitted is.
 */
class MemoryUploadStoreContractTest {
    private MemoryUploadStore memory;

    @BeforeEach
    void newMemory() {
        memory = new MemoryUploadStore();
    }

    @Nested
    class Parts extends UploadStoreContractTest {
        @Override
        protected UploadStore newStore() {
            return memory;
        }

        @Override
        protected UploadStore reopenStore() {
            return memory;
        }
    }

    @Nested
    class Appenders extends AppenderContractTest {
        @Override
        protected UploadStore newStore() {
            return memory;
        }

        @Override
        protected UploadStore reopenStore() {
            return memory;
        }
    }

    @Nested
    class Completions extends CompletedUploadContractTest {
        @Override
        protected UploadStore newStore() {
            return memory;
        }

        @Override
        protected UploadStore reopenStore() {
            return memory;
        }
    }
}
