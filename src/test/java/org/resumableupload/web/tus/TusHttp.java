package org.resumableupload.web.tus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The test's own look at a tus server, beside the client under test: {@code HEAD} and {@code GET} on an
 * upload URL as one owner (the headers of {@link TusServerUnderTest#newOwner()}), and the helpers the
 * client ITs share (random files, SHA-256, {@code Upload-Metadata} decoding).
 */
final class TusHttp {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final Map<String, String> ownerHeaders;

    TusHttp(Map<String, String> ownerHeaders) {
        this.ownerHeaders = Map.copyOf(ownerHeaders);
    }

    /** {@code HEAD} with {@code Tus-Resumable: 1.0.0}: the upload's offset, length and metadata. */
    HttpResponse<Void> head(URI upload) {
        return send(request(upload).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** {@code GET} on a finished upload's URL: its bytes. */
    HttpResponse<byte[]> get(URI upload) {
        return send(request(upload).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code GET} as text (the webapp's {@code /files} list, for instance). */
    HttpResponse<String> getText(URI uri) {
        return send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The SHA-256 (hex) of what {@code GET} on {@code upload} answers, after asserting a 200. */
    String downloadedSha256(URI upload) {
        HttpResponse<byte[]> download = get(upload);
        if (download.statusCode() != 200) {
            throw new AssertionError("GET " + upload + ": " + download.statusCode() + " "
                    + new String(download.body(), StandardCharsets.UTF_8));
        }
        return sha256(download.body());
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        ownerHeaders.forEach(request::header);
        return request;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** Writes {@code size} bytes drawn from {@code seed} to {@code file}. */
    static Path randomFile(Path file, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(file, bytes);
    }

    static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Upload-Metadata} as keys and UTF-8 values (a key without a value maps to ""). */
    static Map<String, String> decodeMetadata(String header) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return metadata;
        }
        for (String pair : header.split(",")) {
            String[] keyAndValue = pair.strip().split(" ", 2);
            String value = keyAndValue.length == 2 ? keyAndValue[1].strip() : "";
            metadata.put(keyAndValue[0], new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
        }
        return metadata;
    }
}
