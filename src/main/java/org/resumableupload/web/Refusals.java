package org.resumableupload.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.resumableupload.core.UploadException;

/**
 * Answers a refusal on a request whose body may still be on its way, without a container thread ever
 * waiting for that body:
 * <ul>
 * <li>no body declared: the refusal, as any answer;</li>
 * <li>{@code Expect: 100-continue}: the refusal at once with {@code Connection: close}; the body is
 * never read, so no {@code 100 Continue} is sent;</li>
 * <li>a {@code Content-Length} up to {@link #DRAIN_LIMIT_BYTES}: the body is read and dropped with
 * non-blocking I/O, then the refusal is sent (on a connection that stays open); if the body has not
 * arrived within {@link #DRAIN_DEADLINE}, or the connection fails, the refusal is sent with
 * {@code Connection: close};</li>
 * <li>a larger or unknown length: the refusal at once with {@code Connection: close}, the body unread.</li>
 * </ul>
 */
public final class Refusals {
    /**
     * Bodies up to this size are drained: a client still sending when the server closes often loses the
     * answer (and its {@code Upload-Offset}) to a TCP reset. Larger ones cost more than a reconnect.
     */
    static final long DRAIN_LIMIT_BYTES = 1 << 20;
    /** How long a refused small body may take to arrive (1 MiB at 100 KiB/s). */
    static final Duration DRAIN_DEADLINE = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(Refusals.class.getName());
    private static final int DRAIN_BUFFER_BYTES = 8 * 1024;

    private Refusals() {
    }

    /** Answers {@code refusal} to {@code request}, whose body has not been read. */
    public static void answer(HttpServletRequest request, HttpServletResponse response, UploadException refusal,
                              ErrorWriter errors) throws IOException {
        long length = request.getContentLengthLong();
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (length <= 0 && !chunked) {
            errors.write(response, refusal);
            return;
        }
        if (!request.isAsyncSupported()) {
            // Registered without async support (an embedding host's choice): close rather than drain.
            closeAfterwards(response);
            errors.write(response, refusal);
            return;
        }
        // Answered inside an async context: when the connection closes, Tomcat then does not swallow
        // the unread body with blocking reads (as it does after a synchronous answer with most statuses).
        AsyncContext async = request.startAsync();
        if (expectsContinue(request) || chunked || length > DRAIN_LIMIT_BYTES) {
            closeAfterwards(response);
            answerQuietly(response, refusal, errors);
            async.complete();
            return;
        }
        new Drain(async, response, refusal, errors).start(request.getInputStream());
    }

    /** The connection is closed after this answer; the container does not read what is left of the body. */
    public static void closeAfterwards(HttpServletResponse response) {
        if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
    }

    private static boolean expectsContinue(HttpServletRequest request) {
        String expect = request.getHeader("Expect");
        return expect != null && expect.toLowerCase(Locale.ROOT).contains("100-continue");
    }

    private static void answerQuietly(HttpServletResponse response, UploadException refusal, ErrorWriter errors) {
        try {
            errors.write(response, refusal);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "could not answer a refused request", e);
        }
    }

    /** Reads and drops one small refused body as it arrives, then answers; exactly one answer. */
    private static final class Drain implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final HttpServletResponse response;
        private final UploadException refusal;
        private final ErrorWriter errors;
        private ServletInputStream body;
        private boolean answered;

        Drain(AsyncContext async, HttpServletResponse response, UploadException refusal, ErrorWriter errors) {
            this.errors = errors;
            this.async = async;
            this.response = response;
            this.refusal = refusal;
        }

        void start(ServletInputStream body) {
            this.body = body;
            async.setTimeout(DRAIN_DEADLINE.toMillis());
            async.addListener(this);
            body.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            byte[] dropped = new byte[DRAIN_BUFFER_BYTES];
            while (!isAnswered() && body.isReady()) {
                if (body.read(dropped) < 0) {
                    return; // onAllDataRead follows
                }
            }
        }

        @Override
        public void onAllDataRead() {
            answer(false);
        }

        /** The connection failed or idled out while the body was awaited. */
        @Override
        public void onError(Throwable failure) {
            answer(true);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            answer(true); // the drain deadline
        }

        @Override
        public void onError(AsyncEvent event) {
            answer(true);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // answered already
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }

        private synchronized boolean isAnswered() {
            return answered;
        }

        private void answer(boolean bodyLeftUnread) {
            synchronized (this) {
                if (answered) {
                    return;
                }
                answered = true;
            }
            try {
                if (bodyLeftUnread) {
                    closeAfterwards(response);
                }
                answerQuietly(response, refusal, errors);
            } finally {
                async.complete();
            }
        }
    }
}
