package org.resumableupload.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import org.resumableupload.core.Owner;

/**
 * Tells whose request this is: the container's authenticated user if there is one, else the holder of
 * the owner cookie, which the server issues on first contact (random 256 bits; {@code HttpOnly},
 * {@code SameSite=Strict}, {@code Secure} over HTTPS).
 */
public final class Owners {
    static final String COOKIE = "upload-owner";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_AGE_SECONDS = (int) Duration.ofDays(400).toSeconds();

    private final SecureRandom random = new SecureRandom();

    /** The owner of {@code request}; issues a cookie on {@code response} when the client has none. */
    public Owner resolve(HttpServletRequest request, HttpServletResponse response) {
        String user = request.getRemoteUser();
        if (user != null) {
            return Owner.user(user);
        }
        String token = cookieToken(request);
        if (token == null) {
            token = newToken();
            response.addCookie(cookie(request, token));
        }
        return Owner.token(token);
    }

    private static String cookieToken(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName()) && cookie.getValue() != null
                    && TOKEN.matcher(cookie.getValue()).matches()) {
                return cookie.getValue();
            }
        }
        return null;
    }

    private String newToken() {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    private static Cookie cookie(HttpServletRequest request, String token) {
        Cookie cookie = new Cookie(COOKIE, token);
        String path = request.getContextPath();
        cookie.setPath(path == null || path.isEmpty() ? "/" : path);
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setMaxAge(MAX_AGE_SECONDS);
        cookie.setAttribute("SameSite", "Strict");
        return cookie;
    }
}
