package org.resumableupload.web.interim.jetty;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.resumableupload.web.interim.InterimResponse;
import org.resumableupload.web.interim.InterimResponses;

/**
 * Interim responses on Jetty 12 over HTTP/1.1. Jetty's own {@code Response.writeInterim} writes
 * header fields only on 101 and 103 (jetty/jetty.project#12509): a 104 would go out as a bare status
 * line, which tells a client nothing. So the interim response is encoded here and written straight to
 * the connection's end point (the decrypted one under TLS), which is safe while the final response is
 * not committed: on an HTTP/1.1 connection nothing else writes before it, and a 100 Continue follows
 * only once the body is first read.
 *
 * <p>In the Jetty distribution the web application sees Jetty's classes only because its
 * {@code WEB-INF/jetty-web.xml} un-hides the few this class uses.
 */
public final class JettyInterimResponses implements InterimResponses {
    private static final long WRITE_TIMEOUT_SECONDS = 30;

    /**
     * Resolves every Jetty class {@link #send} links against, so that where one of them is hidden or
     * absent (a {@code jetty-web.xml} that misses one, a Jetty that moved one) this fails here, at
     * start, and {@link InterimResponses#forThisContainer()} falls back, rather than every creation
     * failing with a {@link NoClassDefFoundError} at its first 104.
     */
    public JettyInterimResponses() {
        // Exactly the classes WEB-INF/jetty-web.xml un-hides (InterimResponsesLinkingTest checks both lists).
        List.of(ServletContextRequest.class, ConnectionMetaData.class, HttpVersion.class, Connection.class,
                EndPoint.class, Callback.class, FutureCallback.class).forEach(Class::getName);
    }

    @Override
    public boolean send(HttpServletRequest request, HttpServletResponse response, InterimResponse interim)
            throws IOException {
        ServletContextRequest jettyRequest;
        try {
            jettyRequest = ServletContextRequest.getServletContextRequest(request);
        } catch (IllegalStateException notJettys) {
            return false; // a request Jetty did not make: Jetty throws where it finds none, never answers null
        }
        if (jettyRequest == null || response.isCommitted()) {
            return false;
        }
        ConnectionMetaData connection = jettyRequest.getConnectionMetaData();
        if (connection.getHttpVersion() != HttpVersion.HTTP_1_1) {
            return false; // HTTP/1.0 clients must not get 1xx; other versions frame them differently
        }
        EndPoint endPoint = connection.getConnection().getEndPoint();
        FutureCallback written = new FutureCallback();
        try {
            endPoint.write(written, encode(interim));
            written.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the interim response could not be written", e.getCause());
        } catch (RuntimeException e) {
            // A write already pending (WritePendingException), a closed end point: the connection is unusable.
            throw new IOException("the interim response could not be written", e);
        } catch (TimeoutException e) {
            // Still queued, it would collide with Jetty's own next write: the connection goes.
            endPoint.close(e);
            throw new IOException("the interim response was not written in " + WRITE_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the interim response");
        }
        return true;
    }

    static ByteBuffer encode(InterimResponse interim) {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(interim.status()).append(' ')
                .append(interim.reason()).append("\r\n");
        interim.fields().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        return ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
