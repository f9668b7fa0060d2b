package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wrong methods on /status and /upload get 405 with Allow, never a 500; HEAD /status works. */
@Timeout(60)
class MethodsIT extends ServerTestSupport {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "PUT, /status, GET", "DELETE, /status, GET", "PATCH, /status, GET", "POST, /status, GET",
            "PUT, /upload, POST", "DELETE, /upload, POST", "PATCH, /upload, POST", "GET, /upload, POST",
            "HEAD, /upload, POST", "FOO, /upload, POST", "PROPFIND, /status, GET"})
    void wrongMethodGets405WithAllow(String method, String path, String allowed) {
        UploadClient client = new UploadClient(server);
        HttpResponse<String> response = client.send(client.request(path).header("X-File-Id", "m.bin")
                .header("X-Start-Byte", "0")
                .method(method, HttpRequest.BodyPublishers.noBody()).build());

        assertEquals(405, response.statusCode(), response::body);
        String allow = response.headers().firstValue("Allow").orElse("");
        assertTrue(List.of(allow.split("\\s*,\\s*")).contains(allowed), () -> "Allow: " + allow);
        assertTrue(!List.of(allow.split("\\s*,\\s*")).contains(method), () -> "Allow: " + allow);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals(0, client.offset("m.bin"), "a refused method changes nothing");
    }

    @Test
    void headStatusAnswersTheOffsetHeadersWithoutABody() throws Exception {
        UploadClient client = new UploadClient(server);
        UploadClient.assertStored(client.post("head.bin", 0, new byte[1234], "X-File-Size", "5000"), 1234);

        HttpResponse<String> head = client.send(client.request("/status").header("X-File-Id", "head.bin")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertEquals(200, head.statusCode());
        assertEquals("1234", head.headers().firstValue("Upload-Offset").orElse(null));
        assertEquals("no-store", head.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("", head.body());
    }

    @Test
    void optionsListsTheAllowedMethods() {
        UploadClient client = new UploadClient(server);
        HttpResponse<String> options = client.send(client.request("/upload")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertTrue(options.statusCode() < 500, () -> "OPTIONS answered " + options.statusCode());
        if (options.statusCode() == 200) {
            assertTrue(options.headers().firstValue("Allow").orElse("").contains("POST"));
        }
    }
}
