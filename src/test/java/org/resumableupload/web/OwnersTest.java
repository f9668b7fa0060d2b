package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.Cookie;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.core.Owner;
import org.resumableupload.core.OwnerTokens;
import org.resumableupload.web.ServletMocks.Request;
import org.resumableupload.web.ServletMocks.Response;

/** Which owner a request is, and when it gets a new cookie. */
class OwnersTest {
    private static final OwnerTokens TOKENS = new OwnerTokens(new byte[OwnerTokens.KEY_BYTES]);
    private final Owners owners = new Owners(TOKENS);

    private record Resolved(Owner owner, List<Cookie> issued) {
    }

    private Resolved resolve(Request request) {
        Response response = new Response();
        Owner owner = owners.resolve(request.mock, response.mock);
        return new Resolved(owner, response.cookies());
    }

    private static Request withCookies(String... values) {
        return new Request("GET").cookies(Arrays.stream(values).map(v -> new Cookie(Owners.COOKIE, v))
                .toArray(Cookie[]::new));
    }

    @Test
    void theIssuedCookieIsSignedAndNamesTheSameOwnerWithoutANewCookie() {
        Resolved first = resolve(new Request("GET"));
        assertEquals(1, first.issued().size());
        String value = first.issued().get(0).getValue();
        assertTrue(value.matches("[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}"), value);

        Resolved again = resolve(withCookies(value));

        assertEquals(first.owner(), again.owner());
        assertEquals(List.of(), again.issued());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",      // the attack: a well-formed unsigned token
            "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",      // any old-format (unsigned) cookie
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "", "x", "../../x", "a.b.c"})
    void aValueTheServerDidNotIssueGetsANewCookieAndANewOwner(String planted) {
        Resolved resolved = resolve(withCookies(planted));

        assertEquals(1, resolved.issued().size(), "a new cookie replaces " + planted);
        String issued = resolved.issued().get(0).getValue();
        assertNotEquals(planted, issued);
        assertEquals(TOKENS.owner(issued).orElseThrow(), resolved.owner());
        if (planted.length() >= 43) {
            assertNotEquals(Owner.token(planted.substring(0, 43)), resolved.owner(), "not the planted owner");
        }
    }

    @Test
    void aValueSignedWithAnotherKeyGetsANewCookieAndANewOwner() {
        OwnerTokens.Issued otherServer = new OwnerTokens(otherKey()).issue();

        Resolved resolved = resolve(withCookies(otherServer.value()));

        assertEquals(1, resolved.issued().size());
        assertNotEquals(otherServer.owner(), resolved.owner());
    }

    private static byte[] otherKey() {
        byte[] key = new byte[OwnerTokens.KEY_BYTES];
        key[31] = 1;
        return key;
    }

    @Test
    void aGarbledCopyOfAnIssuedCookieIsANewOwner() {
        OwnerTokens.Issued real = TOKENS.issue();
        String garbled = real.value().substring(0, 50) + (real.value().charAt(50) == 'x' ? 'y' : 'x')
                + real.value().substring(51);

        Resolved resolved = resolve(withCookies(garbled));

        assertEquals(1, resolved.issued().size());
        assertNotEquals(real.owner(), resolved.owner());
    }

    @Test
    void aPlantedCookieBesideTheClientsOwnNeitherReplacesNorShadowsIt() {
        OwnerTokens.Issued own = TOKENS.issue();

        Resolved plantedFirst = resolve(withCookies("A".repeat(43), own.value()));
        Resolved plantedAfter = resolve(withCookies(own.value(), "A".repeat(43)));

        assertEquals(own.owner(), plantedFirst.owner());
        assertEquals(List.of(), plantedFirst.issued());
        assertEquals(own.owner(), plantedAfter.owner());
    }

    @Test
    void theContainersUserComesFirstAndGetsNoCookie() {
        Resolved resolved = resolve(new Request("GET").remoteUser("carol").cookies(new Cookie(Owners.COOKIE, "forged")));

        assertEquals(Owner.user("carol"), resolved.owner());
        assertEquals(List.of(), resolved.issued());
    }
}
