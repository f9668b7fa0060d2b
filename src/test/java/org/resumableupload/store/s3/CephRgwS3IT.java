package org.resumableupload.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.resumableupload.support.CephRgw;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the S3 store relies on, checked against a real Ceph RGW (see {@link CephRgw}): conditional
 * writes, and multipart uploads read back by range.
 */
class CephRgwS3IT {
    private static final int MIB = 1 << 20;

    private static CephRgw ceph;
    private static S3Client s3;

    @BeforeAll
    static void connect() {
        ceph = CephRgw.shared();
        s3 = ceph.client();
    }

    @AfterAll
    static void disconnect() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static String key() {
        return "ceph-it/" + UUID.randomUUID();
    }

    @Test
    void putIfNoneMatchStarGets412WhenTheKeyExists() {
        String key = key();
        s3.putObject(b -> b.bucket(ceph.bucket()).key(key).ifNoneMatch("*"), RequestBody.fromString("one"));
        S3Exception again = assertThrows(S3Exception.class, () -> s3.putObject(
                b -> b.bucket(ceph.bucket()).key(key).ifNoneMatch("*"), RequestBody.fromString("two")));
        assertEquals(412, again.statusCode());
        assertEquals("one", s3.getObjectAsBytes(b -> b.bucket(ceph.bucket()).key(key)).asUtf8String());
    }

    @Test
    void putIfMatchWithTheUnquotedEtagReplacesAndAStaleEtagGets412() {
        String key = key();
        String first = unquoted(s3.putObject(b -> b.bucket(ceph.bucket()).key(key), RequestBody.fromString("one")).eTag());
        s3.putObject(b -> b.bucket(ceph.bucket()).key(key).ifMatch(first), RequestBody.fromString("two"));
        S3Exception stale = assertThrows(S3Exception.class, () -> s3.putObject(
                b -> b.bucket(ceph.bucket()).key(key).ifMatch(first), RequestBody.fromString("three")));
        assertEquals(412, stale.statusCode());
        assertEquals("two", s3.getObjectAsBytes(b -> b.bucket(ceph.bucket()).key(key)).asUtf8String());
    }

    /** Ceph's quirk the store works around: it compares If-Match with the ETag without its quotes. */
    @Test
    void putIfMatchWithTheQuotedEtagAsTheSdkReturnsItGets412() {
        String key = key();
        String quoted = s3.putObject(b -> b.bucket(ceph.bucket()).key(key), RequestBody.fromString("one")).eTag();
        S3Exception refused = assertThrows(S3Exception.class, () -> s3.putObject(
                b -> b.bucket(ceph.bucket()).key(key).ifMatch(quoted), RequestBody.fromString("two")));
        assertEquals(412, refused.statusCode());
    }

    @Test
    void putIfMatchOnAMissingKeyGets412() {
        S3Exception missing = assertThrows(S3Exception.class, () -> s3.putObject(
                b -> b.bucket(ceph.bucket()).key(key()).ifMatch("0123456789abcdef0123456789abcdef"),
                RequestBody.fromString("one")));
        assertEquals(412, missing.statusCode());
    }

    @Test
    void multipartUploadOfFiveMibPartsAndASmallerLastListsItsPartsAndReadsBackByRange() {
        String key = key();
        byte[] data = new byte[2 * 5 * MIB + 123_457];
        new Random(12).nextBytes(data);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(ceph.bucket()).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int number = 1, from = 0; from < data.length; number++, from += 5 * MIB) {
            int length = Math.min(5 * MIB, data.length - from);
            int partNumber = number;
            String etag = s3.uploadPart(b -> b.bucket(ceph.bucket()).key(key).uploadId(uploadId).partNumber(partNumber),
                    RequestBody.fromBytes(Arrays.copyOfRange(data, from, from + length))).eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }

        List<Part> listed = s3.listParts(b -> b.bucket(ceph.bucket()).key(key).uploadId(uploadId)).parts();
        assertEquals(List.of(1, 2, 3), listed.stream().map(Part::partNumber).toList());
        assertEquals(List.of((long) 5 * MIB, (long) 5 * MIB, 123_457L), listed.stream().map(Part::size).toList());
        assertEquals(parts.stream().map(CompletedPart::eTag).toList(), listed.stream().map(Part::eTag).toList());

        s3.completeMultipartUpload(b -> b.bucket(ceph.bucket()).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(ceph.bucket()).key(key)).asByteArray());
        int from = 5 * MIB - 1000;
        int to = 2 * 5 * MIB + 99;
        byte[] range = s3.getObjectAsBytes(b -> b.bucket(ceph.bucket()).key(key).range("bytes=" + from + "-" + to))
                .asByteArray();
        assertArrayEquals(Arrays.copyOfRange(data, from, to + 1), range);
    }

    private static String unquoted(String etag) {
        return etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
