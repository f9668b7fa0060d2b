package org.resumableupload.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One owner talking to the app over real HTTP: its own cookie jar, so two clients are two owners.
 */
final class HttpTestClient {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]{64})\"");

    private final TestServer server;
    private final HttpClient http;

    HttpTestClient(TestServer server) {
        this.server = server;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> head(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String getText(String path) throws IOException, InterruptedException {
        return new String(get(path).body(), StandardCharsets.UTF_8);
    }

    /** {@code GET status}: the stored offset. */
    long status(String fileId) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/status", "X-File-Id", fileId);
        if (response.statusCode() != 200) {
            throw new AssertionError("status answered " + response.statusCode());
        }
        return Long.parseLong(new String(response.body(), StandardCharsets.UTF_8).strip());
    }

    /** {@code POST upload} of {@code body} at {@code startByte}; {@code headers} are added as given. */
    HttpResponse<String> post(String fileId, long startByte, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/upload"))
                .header("X-File-Id", fileId)
                .header("X-Start-Byte", Long.toString(startByte))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads {@code content} whole under {@code name}; answers the server's id of the completed upload. */
    String upload(String name, byte[] content) throws IOException, InterruptedException {
        HttpResponse<String> response = post(name + "-" + content.length + "-1", 0, content,
                "X-File-Size", Integer.toString(content.length),
                "X-File-Name", URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        if (response.statusCode() != 200) {
            throw new AssertionError("upload answered " + response.statusCode() + ": " + response.body());
        }
        Matcher id = ID.matcher(response.body());
        if (!id.find()) {
            throw new AssertionError("no id in " + response.body());
        }
        return id.group(1);
    }

    /** RFC 9530 {@code Content-Digest} value for {@code bytes}. */
    static String contentDigest(byte[] bytes) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(sha256(bytes)) + ":";
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
