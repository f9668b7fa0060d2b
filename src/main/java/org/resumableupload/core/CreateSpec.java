package org.resumableupload.core;

import org.resumableupload.store.Metadata;

/**
 * A new upload, as a front end parsed its creation request.
 *
 * @param length   the whole length, or {@link AppendSpec#UNKNOWN} when it is declared later
 * @param name     the file name the completed file gets, already sanitized ({@link FileNames#sanitize})
 * @param metadata what the client gave it, kept as given
 * @param partial  true for a part of a later concatenation (tus {@code Upload-Concat: partial})
 */
public record CreateSpec(long length, String name, Metadata metadata, boolean partial) {
}
