package org.resumableupload.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.resumableupload.web.HostileCorpus.Fuzz;

/**
 * What the fuzz ({@link HostileInputIT}) checks of every answer to every request, with its failures
 * (in order, at most a given number) and the tally of the answers by status, the IETF front end's
 * ({@code ietf 400}) and the container's ({@code container 400}) apart.
 */
final class HostileAnswers {
    // The API answers 405 for every method it does not allow; see protocolRefusalByTheContainer.
    private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
            "OPTIONS", "TRACE", "PATCH");

    private final int maxFailures;
    private final int readTimeoutMillis;
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> tally = new ConcurrentHashMap<>();

    HostileAnswers(int maxFailures, int readTimeoutMillis) {
        this.maxFailures = maxFailures;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    void fail(String what) {
        if (failures.size() < maxFailures) {
            failures.add(what);
        }
    }

    int failureCount() {
        return failures.size();
    }

    List<String> failures() {
        return new ArrayList<>(failures);
    }

    /** How many answers of each kind, sorted by kind. */
    Map<String, Long> tally() {
        Map<String, Long> sorted = new TreeMap<>();
        tally.forEach((kind, count) -> sorted.put(kind, count.sum()));
        return sorted;
    }

    /** What must hold for every answer to every request. */
    void check(Fuzz fuzz, RawHttp.Exchange exchange, String label, boolean overTls) {
        if (exchange.timedOut()) {
            fail(label + ": neither answered nor closed in " + readTimeoutMillis + " ms; got "
                    + exchange.responses());
        }
        // The tally counts the IETF front end's answers apart; its 104s are counted, never as an answer.
        String front = fuzz.ietf() ? "ietf " : "";
        exchange.responses().stream().filter(r -> r.status() < 200).forEach(r -> count(front + r.status()));
        IetfFuzzChecks.problems(fuzz, exchange).forEach(problem -> fail(label + ": " + problem));
        List<RawHttp.Response> answers = exchange.responses().stream().filter(r -> r.status() >= 200).toList();
        if (answers.isEmpty()) {
            count(front + "closed without an answer");
            if (!fuzz.containerMayReject()) {
                byte[] sentBytes = fuzz.bytes();
                fail(label + ": closed without an answer: \""
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
                fail(label + ": answer " + (i + 1) + ": " + answer);
            }
            String body = answer.text();
            if (RawClient.leaksInternals(body) || body.contains("root:x:0:0")) {
                fail(label + ": the body leaks internals: " + answer);
            }
            for (String cookie : answer.all("Set-Cookie")) {
                if (cookie.startsWith("upload-owner=") && (!cookie.contains("; HttpOnly")
                        || !cookie.contains("; SameSite=Strict") || cookie.contains("; Secure") != overTls)) {
                    fail(label + ": owner cookie " + cookie + (overTls ? " over TLS" : " over HTTP"));
                }
            }
            boolean mustBeApplication = i == 0 && !fuzz.containerMayReject();
            if ((fromApplication || mustBeApplication)
                    && !answer.header("X-Content-Type-Options").map("nosniff"::equals).orElse(false)) {
                fail(label + ": no X-Content-Type-Options: nosniff: " + answer);
            }
            if (!fromApplication && mustBeApplication) {
                fail(label + ": a well-formed request was answered by the container: " + answer);
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

    private void count(String what) {
        tally.computeIfAbsent(what, k -> new LongAdder()).increment();
    }
}
