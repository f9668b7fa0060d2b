package org.resumableupload.web.interim;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends an interim (1xx) response with header fields before the final one. Servlet 6.1 has no API
 * for it, so each container that can gets an implementation of its own ({@code interim.jetty}); the
 * front ends see only this interface and go on without the interim response where it cannot be sent.
 */
public interface InterimResponses {

    /**
     * Sends {@code interim} on the connection of {@code request} at once, before the final response
     * and before the body is read.
     *
     * @param request  the request being answered
     * @param response its response, not committed yet
     * @return true if it was sent; false if this container, or this request's protocol version,
     *         cannot carry it, or the response is committed (nothing was written then)
     * @throws IOException if the connection failed while it was being written
     */
    boolean send(HttpServletRequest request, HttpServletResponse response, InterimResponse interim)
            throws IOException;

    /** For a container that cannot send interim responses (Tomcat 11): sends none, says so. */
    InterimResponses UNSUPPORTED = (request, response, interim) -> false;

    /**
     * The implementation for the container this class was loaded in: Jetty 12 (embedded, the
     * distribution with the WAR's {@code WEB-INF/jetty-web.xml}, {@code mvn jetty:run}), else
     * {@link #UNSUPPORTED}.
     */
    static InterimResponses forThisContainer() {
        Logger log = Logger.getLogger(InterimResponses.class.getName());
        try {
            // By name: on other containers the Jetty classes it links against are absent.
            Class<?> jetty = Class.forName("org.resumableupload.web.interim.jetty.JettyInterimResponses", true,
                    InterimResponses.class.getClassLoader());
            InterimResponses found = (InterimResponses) jetty.getDeclaredConstructor().newInstance();
            log.info("interim responses (104 Upload Resumption Supported): sent over HTTP/1.1 on Jetty");
            return found;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException notJetty) {
            // Expected on every container but Jetty: one line naming the cause; the stack trace only at FINE.
            Throwable cause = notJetty instanceof InvocationTargetException invoked && invoked.getCause() != null
                    ? invoked.getCause() : notJetty;
            log.info(() -> "interim responses (104 Upload Resumption Supported): this container cannot send them ("
                    + cause + "); uploads work without them");
            log.log(Level.FINE, "why interim responses cannot be sent here", notJetty);
            return UNSUPPORTED;
        }
    }
}
