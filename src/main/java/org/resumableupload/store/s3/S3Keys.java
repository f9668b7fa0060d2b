package org.resumableupload.store.s3;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.resumableupload.store.UploadId;

/**
 * Where each thing lives in the bucket, all under the configured prefix: the records (small objects
 * written with compare-and-set), the tails of parts, an index of each owner's completed uploads, the
 * completed objects (by the configured key scheme) and the objects waiting to be deleted.
 */
final class S3Keys {
    private final String prefix;
    private final String completedTemplate;

    S3Keys(String prefix, String completedTemplate) {
        this.prefix = prefix;
        this.completedTemplate = completedTemplate;
    }

    String partRecord(UploadId id) {
        return prefix + "records/parts/" + id.value();
    }

    String partRecords() {
        return prefix + "records/parts/";
    }

    String completedRecord(UploadId id) {
        return prefix + "records/completed/" + id.value();
    }

    /** The bytes of a part from its last full S3 part up to its committed offset. */
    String tail(UploadId id, String generation, long offset) {
        return tails(id, generation) + offset;
    }

    /** Every tail of one generation of a part. */
    String tails(UploadId id, String generation) {
        return prefix + "tails/" + id.value() + "/" + generation + "/";
    }

    String ownerIndex(String ownerTag) {
        // Owner tags are opaque: encoded, so no tag can reach outside its own folder.
        return prefix + "owners/" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(ownerTag.getBytes(StandardCharsets.UTF_8)) + "/";
    }

    String ownerEntry(String ownerTag, UploadId id) {
        return ownerIndex(ownerTag) + id.value();
    }

    String retired() {
        return prefix + "retired/";
    }

    String lockPrefix() {
        return prefix + "locks/";
    }

    String ownerKey() {
        return prefix + "owner-key";
    }

    /**
     * The completed object's key for one version of an upload. The name is sanitized by the core (no
     * path separators); it only decorates the key, which {@code {id}} and {@code {version}} make unique.
     */
    String completed(UploadId id, String version, String ownerTag, String name) {
        return completedTemplate.replace("{prefix}", prefix).replace("{id}", id.value())
                .replace("{version}", version)
                .replace("{owner}", Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(ownerTag.getBytes(StandardCharsets.UTF_8)))
                .replace("{name}", name.replace('/', '_').replace('\\', '_'));
    }
}
