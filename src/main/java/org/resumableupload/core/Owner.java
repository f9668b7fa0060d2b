package org.resumableupload.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who an upload belongs to. Only a one-way tag of the owner's name or token is ever stored, so the
 * files on disk do not hold anyone's session secret.
 */
public final class Owner {
    private final String tag;

    private Owner(String tag) {
        this.tag = tag;
    }

    /** An owner the container authenticated ({@code getRemoteUser()}). */
    public static Owner user(String name) {
        return new Owner(tag("user", name));
    }

    /** An anonymous owner known by a random token the server issued. */
    public static Owner token(String token) {
        return new Owner(tag("token", token));
    }

    private static String tag(String kind, String value) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(kind.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The opaque tag stored with each upload. */
    public String tag() {
        return tag;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Owner that && tag.equals(that.tag);
    }

    @Override
    public int hashCode() {
        return tag.hashCode();
    }

    @Override
    public String toString() {
        return "Owner[" + tag.substring(0, 8) + "…]";
    }
}
