package org.resumableupload.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cross-origin access for the configured origins only, so that a page on another origin (an Uppy
 * page, say) can use a front end; with no origins configured (the default) it adds nothing. A
 * preflight from such an origin is answered here (204); an actual request from it gets the exact
 * origin back, {@code Access-Control-Allow-Credentials: true} (the owner cookie must travel) and the
 * policy's exposed headers. Requests from any other origin pass untouched, so the browser withholds
 * the answer from that page. Wildcards are refused: with credentials, {@code *} would hand every
 * site its visitors' uploads.
 */
public final class Cors implements Filter {
    /**
     * What one front end allows.
     *
     * @param origins        exact origins ({@code https://app.example:8443}), lowercase; empty is off
     * @param methods        {@code Access-Control-Allow-Methods}
     * @param requestHeaders {@code Access-Control-Allow-Headers}
     * @param exposedHeaders {@code Access-Control-Expose-Headers}
     * @param maxAge         how long a browser may keep a preflight answer
     */
    public record Policy(List<String> origins, List<String> methods, List<String> requestHeaders,
                  List<String> exposedHeaders, Duration maxAge) {
        public Policy {
            origins = List.copyOf(origins);
            methods = List.copyOf(methods);
            requestHeaders = List.copyOf(requestHeaders);
            exposedHeaders = List.copyOf(exposedHeaders);
        }
    }

    private final Policy policy;
    private final String methods;
    private final String requestHeaders;
    private final String exposedHeaders;

    public Cors(Policy policy) {
        this.policy = policy;
        this.methods = String.join(", ", policy.methods());
        this.requestHeaders = String.join(", ", policy.requestHeaders());
        this.exposedHeaders = String.join(", ", policy.exposedHeaders());
    }

    /**
     * The origins a setting lists, separated by commas or spaces; null or blank is none.
     *
     * @throws IllegalArgumentException for an entry that is not {@code http(s)://host[:port]} (a path,
     *                                  query, user, {@code *} or {@code null}), naming it
     */
    public static List<String> origins(String setting) {
        List<String> origins = new ArrayList<>();
        if (setting == null || setting.isBlank()) {
            return origins;
        }
        for (String entry : setting.strip().split("[,\\s]+")) {
            origins.add(origin(entry));
        }
        return origins;
    }

    private static String origin(String entry) {
        String trimmed = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && !uri.getHost().contains("*")) {
                return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                        + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            }
        } catch (URISyntaxException malformed) {
            // refused below
        }
        throw new IllegalArgumentException("not an origin (http(s)://host[:port]): " + entry);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (policy.origins().isEmpty() || !(request instanceof HttpServletRequest http)
                || !(response instanceof HttpServletResponse answer)) {
            chain.doFilter(request, response);
            return;
        }
        answer.addHeader("Vary", "Origin"); // the answer depends on it, so caches must key on it
        String origin = http.getHeader("Origin");
        if (origin == null || !policy.origins().contains(origin)) {
            chain.doFilter(request, response);
            return;
        }
        answer.setHeader("Access-Control-Allow-Origin", origin);
        answer.setHeader("Access-Control-Allow-Credentials", "true");
        if ("OPTIONS".equals(http.getMethod()) && http.getHeader("Access-Control-Request-Method") != null) {
            answer.addHeader("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers");
            answer.setHeader("Access-Control-Allow-Methods", methods);
            answer.setHeader("Access-Control-Allow-Headers", requestHeaders);
            answer.setHeader("Access-Control-Max-Age", Long.toString(policy.maxAge().toSeconds()));
            answer.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        answer.setHeader("Access-Control-Expose-Headers", exposedHeaders);
        chain.doFilter(request, response);
    }
}
