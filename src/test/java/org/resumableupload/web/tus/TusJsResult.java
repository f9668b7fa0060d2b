package org.resumableupload.web.tus;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one tus-js-client job reported: how it ended, the upload URL, and every HTTP exchange it made
 * in order (the tus headers it sent and received). {@link #toString()} is the runner's whole JSON
 * line, for assertion messages.
 */
public final class TusJsResult {
    /** One request the client sent and the answer it got (status null: no answer, see error). */
    public record Exchange(String method, URI url, Map<String, String> sent, Integer status,
                           Map<String, String> received, Long bodyBytes, Long cutAfter, String error) {
        public String sent(String header) {
            return sent.get(header);
        }

        public String received(String header) {
            return received.get(header);
        }

        public boolean was(String requestMethod, int answer) {
            return method.equals(requestMethod) && status != null && status == answer;
        }
    }

    private final String json;
    private final Map<String, Object> fields;
    private final List<Exchange> exchanges;

    @SuppressWarnings("unchecked")
    TusJsResult(String json) {
        this.json = json;
        this.fields = (Map<String, Object>) Json.parse(json);
        List<Object> requests = (List<Object>) fields.getOrDefault("requests", List.of());
        this.exchanges = requests.stream().map(r -> exchange((Map<String, Object>) r)).toList();
    }

    @SuppressWarnings("unchecked")
    private static Exchange exchange(Map<String, Object> request) {
        return new Exchange((String) request.get("method"), URI.create((String) request.get("url")),
                (Map<String, String>) (Map<String, ?>) request.getOrDefault("sent", Map.of()),
                request.get("status") == null ? null : ((Long) request.get("status")).intValue(),
                (Map<String, String>) (Map<String, ?>) request.getOrDefault("received", Map.of()),
                (Long) request.get("bodyBytes"), (Long) request.get("cutAfter"), (String) request.get("error"));
    }

    /** {@code success}, {@code cut} (the job cut its connection as asked), {@code error} or {@code timeout}. */
    public String outcome() {
        return (String) fields.get("outcome");
    }

    public URI uploadUrl() {
        Object url = fields.get("uploadUrl");
        if (url == null) {
            throw new AssertionError("the job has no upload URL: " + json);
        }
        return URI.create((String) url);
    }

    /** The file offset at which the job cut its connection (all bytes before it were sent). */
    public long cutAt() {
        return (Long) fields.get("cutAt");
    }

    public boolean terminated() {
        return Boolean.TRUE.equals(fields.get("terminated"));
    }

    /** How many uploads the URL storage held for the file when the job resumed. */
    long previousUploads() {
        return (Long) fields.getOrDefault("previousUploads", 0L);
    }

    /** The client's error message, if it reported one. */
    public Optional<String> error() {
        Object error = fields.get("error");
        return error == null ? Optional.empty() : Optional.of(error.toString());
    }

    long elapsedMillis() {
        return (Long) fields.get("elapsedMs");
    }

    public List<Exchange> exchanges() {
        return exchanges;
    }

    public List<Exchange> exchanges(String method) {
        return exchanges.stream().filter(e -> e.method().equals(method)).toList();
    }

    @Override
    public String toString() {
        return json;
    }
}
