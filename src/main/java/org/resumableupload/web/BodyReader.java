package org.resumableupload.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.WriteOutcome;
import org.resumableupload.core.WriteSession;

/**
 * Streams one request body into its {@link WriteSession} as the container reports bytes ready, then
 * answers as its front end does ({@link BodyAnswers}). Exactly one answer is written, whichever comes
 * first: the body's end, a refusal, the connection's failure, or the core stopping the session.
 */
public final class BodyReader implements ReadListener {
    private static final Logger LOG = Logger.getLogger(BodyReader.class.getName());

    private final HttpServletResponse response;
    private final ReadBuffers buffers;
    private final BodyAnswers answers;
    private AsyncContext async;
    private WriteSession session;
    private ServletInputStream body;
    private UploadException stoppedBeforeListening;
    private boolean listening;
    private boolean answered;

    public BodyReader(HttpServletResponse response, ReadBuffers buffers, BodyAnswers answers) {
        this.response = response;
        this.answers = answers;
        this.buffers = buffers;
    }

    /**
     * Starts reading; called once the session exists and the request is async. A stop that arrives
     * before the read listener is registered (a newer request's takeover, on its thread) is answered
     * only after it: answered, and so completed, earlier, the registration throws (Jetty: "Async not
     * started") out of the servlet, and the container then answers 500 or, the stop's answer under
     * way, aborts the connection: a well-formed request would get a 5xx or no answer at all.
     */
    public void start(AsyncContext async, WriteSession session, ServletInputStream body) {
        synchronized (this) {
            this.async = async;
            this.session = session;
            this.body = body;
        }
        body.setReadListener(this);
        UploadException stopped;
        synchronized (this) {
            listening = true;
            stopped = stoppedBeforeListening;
        }
        if (stopped != null) {
            answer(stopped); // unless the listener has answered already
        }
    }

    @Override
    public void onDataAvailable() {
        byte[] buffer = buffers.take();
        int filled = 0;
        try {
            // Containers hand the body over in pieces of their own input buffer (Jetty: 8 KiB); fill
            // the whole buffer before writing, so the disk sees few, large writes.
            while (!isAnswered() && body.isReady()) {
                int bytesRead = body.read(buffer, filled, buffer.length - filled);
                if (bytesRead < 0) {
                    break; // onAllDataRead follows, once the bytes gathered are written
                }
                filled += bytesRead;
                if (filled == buffer.length) {
                    session.write(buffer, 0, filled);
                    filled = 0;
                }
            }
            if (filled > 0) {
                session.write(buffer, 0, filled);
            }
        } catch (UploadException e) {
            answer(e);
        } catch (IOException e) {
            keepGathered(buffer, filled);
            onError(e);
        } finally {
            buffers.release(buffer);
        }
    }

    /** The connection failed mid-read: bytes that arrived before it still count. */
    private void keepGathered(byte[] buffer, int filled) {
        if (filled > 0) {
            try {
                session.write(buffer, 0, filled);
            } catch (UploadException refusedOrStopped) {
                // onError answers with what is stored either way.
            }
        }
    }

    @Override
    public void onAllDataRead() {
        try {
            WriteOutcome outcome = session.finish();
            answer(outcome);
        } catch (UploadException e) {
            answer(e);
        }
    }

    @Override
    public void onError(Throwable failure) {
        // The body was cut: keep what arrived and say so. Completing without a status would let the
        // container answer 200, which the article's client takes for success.
        long stored = session.abort();
        LOG.log(Level.FINE, "upload body cut short", failure);
        answer(new UploadException(isTimeout(failure) ? ErrorCode.IDLE_TIMEOUT : ErrorCode.BODY_INCOMPLETE, stored));
    }

    /** The container's idle timeout: Jetty reports a TimeoutException, Tomcat a SocketTimeoutException. */
    private static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The registry stopped this session (newer request, idle, shutdown). */
    public void stopped(UploadException reason) {
        synchronized (this) {
            if (!listening) {
                stoppedBeforeListening = reason; // start answers it
                return;
            }
        }
        answer(reason);
    }

    private synchronized boolean isAnswered() {
        return answered;
    }

    private void answer(WriteOutcome outcome) {
        answerWith(() -> answers.stored(response, outcome));
    }

    private void answer(UploadException refusal) {
        answerWith(() -> {
            session.abort(); // settles a session still writing; a refusal or a stop has already
            if (!body.isFinished()) {
                // The rest of the body is not read: close rather than let Tomcat swallow it with blocking reads.
                Refusals.closeAfterwards(response);
            }
            answers.write(response, refusal);
        });
    }

    private interface Answer {
        void write() throws IOException;
    }

    /** Writes the one answer of this request (later ones are dropped) and completes it. */
    private void answerWith(Answer answer) {
        synchronized (this) {
            if (answered) {
                return;
            }
            answered = true;
        }
        try {
            answer.write();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "could not answer an upload request", e);
        } finally {
            async.complete();
        }
    }
}
