package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The upload page's files, served by the container's default servlet through the application's filter. */
class StaticFilesIT extends ServerTestSupport {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/, text/html", "/index.html, text/html", "/uploader.js, javascript", "/app.js, javascript",
            "/style.css, text/css"})
    void pageFilesAreServedWithTheirTypeAndNosniff(String path, String typeContains) {
        UploadClient client = new UploadClient(server);

        HttpResponse<String> response = client.send(client.request(path).GET().build());

        assertEquals(200, response.statusCode(), path);
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.contains(typeContains), () -> path + ": Content-Type " + type);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null),
                "browsers must not guess another type for " + path);
    }
}
