package org.resumableupload.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Gives every answer of the application, including the upload page's static files (which the
 * container's default servlet serves), the headers that limit what a browser does with it:
 * {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: SAMEORIGIN} and a
 * {@link #CONTENT_SECURITY_POLICY}. The API's servlets set the first two themselves
 * ({@link Responses#common}), so they keep them when embedded without this filter.
 */
final class SecurityHeadersFilter implements Filter {
    /**
     * The page runs only its own files: scripts, styles, images and requests from its own origin, no
     * inline script or style, no plugins, no {@code <base>} or form posts elsewhere, and only its own
     * origin may frame it.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'self'";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            Responses.noSniff(http);
            Responses.sameOriginFramesOnly(http);
            http.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        chain.doFilter(request, response);
    }
}
