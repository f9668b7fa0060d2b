package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import jakarta.servlet.FilterChain;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.web.ServletMocks.Request;
import org.resumableupload.web.ServletMocks.Response;
import org.resumableupload.web.tus.TusHeaders;

class CorsTest {
    private static final String APP = "https://app.example";
    private final FilterChain chain = mock(FilterChain.class);
    private final Response response = new Response();

    private static Cors tusCors(List<String> origins) {
        return new Cors(new Cors.Policy(origins, TusHeaders.CORS_METHODS, TusHeaders.CORS_REQUEST_HEADERS,
                TusHeaders.CORS_EXPOSED_HEADERS, Duration.ofDays(1)));
    }

    private static Request preflight(String origin) {
        return new Request("OPTIONS").header("Origin", origin).header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "tus-resumable, upload-offset, content-type");
    }

    @Test
    void withNoOriginsConfiguredNothingIsAdded() throws Exception {
        Request request = preflight(APP);

        tusCors(List.of()).doFilter(request.mock, response.mock, chain);

        verify(chain).doFilter(request.mock, response.mock);
        assertNull(response.header("Access-Control-Allow-Origin"));
        assertNull(response.header("Vary"));
        assertFalse(response.answered());
    }

    @Test
    void aPreflightFromAConfiguredOriginIsAnsweredHere() throws Exception {
        Request request = preflight(APP);

        tusCors(List.of("https://other.example", APP)).doFilter(request.mock, response.mock, chain);

        verify(chain, never()).doFilter(request.mock, response.mock);
        assertEquals(204, response.status());
        assertEquals(APP, response.header("Access-Control-Allow-Origin"));
        assertEquals("true", response.header("Access-Control-Allow-Credentials"));
        assertEquals(Set.of("POST", "GET", "HEAD", "PATCH", "DELETE", "OPTIONS"),
                response.headerElements("Access-Control-Allow-Methods"));
        assertTrue(response.headerElements("Access-Control-Allow-Headers").containsAll(Set.of("Tus-Resumable",
                "Upload-Length", "Upload-Offset", "Upload-Metadata", "Upload-Defer-Length", "Upload-Concat",
                "Upload-Checksum", "Content-Type", "X-HTTP-Method-Override", "X-Requested-With")));
        assertEquals("86400", response.header("Access-Control-Max-Age"));
        assertEquals("Origin", response.header("Vary"));
        assertNull(response.header("Access-Control-Expose-Headers"), "a preflight exposes nothing");
    }

    @Test
    void anActualRequestFromAConfiguredOriginExposesTheTusHeaders() throws Exception {
        Request request = new Request("PATCH").header("Origin", APP);

        tusCors(List.of(APP)).doFilter(request.mock, response.mock, chain);

        verify(chain).doFilter(request.mock, response.mock);
        assertEquals(APP, response.header("Access-Control-Allow-Origin"));
        assertEquals("true", response.header("Access-Control-Allow-Credentials"));
        assertEquals(Set.of("Location", "Upload-Offset", "Upload-Length", "Upload-Metadata", "Upload-Expires",
                "Upload-Defer-Length", "Upload-Concat", "Tus-Resumable", "Tus-Version", "Tus-Extension",
                "Tus-Max-Size", "Tus-Checksum-Algorithm"), response.headerElements("Access-Control-Expose-Headers"));
        assertEquals("Origin", response.header("Vary"));
        assertFalse(response.answered(), "the front end answers");
    }

    @Test
    void aTusOptionsRequestWithoutPreflightHeadersGoesToTheFrontEnd() throws Exception {
        Request request = new Request("OPTIONS").header("Origin", APP);

        tusCors(List.of(APP)).doFilter(request.mock, response.mock, chain);

        verify(chain).doFilter(request.mock, response.mock);
        assertEquals(APP, response.header("Access-Control-Allow-Origin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "http://app.example", "https://app.example:8443",
            "https://app.example.evil.example", "null", "HTTPS://APP.EXAMPLE"})
    void anyOtherOriginGetsNoCorsHeadersButAVary(String origin) throws Exception {
        Request request = preflight(origin);

        tusCors(List.of(APP)).doFilter(request.mock, response.mock, chain);

        verify(chain).doFilter(request.mock, response.mock);
        assertNull(response.header("Access-Control-Allow-Origin"));
        assertNull(response.header("Access-Control-Allow-Credentials"));
        assertNull(response.header("Access-Control-Allow-Methods"));
        assertEquals("Origin", response.header("Vary"), "a cache must not hand this answer to the allowed origin");
    }

    @Test
    void aSameOriginRequestWithoutOriginPassesWithAVary() throws Exception {
        Request request = new Request("HEAD");

        tusCors(List.of(APP)).doFilter(request.mock, response.mock, chain);

        verify(chain).doFilter(request.mock, response.mock);
        assertNull(response.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", response.header("Vary"));
    }

    @Test
    void originsAreReadFromASettingAndNormalised() {
        assertEquals(List.of(), Cors.origins(null));
        assertEquals(List.of(), Cors.origins("  "));
        assertEquals(List.of("https://app.example", "http://localhost:5173", "https://[::1]:8443"),
                Cors.origins(" HTTPS://App.Example/, http://localhost:5173  https://[::1]:8443"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "null", "https://*.example", "app.example", "https://app.example/path",
            "https://user@app.example", "https://app.example?x", "ftp://app.example", "https://"})
    void wildcardsPathsAndOtherSchemesAreNotOrigins(String setting) {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, () -> Cors.origins(setting));

        assertTrue(refusal.getMessage().contains(setting), refusal::getMessage);
    }
}
