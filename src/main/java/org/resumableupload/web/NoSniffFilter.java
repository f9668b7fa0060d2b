package org.resumableupload.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Gives every answer of the application {@code X-Content-Type-Options: nosniff}, including the upload
 * page's static files, which the container's default servlet serves (the API's servlets set it
 * themselves, so they keep it when embedded without this filter).
 */
final class NoSniffFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            Responses.noSniff(http);
        }
        chain.doFilter(request, response);
    }
}
