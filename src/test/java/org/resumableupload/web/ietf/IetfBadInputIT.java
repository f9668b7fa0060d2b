package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.resumableupload.web.RawHttp.Response;

/**
 * Malformed requests get a 4xx, never a 5xx, and change nothing: request fields that are not the
 * Structured Field the draft defines (or are sent twice), required fields left out, upload URLs that
 * name no upload (never a path on disk), methods the resources do not answer.
 */
@Timeout(60)
class IetfBadInputIT extends IetfServerSupport {
    private static final String NEVER_CREATED = "/uploads/" + "0123456789abcdef".repeat(4);

    /** One malformed request: its method (POST creates, PATCH appends at offset 0 of a new upload) and fields. */
    record BadRequest(String method, List<String> headers) {
        static BadRequest post(String... headers) {
            return new BadRequest("POST", List.of(headers));
        }

        static BadRequest patch(String... headers) {
            List<String> lines = new ArrayList<>(List.of(IetfWire.PARTIAL_UPLOAD));
            lines.addAll(List.of(headers));
            return new BadRequest("PATCH", lines);
        }

        @Override
        public String toString() {
            return method + " " + headers;
        }
    }

    static Stream<Arguments> malformedFields() {
        return Stream.of(
                Arguments.of(BadRequest.patch("Upload-Offset: +4096", IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch("Upload-Offset: abc", IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch("Upload-Offset: -1", IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch("Upload-Offset: 1.5", IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch("Upload-Offset: ", IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch("Upload-Offset: 1234567890123456", IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch("Upload-Offset: 0", "Upload-Offset: 10", IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch("Upload-Offset: 0", "Upload-Offset: 0", IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch("Upload-Offset: 0, 0", IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch(IetfWire.INCOMPLETE)),
                Arguments.of(BadRequest.patch("Upload-Offset: 0", "Upload-Complete: yes")),
                Arguments.of(BadRequest.patch("Upload-Offset: 0", "Upload-Complete: 1")),
                Arguments.of(BadRequest.patch("Upload-Offset: 0", "Upload-Complete: ?2")),
                Arguments.of(BadRequest.patch("Upload-Offset: 0", "Upload-Complete: ?1 x")),
                Arguments.of(BadRequest.patch("Upload-Offset: 0", "Upload-Complete: ?0", "Upload-Complete: ?1")),
                Arguments.of(BadRequest.patch("Upload-Offset: 0")),
                Arguments.of(BadRequest.patch("Upload-Offset: 0", IetfWire.INCOMPLETE, "Upload-Length: -5")),
                Arguments.of(BadRequest.post("Upload-Complete: yes")),
                Arguments.of(BadRequest.post("Upload-Complete: 1")),
                Arguments.of(BadRequest.post("Upload-Complete: ?2")),
                Arguments.of(BadRequest.post()),
                Arguments.of(BadRequest.post(IetfWire.INCOMPLETE, "Upload-Length: -5")),
                Arguments.of(BadRequest.post(IetfWire.INCOMPLETE, "Upload-Length: 5.0")),
                Arguments.of(BadRequest.post(IetfWire.INCOMPLETE, "Upload-Length: 10", "Upload-Length: 10")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFields")
    void aMalformedOrMissingFieldGets400AndChangesNothing(BadRequest bad) throws Exception {
        IetfWire owner = ownerWithCookie();
        String upload = owner.create(100);
        String target = bad.method().equals("POST") ? IetfWire.BASE : upload;
        List<Path> before = stored(storage);

        Response refused = owner.send(bad.method(), target, randomBytes(10, 70), bad.headers().toArray(String[]::new));

        assertEquals(400, refused.status(), refused::toString);
        assertEquals(Optional.of("malformed-request"), refused.header("Upload-Error"), refused::toString);
        assertEquals("malformed-request", json(refused).get("code"), refused::toString);
        assertTrue(refused.header("Location").isEmpty(), () -> "nothing was created: " + refused);
        assertEquals(before, stored(storage), "nothing stored");
        assertEquals(0, owner.offset(upload));
    }

    static Stream<String> targetsThatNameNoUpload() {
        return Stream.of(NEVER_CREATED, "/uploads/../x", "/uploads/..%2fx", "/uploads/%2e%2e%2f",
                "/uploads/%2e%2e%2fWEB-INF%2fweb.xml", "/uploads/../WEB-INF/web.xml", "/uploads/ABC",
                "/uploads/" + "a".repeat(63), "/uploads/" + "a".repeat(65), "/uploads/" + "A".repeat(64),
                "/uploads/" + "a".repeat(64) + "/x", "/uploads/" + "g".repeat(64), "/uploads/%00",
                "/uploads/" + "a".repeat(64) + "%00");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targetsThatNameNoUpload")
    void aTargetThatNamesNoUploadGets404Or400ForEveryMethodAndIsNeverAFile(String target) {
        IetfWire owner = ownerWithCookie();
        for (String method : List.of("HEAD", "GET", "PATCH", "DELETE")) {
            Response answer = method.equals("PATCH")
                    ? owner.send(method, target, new byte[4], IetfWire.appendHeaders(0, false))
                    : owner.send(method, target, new byte[0]);
            // A literal dot segment is resolved away before routing (RFC 3986): that names another
            // resource of the container (such as /x, 405 for PATCH), never a file of the store.
            boolean leavesUploads = target.contains("/../");
            assertTrue(answer.status() == 404 || answer.status() == 400
                    || (leavesUploads && answer.status() >= 400 && answer.status() < 500),
                    () -> method + " " + target + ": " + answer);
            assertFalse(answer.text().contains("<web-app") || answer.text().contains("Exception"),
                    () -> method + " " + target + ": " + answer);
        }
        if (target.equals(NEVER_CREATED)) {
            assertEquals(404, owner.head(target).status(), "a valid id never created is simply not found");
        }
    }

    static Stream<Arguments> methodsNotAnswered() {
        String resource = "/uploads/" + "ab".repeat(32);
        return Stream.of(Arguments.of("PUT", IetfWire.BASE, "POST, OPTIONS"),
                Arguments.of("DELETE", IetfWire.BASE, "POST, OPTIONS"),
                Arguments.of("PATCH", IetfWire.BASE, "POST, OPTIONS"),
                Arguments.of("BREW", IetfWire.BASE, "POST, OPTIONS"),
                Arguments.of("PUT", resource, "HEAD, GET, PATCH, DELETE, OPTIONS"),
                Arguments.of("POST", resource, "HEAD, GET, PATCH, DELETE, OPTIONS"),
                Arguments.of("BREW", resource, "HEAD, GET, PATCH, DELETE, OPTIONS"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("methodsNotAnswered")
    void aMethodTheResourceDoesNotAnswerGets405WithAllow(String method, String target, String allowed) {
        Response answer = ownerWithCookie().send(method, target, new byte[0], IetfWire.COMPLETE);

        assertEquals(405, answer.status(), answer::toString);
        assertEquals(Optional.of(allowed), answer.header("Allow"), answer::toString);
    }
}
