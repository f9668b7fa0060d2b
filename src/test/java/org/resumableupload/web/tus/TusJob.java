package org.resumableupload.web.tus;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One tus-js-client run for {@link TusJsClient}: what to upload, where, and how. The fields are the
 * ones {@code tus-run.mjs} reads (its header lists them); each setter returns this job.
 */
public final class TusJob {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private TusJob(Path file) {
        fields.put("file", file.toAbsolutePath().toString());
    }

    /** Creates a new upload of {@code file} at the creation URL {@code endpoint}. */
    public static TusJob create(URI endpoint, Path file) {
        TusJob job = new TusJob(file);
        job.fields.put("endpoint", endpoint.toString());
        return job;
    }

    /** Resumes the upload at {@code uploadUrl} (tus-js-client's {@code uploadUrl} option). */
    public static TusJob resume(URI uploadUrl, Path file) {
        TusJob job = new TusJob(file);
        job.fields.put("uploadUrl", uploadUrl.toString());
        return job;
    }

    /** Sends {@code headers} on every request (the owner's {@code Cookie}, for instance). */
    public TusJob headers(Map<String, String> headers) {
        fields.put("headers", new LinkedHashMap<>(headers));
        return this;
    }

    public TusJob chunkSize(long bytes) {
        fields.put("chunkSize", bytes);
        return this;
    }

    TusJob parallelUploads(int uploads) {
        fields.put("parallelUploads", uploads);
        return this;
    }

    TusJob metadata(Map<String, String> metadata) {
        fields.put("metadata", new LinkedHashMap<>(metadata));
        return this;
    }

    /** Keeps the upload URL in tus-js-client's {@code FileUrlStorage} at {@code file}. */
    TusJob urlStorage(Path file) {
        fields.put("urlStorage", file.toAbsolutePath().toString());
        return this;
    }

    /** Looks the file up in the URL storage first and resumes the upload found there. */
    TusJob resumeFromUrlStorage(Path file) {
        urlStorage(file);
        fields.put("resume", true);
        return this;
    }

    /** Cuts the connection once the file's bytes up to {@code offset} have been sent; the job then stops. */
    public TusJob cutAfterBytes(long offset) {
        fields.put("cutAfterBytes", offset);
        return this;
    }

    /** Terminates (DELETE) the upload where the job stops: after the cut, or after success. */
    public TusJob terminate() {
        fields.put("terminate", true);
        return this;
    }

    /** Sends each PATCH as POST with {@code X-HTTP-Method-Override: PATCH}. */
    TusJob overridePatchMethod() {
        fields.put("overridePatchMethod", true);
        return this;
    }

    /** Sends the first chunk in the creation POST (creation-with-upload). */
    TusJob uploadDataDuringCreation() {
        fields.put("uploadDataDuringCreation", true);
        return this;
    }

    /**
     * Gives the file as a plain stream of unknown size and defers the length (creation-defer-length):
     * the last PATCH declares it. Needs a {@link #chunkSize}.
     */
    TusJob deferLengthAsStream() {
        fields.put("asStream", true);
        fields.put("uploadLengthDeferred", true);
        return this;
    }

    /** tus-js-client's {@code protocol}: {@code tus-v1} (left out), {@code ietf-draft-03} or {@code ietf-draft-05}. */
    public TusJob protocol(String protocol) {
        fields.put("protocol", protocol);
        return this;
    }

    /**
     * Gives the file as a Buffer read whole (tus-js-client's BufferSource), not as a file stream (its
     * FileSource, which never marks a chunk as the last; see {@code tus-run.mjs}).
     */
    public TusJob asBuffer() {
        fields.put("asBuffer", true);
        return this;
    }

    public TusJob timeout(Duration timeout) {
        fields.put("timeoutMs", timeout.toMillis());
        return this;
    }

    /** How long the runner itself waits before it gives up (it then reports {@code timeout}). */
    Duration timeout() {
        Object millis = fields.get("timeoutMs");
        return Duration.ofMillis(millis == null ? 45_000 : (Long) millis);
    }

    String toJson() {
        return Json.write(fields);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
