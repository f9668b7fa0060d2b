package org.resumableupload.web.article;

import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.BodyChecksum;
import org.resumableupload.core.CreateSpec;
import org.resumableupload.store.Metadata;

/**
 * One {@code POST upload}, as its headers say.
 *
 * @param startByte     {@code X-Start-Byte}; absent ({@link AppendSpec#UNKNOWN}) or 0 starts over
 * @param declaredSize  {@code X-File-Size}, or {@link AppendSpec#UNKNOWN}
 * @param contentLength the body's length, or {@link AppendSpec#UNKNOWN} (chunked)
 * @param name          the sanitized file name
 * @param checksum      from {@code Content-Digest}, or null
 */
record ArticleRequest(long startByte, long declaredSize, long contentLength, String name, BodyChecksum checksum) {

    boolean startsOver() {
        return startByte <= 0;
    }

    /** The upload a start-over creates. */
    CreateSpec creation() {
        return new CreateSpec(declaredSize, name, Metadata.EMPTY, false);
    }

    /** The append: a whole body completes an upload whose size was never declared. */
    AppendSpec append() {
        return new AppendSpec(startsOver() ? 0 : startByte, contentLength, declaredSize,
                AppendSpec.Ending.LAST_UNLESS_SIZED, checksum);
    }
}
