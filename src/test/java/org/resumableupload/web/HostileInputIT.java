package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.UploadId;
import org.resumableupload.web.HostileCorpus.Fuzz;
import org.resumableupload.web.HostileCorpus.Victim;
import org.resumableupload.web.HostileCorpus.Who;

/**
 * Fuzz: a seeded, generated corpus of hostile requests ({@link HostileCorpus}) over raw sockets to the
 * real webapp. Never a 5xx, never a stack trace, never a file outside the storage directory or of a
 * shape the store does not make, never a changed offset after a refused request (the victims of owner
 * A), never another owner's data; every API response says {@code nosniff}, every owner cookie is
 * {@code HttpOnly} and {@code SameSite=Strict}, and {@code Secure} exactly when the request came over
 * HTTPS.
 *
 * <p>{@code -Dfuzz.seed=N} repeats a run; the seed is printed.
 */
class HostileInputIT {
    private static final int MIN_REQUESTS = 10_000;
    private static final int TARGET_REQUESTS = 12_000;
    private static final long GENERATE_FOR_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int SENDERS = 3;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_FAILURES = 40;
    private static final String PASSWORD = "test-only";
    // The API answers 405 for every method it does not allow; see protocolRefusalByTheContainer.
    private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
            "OPTIONS", "TRACE", "PATCH");
    private static final Pattern COMPLETED_ID = Pattern.compile("\"id\":\"([0-9a-f]{64})\"");

    @TempDir
    Path root;

    private final Failures failures = new Failures();
    private final Map<String, LongAdder> tally = new ConcurrentHashMap<>();

    /** Failures, kept in order, at most {@link #MAX_FAILURES}. */
    private static final class Failures extends ConcurrentLinkedQueue<String> {
        void fail(String what) {
            if (size() < MAX_FAILURES) {
                add(what);
            }
        }
    }

    @Test
    void tenThousandHostileRequestsNeverAnswer5xxEscapeTheStoreChangeARefusedUploadOrCrossOwners()
            throws Exception {
        long seed = Long.getLong("fuzz.seed", System.currentTimeMillis());
        System.out.println("HostileInputIT seed " + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
        Path storage = Files.createDirectories(root.resolve("storage"));
        Files.writeString(root.resolve("neighbour.txt"), "a file beside the storage directory");
        Set<String> outsideBefore = outside(storage);

        try (TestServer server = TestServer.start(storage)) {
            int port = server.port();
            RawClient ownerA = RawClient.newOwner(port);
            RawClient ownerB = RawClient.newOwner(port);
            // The victims: A's uploads in every state, which no request of the fuzz may change.
            List<VictimState> victims = List.of(
                    sized(ownerA, "v-sized", 5000, 1234),
                    cut(ownerA, "v-article.bin-2000-1700000000000", 2000, 777),
                    sized(ownerA, "v-done", 2000, 2000),
                    sized(ownerA, "../../v-path", 300, 100));
            String doneOfA = victims.get(2).completedId;
            String doneOfB = completedId(ownerB.upload("b-done", 0, 10, new byte[10]));
            List<Victim> targets = victims.stream().map(VictimState::victim).toList();

            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            AtomicInteger sent = new AtomicInteger();
            LongAdder victimChecks = new LongAdder();
            long began = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < SENDERS; t++) {
                HostileCorpus corpus = new HostileCorpus(seed * 31 + t, targets, ownerA.token(), ownerB.token(),
                        List.of(doneOfA));
                running.add(senders.submit(() -> {
                    while (sent.get() < TARGET_REQUESTS && System.nanoTime() - began < GENERATE_FOR_NANOS
                            && failures.size() < MAX_FAILURES) {
                        Fuzz fuzz = corpus.next();
                        int n = sent.incrementAndGet();
                        RawHttp.Exchange exchange = RawHttp.exchange(port, fuzz.bytes(), fuzz.method(),
                                READ_TIMEOUT_MILLIS);
                        String label = "#" + n + " " + fuzz.kind();
                        checkExchange(fuzz, exchange, label, false);
                        corpus.learn(fuzz, exchange);
                        if (fuzz.victim() >= 0) {
                            VictimState victim = victims.get(fuzz.victim());
                            checkVictim(fuzz, exchange, victim, ownerA, List.of(doneOfA), label);
                            victimChecks.increment();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : running) {
                sender.get(GENERATE_FOR_NANOS + TimeUnit.SECONDS.toNanos(60), TimeUnit.NANOSECONDS);
            }
            senders.shutdown();
            double seconds = (System.nanoTime() - began) / 1e9;

            // The victims, once more, byte for byte.
            for (VictimState victim : victims) {
                assertEquals(victim.stored, ownerA.offset(victim.clientId), victim.clientId + " offset");
                if (victim.completedId == null) {
                    assertArrayEquals(victim.prefix(), Files.readAllBytes(ownerA.partData(storage, victim.clientId)),
                            victim.clientId + ": exactly the stored prefix, nothing after it");
                } else {
                    assertArrayEquals(victim.source, Files.readAllBytes(
                            StoredFiles.completedFile(storage, UploadId.of(victim.completedId))));
                }
            }
            // Neither owner sees the other's files.
            String filesOfB = ownerB.get("/files").text();
            String filesOfA = ownerA.get("/files").text();
            assertFalse(filesOfB.contains(doneOfA), filesOfB);
            assertTrue(filesOfA.contains(doneOfA) && !filesOfA.contains(doneOfB), filesOfA);
            assertEquals(404, ownerB.get("/files/" + doneOfA).status());
            assertEquals(404, ownerA.get("/files/" + doneOfB).status());

            List<String> storeShape = checkStoreShape(storage);
            assertEquals(outsideBefore, outside(storage), "nothing appeared or vanished beside the storage directory");

            System.out.printf("HostileInputIT seed %d: %d requests in %.1f s (%d aimed at victims or probing "
                            + "them), statuses %s; %d files in the store, all of its shapes%n", seed, sent.get(), seconds,
                    victimChecks.sum(), new TreeMap<>(tally.entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()))),
                    storeShape.size());
            assertEquals(List.of(), new ArrayList<>(failures), "seed " + seed);
            assertTrue(sent.get() >= MIN_REQUESTS, "only " + sent.get() + " requests in 60 s");
        }
    }

    @Test
    void ownerCookieIsHttpOnlyAndStrictAlwaysAndSecureExactlyWhenTheRequestCameOverHttps() throws Exception {
        Path storage = Files.createDirectories(root.resolve("storage"));
        Path keyStore = selfSignedKeyStore(root.resolve("server.p12"));
        ServerConnector[] https = new ServerConnector[1];
        try (TestServer server = TestServer.start(storage, Map.of(), 0, 30_000, jetty -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(keyStore.toString());
            ssl.setKeyStorePassword(PASSWORD);
            ssl.setKeyStoreType("PKCS12");
            HttpConfiguration config = new HttpConfiguration();
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            config.addCustomizer(secure);
            https[0] = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(config));
            https[0].setHost("127.0.0.1");
            jetty.addConnector(https[0]);
        })) {
            SSLContext tls = trusting(keyStore);
            byte[] status = RawHttp.head("GET /status HTTP/1.1", "Host: 127.0.0.1", "X-File-Id: f", "Connection: close");

            RawHttp.Response overHttps = overTls(tls, https[0].getLocalPort(), status, "GET").first().orElseThrow();
            String secureCookie = ownerCookie(overHttps);
            assertTrue(secureCookie.contains("; Secure"), secureCookie);
            assertTrue(secureCookie.contains("; HttpOnly"), secureCookie);
            assertTrue(secureCookie.contains("; SameSite=Strict"), secureCookie);
            assertEquals("nosniff", overHttps.header("X-Content-Type-Options").orElse(""));

            RawHttp.Response overHttp = RawHttp.exchange(server.port(), status, "GET", READ_TIMEOUT_MILLIS)
                    .first().orElseThrow();
            String plainCookie = ownerCookie(overHttp);
            assertFalse(plainCookie.contains("Secure"), plainCookie);
            assertTrue(plainCookie.contains("; HttpOnly") && plainCookie.contains("; SameSite=Strict"), plainCookie);

            // A part of the fuzz over TLS (well-framed requests only: TLS cannot half-close a body).
            long seed = Long.getLong("fuzz.seed", System.currentTimeMillis()) + 1;
            RawClient ownerA = RawClient.newOwner(server.port());
            RawClient ownerB = RawClient.newOwner(server.port());
            HostileCorpus corpus = new HostileCorpus(seed, List.of(new Victim("v", 0, -1, false)), ownerA.token(),
                    ownerB.token(), List.of());
            int tlsRequests = 0;
            int cookiesOverTls = 0;
            while (tlsRequests < 150) {
                Fuzz fuzz = corpus.next();
                if (!fuzz.wellFramed() || fuzz.victim() >= 0) {
                    continue;
                }
                tlsRequests++;
                RawHttp.Exchange exchange = overTls(tls, https[0].getLocalPort(), fuzz.bytes(), fuzz.method());
                checkExchange(fuzz, exchange, "TLS #" + tlsRequests + " " + fuzz.kind(), true);
                cookiesOverTls += (int) exchange.responses().stream()
                        .filter(r -> RawClient.ownerToken(r).isPresent()).count();
            }
            System.out.printf("HostileInputIT over TLS (seed %d): %d requests, %d owner cookies issued, each Secure%n",
                    seed, tlsRequests, cookiesOverTls);
            assertTrue(cookiesOverTls > 0);
            assertEquals(List.of(), new ArrayList<>(failures), "seed " + seed);
        }
    }

    // ---- checks ------------------------------------------------------------------------------

    /** What must hold for every answer to every request. */
    private void checkExchange(Fuzz fuzz, RawHttp.Exchange exchange, String label, boolean overTls) {
        if (exchange.timedOut()) {
            failures.fail(label + ": neither answered nor closed in " + READ_TIMEOUT_MILLIS + " ms; got "
                    + exchange.responses());
        }
        // The tally counts the IETF front end's answers apart; its 104s are counted, never as an answer.
        String front = fuzz.ietf() ? "ietf " : "";
        exchange.responses().stream().filter(r -> r.status() < 200).forEach(r -> count(front + r.status()));
        IetfFuzzChecks.problems(fuzz, exchange).forEach(problem -> failures.fail(label + ": " + problem));
        List<RawHttp.Response> answers = exchange.responses().stream().filter(r -> r.status() >= 200).toList();
        if (answers.isEmpty()) {
            count(front + "closed without an answer");
            if (!fuzz.containerMayReject()) {
                byte[] sentBytes = fuzz.bytes();
                failures.fail(label + ": closed without an answer: \""
                        + new String(exchange.raw(), StandardCharsets.ISO_8859_1) + "\" to "
                        + new String(sentBytes, 0, Math.min(sentBytes.length, 1500), StandardCharsets.ISO_8859_1)
                        + (sentBytes.length > 1500 ? "... (" + sentBytes.length + " bytes)" : ""));
            }
            return;
        }
        for (int i = 0; i < answers.size(); i++) {
            RawHttp.Response answer = answers.get(i);
            boolean fromApplication = answer.all("Cache-Control").contains("no-store");
            count(front + (fromApplication ? "" : "container ") + answer.status());
            if (answer.status() >= 500 && !protocolRefusalByTheContainer(fuzz, answer, fromApplication)) {
                failures.fail(label + ": answer " + (i + 1) + ": " + answer);
            }
            String body = answer.text();
            if (RawClient.leaksInternals(body) || body.contains("root:x:0:0")) {
                failures.fail(label + ": the body leaks internals: " + answer);
            }
            for (String cookie : answer.all("Set-Cookie")) {
                if (cookie.startsWith("upload-owner=") && (!cookie.contains("; HttpOnly")
                        || !cookie.contains("; SameSite=Strict") || cookie.contains("; Secure") != overTls)) {
                    failures.fail(label + ": owner cookie " + cookie + (overTls ? " over TLS" : " over HTTP"));
                }
            }
            boolean mustBeApplication = i == 0 && !fuzz.containerMayReject();
            if ((fromApplication || mustBeApplication)
                    && !answer.header("X-Content-Type-Options").map("nosniff"::equals).orElse(false)) {
                failures.fail(label + ": no X-Content-Type-Options: nosniff: " + answer);
            }
            if (!fromApplication && mustBeApplication) {
                failures.fail(label + ": a well-formed request was answered by the container: " + answer);
            }
        }
    }

    /**
     * RFC 9110 answers 501 to a method the server does not recognize and 505 to an HTTP version it does
     * not support. The container gives them, outside the application, to unknown methods on paths that
     * are not the API (its static files) and to garbage that follows a request and looks like a request
     * line; the application never sees those requests. Any other 5xx is a failure.
     */
    private static boolean protocolRefusalByTheContainer(Fuzz fuzz, RawHttp.Response answer, boolean fromApplication) {
        return !fromApplication && (answer.status() == 501 || answer.status() == 505)
                && (fuzz.containerMayReject() || !STANDARD_METHODS.contains(fuzz.method()));
    }

    /** After a request aimed at a victim: its owner's offset is unchanged; nobody else saw it. */
    private void checkVictim(Fuzz fuzz, RawHttp.Exchange exchange, VictimState victim, RawClient ownerA,
                             List<String> filesOfA, String label) {
        if (fuzz.who() == Who.A) {
            long now = ownerA.offset(victim.clientId);
            if (now != victim.stored) {
                failures.fail(label + ": the victim's offset changed from " + victim.stored + " to " + now
                        + " after " + exchange.responses());
            }
            if (exchange.first().map(r -> r.status() / 100 == 2 && r.status() != 200).orElse(false)) {
                failures.fail(label + ": a poisoned request was accepted: " + exchange.responses());
            }
            return;
        }
        for (RawHttp.Response answer : exchange.responses()) {
            String offset = answer.header("Upload-Offset").orElse("0");
            String body = answer.text();
            if (!offset.equals("0") || filesOfA.stream().anyMatch(body::contains)
                    || (answer.status() == 200 && body.strip().equals(Long.toString(victim.stored)) && victim.stored > 0)) {
                failures.fail(label + ": another owner learned about the victim: " + answer);
            }
            if (answer.status() / 100 == 2 && (body.contains("\"sha256\"") && filesOfA.stream().anyMatch(body::contains))) {
                failures.fail(label + ": another owner read the victim's file: " + answer);
            }
        }
    }

    /** Every file in the store has a shape the disk store makes; returns them. */
    private List<String> checkStoreShape(Path storage) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(storage)) {
            for (Path path : (Iterable<Path>) all::iterator) {
                Path relative = storage.relativize(path);
                if (relative.toString().isEmpty()) {
                    continue;
                }
                String problem = StoredFiles.layoutProblem(relative, Files.isDirectory(path));
                if (problem != null) {
                    failures.fail(problem);
                }
                if (Files.isRegularFile(path)) {
                    found.add(relative.toString());
                }
            }
        }
        return found;
    }

    /** Every path under the parent of the storage directory, except the storage directory's own. */
    private Set<String> outside(Path storage) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.startsWith(storage)).map(p -> root.relativize(p).toString())
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    private void count(String what) {
        tally.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    // ---- victims --------------------------------------------------------------------------------

    /** A victim upload: its bytes and what is stored of them. */
    private static final class VictimState {
        final String clientId;
        final byte[] source;
        final long stored;
        final long declaredSize;
        final String completedId;

        VictimState(String clientId, byte[] source, long stored, long declaredSize, String completedId) {
            this.clientId = clientId;
            this.source = source;
            this.stored = stored;
            this.declaredSize = declaredSize;
            this.completedId = completedId;
        }

        Victim victim() {
            return new Victim(clientId, stored, declaredSize, completedId != null);
        }

        byte[] prefix() {
            return java.util.Arrays.copyOf(source, (int) stored);
        }
    }

    /** A's upload of {@code size} bytes (declared) with {@code stored} of them sent. */
    private static VictimState sized(RawClient owner, String id, int size, int stored) {
        byte[] source = bytes(id, size);
        RawHttp.Response answer = owner.upload(id, 0, size, java.util.Arrays.copyOf(source, stored));
        assertEquals(stored == size ? 200 : 204, answer.status(), answer::toString);
        return new VictimState(id, source, stored, size, stored == size ? completedId(answer) : null);
    }

    /** A's article-style upload (no declared size) whose body was cut after {@code stored} bytes. */
    private static VictimState cut(RawClient owner, String id, int size, int stored) throws IOException {
        byte[] source = bytes(id, size);
        byte[] request = RawHttp.concat(RawHttp.head("POST /upload HTTP/1.1", "Host: 127.0.0.1", "X-File-Id: " + id,
                "X-Start-Byte: 0", owner.cookieHeader(), "Content-Length: " + size),
                java.util.Arrays.copyOf(source, stored));
        RawHttp.Response answer = RawHttp.exchange(owner.port(), request, "POST", READ_TIMEOUT_MILLIS)
                .first().orElseThrow();
        assertEquals(400, answer.status(), answer::toString);
        assertEquals(stored, answer.uploadOffset());
        return new VictimState(id, source, stored, -1, null);
    }

    private static byte[] bytes(String id, int size) {
        byte[] bytes = new byte[size];
        new Random(id.hashCode()).nextBytes(bytes);
        return bytes;
    }

    private static String completedId(RawHttp.Response answer) {
        Matcher id = COMPLETED_ID.matcher(answer.text());
        assertTrue(id.find(), answer::toString);
        return id.group(1);
    }

    // ---- TLS ------------------------------------------------------------------------------------

    private static String ownerCookie(RawHttp.Response answer) {
        return answer.all("Set-Cookie").stream().filter(c -> c.startsWith("upload-owner=")).findFirst()
                .orElseThrow(() -> new AssertionError("no owner cookie: " + answer));
    }

    /** A key pair and self-signed certificate for 127.0.0.1, made now with the JDK's keytool. */
    private static Path selfSignedKeyStore(Path file) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, output);
        return file;
    }

    private static SSLContext trusting(Path keyStoreFile) throws Exception {
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
    private static SSLSocket handshaken(SSLContext tls, int port) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Socket plain = new Socket("127.0.0.1", port);
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            try {
                socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                socket.startHandshake();
                return socket;
            } catch (IOException handshakeFailed) {
                socket.close();
                if (attempt == 3) {
                    throw handshakeFailed;
                }
                System.out.println("HostileInputIT: TLS handshake failed (" + handshakeFailed + "), tried again");
            }
        }
    }

    private static RawHttp.Exchange overTls(SSLContext tls, int port, byte[] request, String method) throws IOException {
        try (SSLSocket socket = handshaken(tls, port)) {
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
                writer.join(READ_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return exchange;
        }
    }
}
