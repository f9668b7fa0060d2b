package org.resumableupload.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;
import org.resumableupload.web.RawHttp.Response;

/**
 * Test support: a request whose head has been sent (by a front end's wire helper) and whose body is
 * still to be sent, in pieces, or never (a stalled client), or cut ({@link #close}). Reads the responses one at
 * a time, interim ones included.
 */
public final class OpenRequest implements AutoCloseable {
    private final Socket socket;
    private final String method;
    private final Consumer<Response> received;

    /** {@code received} sees every response read (the owner keeps the cookie it issues). */
    public OpenRequest(Socket socket, String method, Consumer<Response> received) {
        this.socket = socket;
        this.method = method;
        this.received = received;
    }

    /** Sends more of the body; false if the server has closed the connection. */
    public boolean send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException closedByServer) {
            return false;
        }
    }

    /**
     * The next response on the connection, interim or final; null if the server closed the
     * connection without one (or reset it).
     *
     * @throws AssertionError if nothing arrives in {@code timeoutMillis}
     */
    public Response next(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        InputStream in = socket.getInputStream();
        try {
            Response response = RawHttp.readOne(in, method);
            if (response != null) {
                received.accept(response);
            }
            return response;
        } catch (SocketTimeoutException silent) {
            throw new AssertionError("no response in " + timeoutMillis + " ms", silent);
        } catch (IOException reset) {
            return null;
        }
    }

    /** The final response, skipping interim ones; null if the connection closed without one. */
    public Response finalResponse(int timeoutMillis) throws IOException {
        Response response = next(timeoutMillis);
        while (response != null && response.status() < 200) {
            response = next(timeoutMillis);
        }
        return response;
    }

    /** Drops the connection (mid-body: as a lost network would). */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
