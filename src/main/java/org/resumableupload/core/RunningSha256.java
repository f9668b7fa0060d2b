package org.resumableupload.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.SavableDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The SHA-256 of an upload's bytes so far, whose state can be saved with each committed offset and
 * resumed later, on this node after a restart or on another node, without reading the bytes again.
 *
 * <p>Bouncy Castle's SHA-256 picks a native implementation where one is available (as fast as the
 * JDK's), else its pure-Java one; their saved states are not interchangeable, so a saved state is
 * tagged with the variant that made it ({@code VARIANT:BASE64}) and resumed only by the same variant.
 * Not thread-safe.
 */
final class RunningSha256 {
    private final SavableDigest digest;

    private RunningSha256(SavableDigest digest) {
        this.digest = digest;
    }

    /** The digest of no bytes. */
    static RunningSha256 fresh() {
        return new RunningSha256(SHA256Digest.newInstance());
    }

    /** The digest of every byte of {@code in}. */
    static RunningSha256 of(InputStream in) throws IOException {
        RunningSha256 sha256 = fresh();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha256.update(buffer, 0, n);
        }
        return sha256;
    }

    /**
     * The digest whose state {@link #state()} saved, if this runtime's variant made it: empty for a
     * null, malformed or foreign state (the caller then rebuilds the digest from the bytes).
     */
    static Optional<RunningSha256> resume(String state) {
        String variant = variant();
        if (state == null || !state.startsWith(variant + ":")) {
            return Optional.empty();
        }
        try {
            byte[] encoded = Base64.getDecoder().decode(state.substring(variant.length() + 1));
            return Optional.of(new RunningSha256(SHA256Digest.newInstance(encoded)));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private static String variant() {
        return SHA256Digest.newInstance().getClass().getSimpleName();
    }

    void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    void update(ByteBuffer bytes) {
        ByteBuffer view = bytes.duplicate();
        if (view.hasArray()) {
            digest.update(view.array(), view.arrayOffset() + view.position(), view.remaining());
            return;
        }
        byte[] chunk = new byte[Math.min(view.remaining(), 1 << 16)];
        while (view.hasRemaining()) {
            int length = Math.min(chunk.length, view.remaining());
            view.get(chunk, 0, length);
            digest.update(chunk, 0, length);
        }
    }

    /** The saved state, tagged with its variant. */
    String state() {
        return digest.getClass().getSimpleName() + ":" + Base64.getEncoder().encodeToString(digest.getEncodedState());
    }

    /** An independent copy. */
    RunningSha256 copy() {
        return new RunningSha256((SavableDigest) digest.copy());
    }

    /** The SHA-256 of the bytes so far (this digest goes on unchanged). */
    byte[] sha256() {
        SavableDigest finished = (SavableDigest) digest.copy();
        byte[] out = new byte[finished.getDigestSize()];
        finished.doFinal(out, 0);
        return out;
    }
}
