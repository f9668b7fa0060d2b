package org.resumableupload.core;

/**
 * One request to append bytes to an upload, as a front end parsed it.
 *
 * @param startByte     where the body goes; {@code -1} (absent) or {@code 0} starts the upload over
 * @param declaredSize  the whole length of the upload if the client said it, else {@code -1}
 * @param contentLength length of the body if known in advance, else {@code -1}
 * @param name          sanitized file name for the completed file ({@link FileNames#forUpload})
 * @param chunkSha256   SHA-256 the body must have (from {@code Content-Digest}), or null
 */
public record AppendRequest(long startByte, long declaredSize, long contentLength, String name,
                            byte[] chunkSha256) {

    public static final long ABSENT = -1;

    /** True when this request starts the upload over (no start byte, or 0). */
    public boolean startsOver() {
        return startByte <= 0;
    }
}
