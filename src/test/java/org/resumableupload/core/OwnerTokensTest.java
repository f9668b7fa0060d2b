package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OwnerTokensTest {
    private static byte[] key(int fill) {
        byte[] key = new byte[OwnerTokens.KEY_BYTES];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private final OwnerTokens tokens = new OwnerTokens(key(1));

    @Test
    void anIssuedValueNamesItsOwnerAgain() {
        OwnerTokens.Issued issued = tokens.issue();

        assertTrue(issued.value().matches("[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}"), issued.value());
        assertEquals(Optional.of(issued.owner()), tokens.owner(issued.value()));
    }

    @Test
    void theOwnerIsDerivedFromTheTokenAloneSoStoredTagsKeepTheirMeaning() {
        OwnerTokens.Issued issued = tokens.issue();
        String token = issued.value().substring(0, issued.value().indexOf('.'));

        assertEquals(Owner.token(token), issued.owner());
        assertEquals(Owner.token(token).tag(), issued.owner().tag());
    }

    @Test
    void eachIssueIsANewOwner() {
        assertNotEquals(tokens.issue().owner(), tokens.issue().owner());
    }

    @Test
    void anotherKeysValueIsNotRecognized() {
        OwnerTokens.Issued elsewhere = new OwnerTokens(key(2)).issue();

        assertEquals(Optional.empty(), tokens.owner(elsewhere.value()));
    }

    @Test
    void aTokenWithAChangedSignatureIsNotRecognized() {
        String value = tokens.issue().value();
        char last = value.charAt(value.length() - 1);
        String tampered = value.substring(0, value.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertEquals(Optional.empty(), tokens.owner(tampered));
    }

    @Test
    void aSignatureMovedToAnotherTokenIsNotRecognized() {
        String one = tokens.issue().value();
        String other = tokens.issue().value();
        String spliced = other.substring(0, 43) + one.substring(43);

        assertEquals(Optional.empty(), tokens.owner(spliced));
    }

    @Test
    void aSignatureSpelledDifferentlyIsNotRecognized() {
        // The last of 43 base64url characters carries 2 unused bits: flipping one decodes to the same
        // MAC, but only the server's own spelling is accepted.
        String value = tokens.issue().value();
        char last = value.charAt(value.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char twin = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String respelled = value.substring(0, value.length() - 1) + twin;
        assertTrue(Arrays.equals(Base64.getUrlDecoder().decode(value.substring(44)),
                Base64.getUrlDecoder().decode(respelled.substring(44))), "same bytes, other spelling");

        assertEquals(Optional.empty(), tokens.owner(respelled));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "../../x", "a b", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!"})
    void unsignedOldFormatAndGarbledValuesAreNotRecognized(String value) {
        assertEquals(Optional.empty(), tokens.owner(value));
    }

    @Test
    void noValueIsNoOwner() {
        assertEquals(Optional.empty(), tokens.owner(null));
    }

    @Test
    void aKeyOfTheWrongLengthIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OwnerTokens(new byte[16]));

        assertTrue(e.getMessage().contains("32"), e.getMessage());
    }
}
