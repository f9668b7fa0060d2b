package org.resumableupload.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.resumableupload.web.HostileCorpus.Aim;
import org.resumableupload.web.HostileCorpus.Fuzz;

/**
 * What the fuzz ({@link HostileInputIT}) checks of the IETF front end beyond what holds for every
 * answer: a 104 goes only to a creation, at most once, naming the upload's {@code Location} (the same
 * as the final answer's) and an interop version this server implements; the application's refusals
 * are the draft's ({@code Upload-Complete: ?0}, {@code Upload-Error}, a problem body); a request on another
 * owner's upload learns nothing of it (no 2xx but {@code OPTIONS}, which names no upload, and none of
 * its offset, length, digest or location).
 */
final class IetfFuzzChecks {
    private static final int UPLOAD_RESUMPTION_SUPPORTED = 104;
    private static final List<String> FIELDS_OF_AN_UPLOAD = List.of("Upload-Offset", "Upload-Length", "Repr-Digest",
            "Location");

    private IetfFuzzChecks() {
    }

    /** What is wrong with the answers to {@code fuzz}; empty if nothing. */
    static List<String> problems(Fuzz fuzz, RawHttp.Exchange exchange) {
        List<String> problems = new ArrayList<>();
        List<RawHttp.Response> interims = exchange.responses().stream()
                .filter(r -> r.status() == UPLOAD_RESUMPTION_SUPPORTED).toList();
        Optional<RawHttp.Response> answer = exchange.responses().stream().filter(r -> r.status() >= 200).findFirst();
        if (interims.size() > 1) {
            problems.add(interims.size() + " responses 104: " + interims);
        }
        for (RawHttp.Response interim : interims) {
            if (fuzz.aim() != Aim.IETF || !fuzz.method().equals("POST")) {
                problems.add("a 104 to a request that creates no upload: " + interim);
            }
            String location = interim.header("Location").orElse("");
            if (!location.matches("/uploads/[0-9a-f]{64}")) {
                problems.add("a 104 without the upload's Location: " + interim);
            }
            if (!interim.header("Upload-Draft-Interop-Version").orElse("").matches("[4-9]")) {
                problems.add("a 104 naming no interop version this server implements: " + interim);
            }
            answer.flatMap(a -> a.header("Location")).filter(other -> !other.equals(location))
                    .ifPresent(other -> problems.add("the 104 named " + location + ", the final answer " + other));
        }
        // A refusal answers Upload-Complete: ?0, except a 416 for a range of a completed upload's bytes,
        // which still says ?1: the upload is complete, only the range was wrong.
        answer.filter(a -> fuzz.ietf() && a.status() / 100 == 4 && a.all("Cache-Control").contains("no-store"))
                .filter(a -> a.header("Upload-Error").isEmpty()
                        || !a.header("Content-Type").orElse("").startsWith("application/problem+json")
                        || !a.header("Upload-Complete").orElse("").equals(a.status() == 416 ? "?1" : "?0"))
                .ifPresent(a -> problems.add("a refusal without Upload-Error, its Upload-Complete and a problem: " + a));
        if (fuzz.aim() == Aim.IETF_ANOTHER_OWNERS_UPLOAD) {
            for (RawHttp.Response response : exchange.responses()) {
                if (response.status() / 100 == 2 && !fuzz.method().equals("OPTIONS")) {
                    problems.add("another owner's upload answered " + response);
                }
                for (String field : FIELDS_OF_AN_UPLOAD) {
                    if (response.header(field).isPresent()) {
                        problems.add("another owner's upload shows its " + field + ": " + response);
                    }
                }
            }
        }
        return problems;
    }
}
