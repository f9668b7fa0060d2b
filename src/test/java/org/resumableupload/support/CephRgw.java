package org.resumableupload.support;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.resumableupload.store.s3.S3Clients;
import org.resumableupload.store.s3.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Test support: a real Ceph RGW (Debian's radosgw 16: one mon, one memstore OSD, one radosgw on
 * 127.0.0.1), shared by every test of this JVM, with one bucket ({@link #bucket()}, created if missing).
 *
 * <p>Where it comes from, in order: the {@code endpoint.properties} that {@code .ci/ceph-rgw.sh start}
 * wrote, named by the system property {@value #ENDPOINT_FILE_PROPERTY} or the environment variable
 * {@value #ENDPOINT_FILE_ENV} ({@code .ci/run} sets both); else, where radosgw is installed, a cluster
 * this class starts with that script in a temporary directory and stops when the JVM exits; else the
 * test is skipped with a message saying how to run it, so that a developer's {@code mvn verify} needs no
 * Ceph. With {@value #REQUIRED_PROPERTY}{@code =true} (or {@value #REQUIRED_ENV}{@code =1}), as in CI,
 * a missing Ceph fails the test instead.
 */
public final class CephRgw {
    public static final String ENDPOINT_FILE_PROPERTY = "ceph.endpointFile";
    public static final String ENDPOINT_FILE_ENV = "CEPH_RGW_ENDPOINT_FILE";
    public static final String REQUIRED_PROPERTY = "ceph.required";
    public static final String REQUIRED_ENV = "CEPH_REQUIRED";
    static final String INSTALL = "sudo apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd";

    private static CephRgw shared;
    private static RuntimeException unavailable;

    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final String bucket;

    private CephRgw(Properties endpointFile) {
        endpoint = URI.create(value(endpointFile, "endpoint"));
        accessKey = value(endpointFile, "accessKey");
        secretKey = value(endpointFile, "secretKey");
        bucket = endpointFile.getProperty("bucket", "uploads");
    }

    /**
     * The cluster of this JVM, found or started on first use (a start takes a few seconds).
     *
     * @throws org.opentest4j.TestAbortedException where radosgw is not installed, no cluster is named and
     *                                             Ceph is not required: the caller's test is skipped
     * @throws IllegalStateException               where a named cluster cannot be read, a started one
     *                                             does not come up, or Ceph is required but missing
     */
    public static synchronized CephRgw shared() {
        if (shared == null && unavailable == null) {
            try {
                shared = find();
                shared.createBucket();
            } catch (RuntimeException e) {
                unavailable = e;
            }
        }
        if (unavailable != null) {
            throw unavailable;
        }
        return shared;
    }

    private static CephRgw find() {
        String named = setting(ENDPOINT_FILE_PROPERTY, ENDPOINT_FILE_ENV);
        if (named != null) {
            return new CephRgw(read(Path.of(named)));
        }
        if (CephRgwProcess.installed()) {
            return new CephRgw(read(CephRgwProcess.startForThisJvm()));
        }
        String how = "Ceph RGW is not installed (no radosgw on PATH). To run the tests against a real Ceph: "
                + INSTALL + " (the tests then start a throwaway cluster themselves), or run .ci/run; or name a "
                + "running one with -D" + ENDPOINT_FILE_PROPERTY + "=DIR/endpoint.properties from "
                + ".ci/ceph-rgw.sh start DIR.";
        if (required()) {
            throw new IllegalStateException(how + " (Ceph is required here: " + REQUIRED_PROPERTY + " / "
                    + REQUIRED_ENV + " is set)");
        }
        return Assumptions.abort(how);
    }

    private static boolean required() {
        String value = setting(REQUIRED_PROPERTY, REQUIRED_ENV);
        return value != null && (value.equals("1") || Boolean.parseBoolean(value));
    }

    /** A system property, else the environment variable; blank counts as unset (the pom passes empty). */
    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Ceph RGW endpoint file " + file.toAbsolutePath()
                    + " (written by .ci/ceph-rgw.sh start DIR): " + e, e);
        }
        return properties;
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the Ceph RGW endpoint file has no " + key + ": " + properties);
        }
        return value.trim();
    }

    private void createBucket() {
        try (S3Client s3 = client()) {
            try {
                s3.headBucket(b -> b.bucket(bucket));
            } catch (NoSuchBucketException missing) {
                try {
                    s3.createBucket(b -> b.bucket(bucket));
                } catch (BucketAlreadyOwnedByYouException createdMeanwhile) {
                    // another JVM on the same cluster was quicker
                }
            }
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    /** The settings a node uses for this cluster, as {@code upload.*} keys, with {@code prefix}. */
    public Map<String, String> nodeSettings(String prefix) {
        Map<String, String> settings = new HashMap<>();
        settings.put("upload.store", "s3");
        settings.put(S3Settings.ENDPOINT, endpoint.toString());
        settings.put(S3Settings.BUCKET, bucket);
        settings.put(S3Settings.PREFIX, prefix);
        settings.put(S3Settings.PATH_STYLE, "true");
        settings.put(S3Settings.ACCESS_KEY, accessKey);
        settings.put(S3Settings.SECRET_KEY, secretKey);
        return settings;
    }

    /** {@link S3Settings} for this cluster under {@code prefix}, the rest default but {@code overrides}. */
    public S3Settings settings(String prefix, Map<String, String> overrides) {
        Map<String, String> all = nodeSettings(prefix);
        all.putAll(overrides);
        return S3Settings.from(all::get);
    }

    /** A client of this cluster with short timeouts; the caller closes it. */
    public S3Client client() {
        return S3Clients.client(settings("", Map.of(S3Settings.REQUEST_TIMEOUT, "10s")), 16);
    }
}
