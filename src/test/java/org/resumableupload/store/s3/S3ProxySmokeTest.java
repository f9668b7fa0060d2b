package org.resumableupload.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.support.S3ProxyServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ProxySmokeTest {
    @Test
    void conditionalWritesAreHonoured(@TempDir Path dir) throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start(dir); S3Client s3 = server.client()) {
            String etag = s3.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key("a").ifNoneMatch("*"),
                    RequestBody.fromString("one")).eTag();
            S3Exception again = assertThrows(S3Exception.class, () -> s3.putObject(
                    b -> b.bucket(S3ProxyServer.BUCKET).key("a").ifNoneMatch("*"), RequestBody.fromString("two")));
            assertEquals(412, again.statusCode());
            s3.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key("a").ifMatch(etag), RequestBody.fromString("two"));
            S3Exception stale = assertThrows(S3Exception.class, () -> s3.putObject(
                    b -> b.bucket(S3ProxyServer.BUCKET).key("a").ifMatch(etag), RequestBody.fromString("three")));
            assertEquals(412, stale.statusCode());
            System.out.println("etag " + etag);
        }
    }
}
