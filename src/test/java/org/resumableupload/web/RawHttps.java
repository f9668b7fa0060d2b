package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@link RawHttp} over TLS, for tests that check what changes over HTTPS: a self-signed key store for
 * 127.0.0.1 made with the JDK's keytool, a client context that trusts it, and one exchange.
 */
final class RawHttps {
    /** The password of the key store and its key. */
    static final String PASSWORD = "test-only";

    private RawHttps() {
    }

    /** A key pair and self-signed certificate for 127.0.0.1, made now with the JDK's keytool. */
    static Path selfSignedKeyStore(Path file) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, output);
        return file;
    }

    static SSLContext trusting(Path keyStoreFile) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = keyStore.getCertificate("server");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /**
     * A TLS handshake that fails (seen once under heavy CPU load: the server's socket gone while the
     * client sent its Finished) is tried again on a new connection, at most twice: no byte of the request
     * was sent, so the application never saw it, and what this test checks is the application's answers.
     */
    private static SSLSocket handshaken(SSLContext tls, int port, int readTimeoutMillis) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Socket plain = new Socket("127.0.0.1", port);
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            try {
                socket.setSoTimeout(readTimeoutMillis);
                socket.startHandshake();
                return socket;
            } catch (IOException handshakeFailed) {
                socket.close();
                if (attempt == 3) {
                    throw handshakeFailed;
                }
                System.out.println("RawHttps: TLS handshake failed (" + handshakeFailed + "), tried again");
            }
        }
    }

    /** As {@link RawHttp#exchange}, over TLS (which cannot half-close: the request must end itself). */
    static RawHttp.Exchange exchange(SSLContext tls, int port, byte[] request, String method, int readTimeoutMillis)
            throws IOException {
        try (SSLSocket socket = handshaken(tls, port, readTimeoutMillis)) {
            // Written while the answer is read: the server may refuse from the headers and close early.
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                } catch (IOException answeredEarly) {
                    // the reader gets the answer
                }
            }, "tls-writer");
            writer.setDaemon(true);
            writer.start();
            RawHttp.Exchange exchange = RawHttp.readAll(socket.getInputStream(), method); // Connection: close ends it
            try {
                writer.join(readTimeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return exchange;
        }
    }
}
