package org.resumableupload.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.resumableupload.core.Owner;
import org.resumableupload.core.OwnerTokens;

/**
 * Tells whose request this is: the container's authenticated user if there is one, else the holder of
 * an owner cookie this server issued ({@link OwnerTokens}: random 256 bits, signed; {@code HttpOnly},
 * {@code SameSite=Strict}, {@code Secure} over HTTPS). A request with no such cookie, or only with
 * values the server did not issue, is a new owner and gets a new cookie.
 */
public final class Owners {
    static final String COOKIE = "upload-owner";
    private static final int MAX_AGE_SECONDS = (int) Duration.ofDays(400).toSeconds();

    private final OwnerTokens tokens;

    public Owners(OwnerTokens tokens) {
        this.tokens = tokens;
    }

    /** The owner of {@code request}; issues a cookie on {@code response} unless the client sent a valid one. */
    public Owner resolve(HttpServletRequest request, HttpServletResponse response) {
        String user = request.getRemoteUser();
        if (user != null) {
            return Owner.user(user);
        }
        Optional<Owner> known = issuedOwner(request);
        if (known.isPresent()) {
            return known.get();
        }
        OwnerTokens.Issued issued = tokens.issue();
        response.addCookie(cookie(request, issued.value()));
        return issued.owner();
    }

    // A planted cookie (say from a sibling subdomain) may come beside the client's own: the first one
    // the server issued wins, so a forged value can neither replace nor shadow it.
    private Optional<Owner> issuedOwner(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName())) {
                Optional<Owner> owner = tokens.owner(cookie.getValue());
                if (owner.isPresent()) {
                    return owner;
                }
            }
        }
        return Optional.empty();
    }

    private static Cookie cookie(HttpServletRequest request, String value) {
        Cookie cookie = new Cookie(COOKIE, value);
        String path = request.getContextPath();
        cookie.setPath(path == null || path.isEmpty() ? "/" : path);
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setMaxAge(MAX_AGE_SECONDS);
        cookie.setAttribute("SameSite", "Strict");
        return cookie;
    }
}
