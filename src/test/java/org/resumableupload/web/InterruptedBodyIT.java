package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body that does not arrive whole is never answered as a success, and refusals carry the real offset. */
class InterruptedBodyIT {
    @TempDir
    Path dir;

    @Test
    void bodyInterruptedByServerStopIsNeverAnswered200() throws Exception {
        TestServer server = TestServer.start(dir);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Id: cut\r\nX-Start-Byte: 0\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] first = new byte[300];
            Arrays.fill(first, (byte) 7);
            out.write(first);
            out.flush();
            awaitDataFileOf(300);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            stopping.get();
            // The upload is incomplete: an answer, if any, must not be a success.
            assertFalse(statusLine != null && statusLine.startsWith("HTTP/1.1 2"),
                    "an interrupted body was answered: " + statusLine);
        }
        try (TestServer restarted = TestServer.start(dir)) {
            assertTrue(Files.size(onlyDataFile()) >= 300, "what arrived before the stop is kept");
        }
    }

    @Test
    void bodyCutByTheContainersIdleTimeoutIsAnsweredWithAnErrorAndTheStoredOffset() throws Exception {
        try (TestServer server = TestServer.start(dir, java.util.Map.of(), 0, 1_000);
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-File-Id: idle\r\nX-Start-Byte: 0\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[300]);
            out.flush();
            BufferedReader answer = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            String statusLine = answer.readLine();
            assertEquals("HTTP/1.1 408 Request Timeout", statusLine);
            String header;
            boolean offsetSeen = false;
            while ((header = answer.readLine()) != null && !header.isEmpty()) {
                offsetSeen |= header.equalsIgnoreCase("Upload-Offset: 300");
            }
            assertTrue(offsetSeen, "the 408 tells the client the 300 bytes that were kept");
        }
    }

    @Test
    void tooLargeDecidedFromHeadersReportsTheStoredOffset() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            HttpResponse<String> first = client.send(post(server, "0", new byte[100]), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, first.statusCode());
            assertEquals("100", first.headers().firstValue("Upload-Offset").orElseThrow());

            // 100 more bytes at 100 would pass the declared 150: refused before anything is read.
            HttpResponse<String> tooLarge = client.send(post(server, "100", new byte[100]),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, tooLarge.statusCode());
            assertTrue(tooLarge.headers().firstValue("Upload-Offset").map("100"::equals).orElse(true),
                    "413 carries a wrong stored offset: " + tooLarge.headers().firstValue("Upload-Offset"));
        }
    }

    private static HttpRequest post(TestServer server, String startByte, byte[] body) {
        return HttpRequest.newBuilder(server.uri("/upload"))
                .header("X-File-Id", "declared-150")
                .header("X-Start-Byte", startByte)
                .header("X-File-Size", "150")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private Path onlyDataFile() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("parts"))) {
            return files.filter(f -> f.toString().endsWith(".data")).findFirst().orElseThrow();
        }
    }

    private void awaitDataFileOf(long bytes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir.resolve("parts"))) {
                if (files.anyMatch(f -> f.toString().endsWith(".data") && size(f) == bytes)) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server never wrote " + bytes + " bytes");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
