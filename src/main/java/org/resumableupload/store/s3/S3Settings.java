package org.resumableupload.store.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.resumableupload.config.SettingValues;

/**
 * Where and how the S3 store keeps uploads, each configurable ({@code upload.s3.*}).
 *
 * @param endpoint       the S3 endpoint ({@code upload.s3.endpoint}); empty for AWS's own
 * @param region         the signing region ({@code upload.s3.region})
 * @param bucket         the bucket, which must exist ({@code upload.s3.bucket})
 * @param prefix         every key the store writes starts with this ({@code upload.s3.prefix})
 * @param pathStyle      {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
 *                       ({@code upload.s3.pathStyle}; most servers other than AWS need it)
 * @param accessKey      explicit credentials ({@code upload.s3.accessKey}); empty: the SDK's default
 *                       provider chain (environment, profile, instance role)
 * @param secretKey      the secret of {@code accessKey} ({@code upload.s3.secretKey})
 * @param partSize       bytes per multipart part except the last ({@code upload.s3.partSize}, at least 5 MiB)
 * @param partsInFlight  parts of one upload sent to S3 at the same time ({@code upload.s3.partsInFlight})
 * @param completedKey   the key of a completed upload's object, with {@code {prefix}}, {@code {owner}},
 *                       {@code {id}}, {@code {version}} (new for each completion) and {@code {name}}
 *                       ({@code upload.s3.completedKey}); {@code {id}} and {@code {version}} are required
 * @param redirectDownloads downloads answer a redirect to a presigned URL instead of streaming
 *                       ({@code upload.s3.redirectDownloads})
 * @param requestTimeout the longest one S3 call may take, retries included, before the client gets
 *                       503 ({@code upload.s3.requestTimeout})
 * @param lockLease      how long a node's lock on an upload outlives its last renewal: a dead node's
 *                       uploads can be taken over after this ({@code upload.s3.lockLease})
 */
public record S3Settings(Optional<URI> endpoint, String region, String bucket, String prefix, boolean pathStyle,
                         Optional<String> accessKey, Optional<String> secretKey, long partSize, int partsInFlight,
                         String completedKey, boolean redirectDownloads, Duration requestTimeout,
                         Duration lockLease) {

    /** S3's smallest part but the last. */
    public static final long MIN_PART_SIZE = 5L << 20;
    public static final String ENDPOINT = "upload.s3.endpoint";
    public static final String REGION = "upload.s3.region";
    public static final String BUCKET = "upload.s3.bucket";
    public static final String PREFIX = "upload.s3.prefix";
    public static final String PATH_STYLE = "upload.s3.pathStyle";
    public static final String ACCESS_KEY = "upload.s3.accessKey";
    public static final String SECRET_KEY = "upload.s3.secretKey";
    public static final String PART_SIZE = "upload.s3.partSize";
    public static final String PARTS_IN_FLIGHT = "upload.s3.partsInFlight";
    public static final String COMPLETED_KEY = "upload.s3.completedKey";
    public static final String REDIRECT_DOWNLOADS = "upload.s3.redirectDownloads";
    public static final String REQUEST_TIMEOUT = "upload.s3.requestTimeout";
    public static final String LOCK_LEASE = "upload.s3.lockLease";

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException(BUCKET + ": required when upload.store=s3");
        }
        if (partSize < MIN_PART_SIZE || partSize > (5L << 30)) {
            throw new IllegalArgumentException(PART_SIZE + ": must be from 5M to 5G (S3's limits): " + partSize);
        }
        if (partsInFlight < 1) {
            throw new IllegalArgumentException(PARTS_IN_FLIGHT + ": must be at least 1");
        }
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException(ACCESS_KEY + " and " + SECRET_KEY + ": give both or neither");
        }
        if (!completedKey.contains("{id}") || !completedKey.contains("{version}")) {
            // {version}: a download under way keeps reading its version while a newer one completes.
            throw new IllegalArgumentException(COMPLETED_KEY + ": must contain {id} and {version}, so keys never collide");
        }
    }

    /**
     * Reads every setting by key from {@code lookup} (null for unset keys), with the documented defaults.
     *
     * @throws IllegalArgumentException naming the key whose value cannot be used
     */
    public static S3Settings from(Function<String, String> lookup) {
        String endpoint = SettingValues.text(lookup, ENDPOINT, null);
        String prefix = SettingValues.text(lookup, PREFIX, "resumable-upload/");
        return new S3Settings(
                Optional.ofNullable(endpoint).map(URI::create),
                SettingValues.text(lookup, REGION, "us-east-1"),
                SettingValues.text(lookup, BUCKET, null),
                prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/",
                SettingValues.bool(lookup, PATH_STYLE, endpoint != null),
                Optional.ofNullable(SettingValues.text(lookup, ACCESS_KEY, null)),
                Optional.ofNullable(SettingValues.text(lookup, SECRET_KEY, null)),
                SettingValues.size(lookup, PART_SIZE, 8L << 20),
                (int) Math.min(64, SettingValues.positive(lookup, PARTS_IN_FLIGHT,
                        SettingValues.size(lookup, PARTS_IN_FLIGHT, 4))),
                SettingValues.text(lookup, COMPLETED_KEY, "{prefix}completed/{id}/{version}"),
                SettingValues.bool(lookup, REDIRECT_DOWNLOADS, false),
                SettingValues.positive(lookup, REQUEST_TIMEOUT,
                        SettingValues.duration(lookup, REQUEST_TIMEOUT, Duration.ofSeconds(20))),
                SettingValues.positive(lookup, LOCK_LEASE,
                        SettingValues.duration(lookup, LOCK_LEASE, Duration.ofSeconds(3))));
    }
}
