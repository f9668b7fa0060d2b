package org.resumableupload.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and recognizes the values of anonymous owners' cookies. A value is a random token (256 bits)
 * and its HMAC-SHA256 under a server key, both base64url without padding, joined by '.'. Only values
 * made with the same key are recognized, so a client cannot pick its owner: it gets one from the
 * server. The {@link Owner} is derived from the token alone.
 */
public final class OwnerTokens {
    /** Length of the signing key in bytes. */
    public static final int KEY_BYTES = 32;
    private static final int TOKEN_BYTES = 32;
    private static final String HMAC = "HmacSHA256";
    private static final Pattern SIGNED = Pattern.compile("([A-Za-z0-9_-]{43})\\.([A-Za-z0-9_-]{43})");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /**
     * Signs and checks with {@code key}.
     *
     * @throws IllegalArgumentException if {@code key} is not {@link #KEY_BYTES} bytes long
     */
    public OwnerTokens(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an owner key is " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, HMAC);
    }

    /** A newly issued cookie value and the new owner it names. */
    public record Issued(String value, Owner owner) {
    }

    /** A new owner: a fresh random token, signed. */
    public Issued issue() {
        byte[] bits = new byte[TOKEN_BYTES];
        random.nextBytes(bits);
        String token = BASE64URL.encodeToString(bits);
        return new Issued(token + "." + mac(token), Owner.token(token));
    }

    /**
     * The owner {@code value} names if this server (this key) issued it; empty for anything else: null,
     * unsigned, another key's signature, or garbage.
     */
    public Optional<Owner> owner(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher parts = SIGNED.matcher(value);
        if (!parts.matches()) {
            return Optional.empty();
        }
        String token = parts.group(1);
        // Constant time: how far a guess matched must not show in the time of the answer. The encoded
        // forms are compared, so each MAC has exactly one accepted spelling.
        boolean issued = MessageDigest.isEqual(mac(token).getBytes(StandardCharsets.US_ASCII),
                parts.group(2).getBytes(StandardCharsets.US_ASCII));
        return issued ? Optional.of(Owner.token(token)) : Optional.empty();
    }

    private String mac(String token) {
        try {
            Mac mac = Mac.getInstance(HMAC); // not thread-safe: one per call costs about a microsecond
            mac.init(key);
            return BASE64URL.encodeToString(mac.doFinal(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }
}
