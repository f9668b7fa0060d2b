package org.resumableupload.web.ietf;

/**
 * The draft's interop versions ({@code Upload-Draft-Interop-Version}) this server answers. A draft
 * server sends a 104 only to a client that names a version it implements, and names that version in
 * the 104. Implemented: 9 (draft -12), 8 (-09 to -11; Apple's URLSession on iOS 26 sends it), 7
 * (-06 to -08) and 6 (-04, -05), whose rules this server's answers satisfy; and 4 and 5 (-02, -03),
 * which did not yet label appends {@code application/partial-upload}. Not 3 (-01, iOS 17), which
 * says {@code Upload-Incomplete} where later versions say {@code Upload-Complete}. Where the
 * versions' rules differ this server answers as -12 does, except that OPTIONS also carries the
 * {@code Accept-Patch} that -09 to -11 require.
 */
final class Interop {
    static final int CURRENT = 9;
    static final int OLDEST = 4;
    /** From this version on, an append must be labelled {@code application/partial-upload}. */
    private static final int PARTIAL_UPLOAD_TYPE_SINCE = 6;

    private Interop() {
    }

    /** Whether a 104 goes to a client that sent {@code version} (0: it sent none). */
    static boolean sends104(int version) {
        return version >= OLDEST && version <= CURRENT;
    }

    /** Whether a client of {@code version} may append without {@code Content-Type: application/partial-upload}. */
    static boolean mayOmitPartialUploadType(int version) {
        return version >= OLDEST && version < PARTIAL_UPLOAD_TYPE_SINCE;
    }
}
