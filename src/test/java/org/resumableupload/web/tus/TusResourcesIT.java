package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resumableupload.web.tus.TusWire.randomBytes;
import static org.resumableupload.web.tus.TusWire.slice;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.resumableupload.web.RawHttp.Response;

/**
 * Upload URLs as resources, over raw sockets: termination, downloads of finished uploads with ranges,
 * and URLs that name no upload, however odd, answered 4xx and never 5xx.
 */
@Timeout(60)
class TusResourcesIT extends TusServerSupport {
    private static final byte[] NO_BODY = new byte[0];

    private static void assertGone(Response answer) {
        assertTrue(answer.status() == 404 || answer.status() == 410, answer::toString);
        assertTrue(answer.header("Upload-Offset").isEmpty(), answer::toString);
    }

    @Test
    void deleteTerminatesAnUnfinishedUploadAndItsUrlThenAnswers404Or410() {
        TusWire owner = newOwner();
        String upload = owner.create(100);
        owner.patchOk(upload, 0, new byte[40]);

        Response delete = owner.delete(upload);

        assertEquals(204, delete.status(), delete::toString);
        assertGone(owner.head(upload));
        assertGone(owner.patch(upload, 40, new byte[10]));
        assertGone(owner.patch(upload, 0, new byte[10]));
        assertGone(owner.get(upload));
        assertGone(owner.delete(upload));
    }

    @Test
    void aFinishedUploadCanBeTerminatedToo() {
        TusWire owner = newOwner();
        String upload = owner.create(10);
        owner.patchOk(upload, 0, new byte[10]);

        assertEquals(204, owner.delete(upload).status());
        assertGone(owner.get(upload));
        assertGone(owner.head(upload));
    }

    @Test
    void getStreamsAFinishedUploadAndServesRanges() {
        TusWire owner = newOwner();
        byte[] file = randomBytes(300, 31);
        String upload = owner.create(300);
        owner.patchOk(upload, 0, file);

        Response whole = owner.get(upload);
        Response range = owner.get(upload, "Range: bytes=10-19");
        Response suffix = owner.get(upload, "Range: bytes=-5");
        Response past = owner.get(upload, "Range: bytes=300-");

        assertEquals(200, whole.status(), whole::toString);
        assertEquals(Optional.of("300"), whole.header("Content-Length"));
        assertArrayEquals(file, whole.body());
        assertEquals(206, range.status(), range::toString);
        assertEquals(Optional.of("bytes 10-19/300"), range.header("Content-Range"));
        assertArrayEquals(slice(file, 10, 20), range.body());
        assertEquals(206, suffix.status(), suffix::toString);
        assertArrayEquals(slice(file, 295, 300), suffix.body());
        assertEquals(416, past.status(), past::toString);
    }

    /** Upload URLs that are no upload's: traversal, encoded slashes, 10 KB, non-ASCII, control bytes. */
    static List<String> oddTargets() {
        String utf8AsSent = new String("/tus/été-файл".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return List.of("/tus/..%2F..", "/tus/..%2F..%2Fowner.key", "/tus/%2e%2e", "/tus/a/b", "/tus/a%2Fb",
                "/tus/" + "a".repeat(10 * 1024), "/tus/%C3%A9t%C3%A9", utf8AsSent, "/tus/%00", "/tus/%0D%0AX:%20y",
                "/tus/%FF%FE", "/tus/" + "0".repeat(64), "/tus/" + "f".repeat(32), "/tus/x?y=z");
    }

    @ParameterizedTest
    @MethodSource("oddTargets")
    void aUrlThatNamesNoUploadGets4xxForEveryMethod(String target) {
        TusWire owner = ownerWithCookie();
        for (String method : List.of("HEAD", "PATCH", "GET", "DELETE", "POST")) {
            Response answer = method.equals("PATCH")
                    ? owner.unchecked(method, target, new byte[4], "Tus-Resumable: 1.0.0", TusWire.OCTETS,
                            "Upload-Offset: 0")
                    : owner.unchecked(method, target, NO_BODY, "Tus-Resumable: 1.0.0", "Upload-Length: 4");
            assertTrue(answer.status() >= 400 && answer.status() < 500,
                    () -> method + " " + abbreviated(target) + ": " + answer.statusLine());
            assertFalse(leaksInternals(answer.text()), () -> method + " " + abbreviated(target) + ": " + answer);
        }
    }

    private static String abbreviated(String target) {
        return target.length() <= 80 ? target : target.substring(0, 80) + "... (" + target.length() + " chars)";
    }

    private static boolean leaksInternals(String body) {
        return body.contains("Exception") || body.contains("\tat ") || body.contains("at org.")
                || body.contains("at java.") || body.contains("org.eclipse.jetty") || body.contains("org.resumableupload");
    }
}
