package org.resumableupload.store.s3;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.AppenderContractTest;
import org.resumableupload.store.CompletedUploadContractTest;
import org.resumableupload.store.UploadStore;
import org.resumableupload.store.UploadStoreContractTest;

/** The store contract against the S3 store on a real S3 server (S3Proxy 4.1.0 in this JVM). */
class S3UploadStoreContractTest {
    @TempDir
    static Path dir;
    static S3StoreFixture s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new S3StoreFixture(dir);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Nested
    class Parts extends UploadStoreContractTest {
        @Override
        protected UploadStore newStore() {
            return s3.newStore();
        }

        @Override
        protected UploadStore reopenStore() {
            return s3.reopen();
        }
    }

    @Nested
    class Appenders extends AppenderContractTest {
        @Override
        protected UploadStore newStore() {
            return s3.newStore();
        }

        @Override
        protected UploadStore reopenStore() {
            return s3.reopen();
        }
    }

    @Nested
    class Completions extends CompletedUploadContractTest {
        @Override
        protected UploadStore newStore() {
            return s3.newStore();
        }

        @Override
        protected UploadStore reopenStore() {
            return s3.reopen();
        }
    }
}
