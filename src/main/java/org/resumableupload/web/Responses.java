package org.resumableupload.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What every front end's responses share: the headers every API answer carries, and writing a body.
 * Each front end's own answers and its error table live beside its servlets.
 */
public final class Responses {

    private Responses() {
    }

    public static void json(HttpServletResponse response, String json) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Headers every API response carries, also where the application's filter is not in front. */
    public static void common(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        noSniff(response);
        sameOriginFramesOnly(response);
    }

    /** Browsers must take the content type as given, never guess one from the bytes. */
    public static void noSniff(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    /** Only the application's own pages may show an answer in a frame (no clickjacking by other sites). */
    public static void sameOriginFramesOnly(HttpServletResponse response) {
        response.setHeader("X-Frame-Options", "SAMEORIGIN");
    }

    public static void text(HttpServletResponse response, String body) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
