package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
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
 * HTTPS ({@link HostileAnswers}). A share of the requests goes to the IETF front end
 * ({@link IetfHostileRequests}): bad input there gets a 4xx too, its 104s are never an answer
 * ({@link IetfFuzzChecks}).
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

    @TempDir
    Path root;

    private final HostileAnswers checks = new HostileAnswers(MAX_FAILURES, READ_TIMEOUT_MILLIS);

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
                    VictimState.sized(ownerA, "v-sized", 5000, 1234),
                    VictimState.cut(ownerA, "v-article.bin-2000-1700000000000", 2000, 777, READ_TIMEOUT_MILLIS),
                    VictimState.sized(ownerA, "v-done", 2000, 2000),
                    VictimState.sized(ownerA, "../../v-path", 300, 100));
            String doneOfA = victims.get(2).completedId;
            String doneOfB = VictimState.completedId(ownerB.upload("b-done", 0, 10, new byte[10]));
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
                            && checks.failureCount() < MAX_FAILURES) {
                        Fuzz fuzz = corpus.next();
                        int n = sent.incrementAndGet();
                        RawHttp.Exchange exchange = RawHttp.exchange(port, fuzz.bytes(), fuzz.method(),
                                READ_TIMEOUT_MILLIS);
                        String label = "#" + n + " " + fuzz.kind();
                        checks.check(fuzz, exchange, label, false);
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
                    victimChecks.sum(), checks.tally(),
                    storeShape.size());
            assertEquals(List.of(), checks.failures(), "seed " + seed);
            assertTrue(sent.get() >= MIN_REQUESTS, "only " + sent.get() + " requests in 60 s");
        }
    }

    @Test
    void ownerCookieIsHttpOnlyAndStrictAlwaysAndSecureExactlyWhenTheRequestCameOverHttps() throws Exception {
        Path storage = Files.createDirectories(root.resolve("storage"));
        Path keyStore = RawHttps.selfSignedKeyStore(root.resolve("server.p12"));
        ServerConnector[] https = new ServerConnector[1];
        try (TestServer server = TestServer.start(storage, Map.of(), 0, 30_000, jetty -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(keyStore.toString());
            ssl.setKeyStorePassword(RawHttps.PASSWORD);
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
            SSLContext tls = RawHttps.trusting(keyStore);
            byte[] status = RawHttp.head("GET /status HTTP/1.1", "Host: 127.0.0.1", "X-File-Id: f", "Connection: close");

            RawHttp.Response overHttps = RawHttps.exchange(tls, https[0].getLocalPort(), status, "GET", READ_TIMEOUT_MILLIS).first().orElseThrow();
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
                RawHttp.Exchange exchange = RawHttps.exchange(tls, https[0].getLocalPort(), fuzz.bytes(), fuzz.method(),
                        READ_TIMEOUT_MILLIS);
                checks.check(fuzz, exchange, "TLS #" + tlsRequests + " " + fuzz.kind(), true);
                cookiesOverTls += (int) exchange.responses().stream()
                        .filter(r -> RawClient.ownerToken(r).isPresent()).count();
            }
            System.out.printf("HostileInputIT over TLS (seed %d): %d requests, %d owner cookies issued, each Secure%n",
                    seed, tlsRequests, cookiesOverTls);
            assertTrue(cookiesOverTls > 0);
            assertEquals(List.of(), checks.failures(), "seed " + seed);
        }
    }

    // ---- checks ------------------------------------------------------------------------------

    /** After a request aimed at a victim: its owner's offset is unchanged; nobody else saw it. */
    private void checkVictim(Fuzz fuzz, RawHttp.Exchange exchange, VictimState victim, RawClient ownerA,
                             List<String> filesOfA, String label) {
        if (fuzz.who() == Who.A) {
            long now = ownerA.offset(victim.clientId);
            if (now != victim.stored) {
                checks.fail(label + ": the victim's offset changed from " + victim.stored + " to " + now
                        + " after " + exchange.responses());
            }
            if (exchange.first().map(r -> r.status() / 100 == 2 && r.status() != 200).orElse(false)) {
                checks.fail(label + ": a poisoned request was accepted: " + exchange.responses());
            }
            return;
        }
        for (RawHttp.Response answer : exchange.responses()) {
            String offset = answer.header("Upload-Offset").orElse("0");
            String body = answer.text();
            if (!offset.equals("0") || filesOfA.stream().anyMatch(body::contains)
                    || (answer.status() == 200 && body.strip().equals(Long.toString(victim.stored)) && victim.stored > 0)) {
                checks.fail(label + ": another owner learned about the victim: " + answer);
            }
            if (answer.status() / 100 == 2 && (body.contains("\"sha256\"") && filesOfA.stream().anyMatch(body::contains))) {
                checks.fail(label + ": another owner read the victim's file: " + answer);
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
                    checks.fail(problem);
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

    // ---- TLS ------------------------------------------------------------------------------------

    private static String ownerCookie(RawHttp.Response answer) {
        return answer.all("Set-Cookie").stream().filter(c -> c.startsWith("upload-owner=")).findFirst()
                .orElseThrow(() -> new AssertionError("no owner cookie: " + answer));
    }
}
