package org.resumableupload.store.disk.powercut;

/**
 * What one {@link PowerCutDisk#cut()} threw away.
 *
 * @param tripPoint      the operation the power failed at ({@code "force parts/x.data"}), or null if the
 *                       cut came without {@link PowerCutDisk#failAfter} or {@link PowerCutDisk#failNow()}
 *                       having stopped an operation
 * @param entriesUndone  directory entries (names created, renamed or deleted) no directory sync covered
 * @param filesReverted  files written or truncated since their last force, set back to their forced content
 * @param bytesUnforced  bytes those files held past the point of their earliest unforced change
 */
public record CutReport(String tripPoint, int entriesUndone, int filesReverted, long bytesUnforced) {
}
