package org.resumableupload.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.Uploads;
import org.resumableupload.core.WriteSession;
import org.resumableupload.store.UploadId;

/**
 * Streams request bodies into uploads, for one front end: the core opens the session (taking over
 * from a writer still running and checking offset, lengths and space), then {@link BodyReader} feeds
 * it the body without blocking a thread, and answers once. Holds the front end's read buffers.
 */
public final class BodyStreams {
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int IDLE_READ_BUFFERS = 64;

    /** Opens the session a body is written to; {@code onStopped} is told if it is later stopped. */
    @FunctionalInterface
    public interface SessionOpener {
        /**
         * @throws UploadException the core's refusal, before anything of the body was read
         */
        WriteSession open(Consumer<UploadException> onStopped) throws UploadException;
    }

    private final Uploads uploads;
    private final ReadBuffers buffers = new ReadBuffers(READ_BUFFER_BYTES, IDLE_READ_BUFFERS);

    public BodyStreams(Uploads uploads) {
        this.uploads = uploads;
    }

    /**
     * Appends the body of {@code request} to {@code owner}'s upload {@code id} as {@code spec} says and
     * answers as {@code answers} does.
     *
     * @throws UploadException as {@link Uploads#append}, before anything of the body was read
     * @throws IOException     if the body cannot be opened
     */
    public void append(Owner owner, UploadId id, AppendSpec spec, HttpServletRequest request,
                       HttpServletResponse response, BodyAnswers answers) throws IOException, UploadException {
        // The offset must equal what is stored, else a refusal and nothing changes (checked in the core).
        stream(request, response, answers, onStopped -> uploads.append(owner, id, spec, onStopped));
    }

    /**
     * Streams the body of {@code request} into the session {@code opener} opens and answers as
     * {@code answers} does.
     *
     * @throws UploadException the opener's refusal, before anything of the body was read
     * @throws IOException     if the body cannot be opened
     */
    public void stream(HttpServletRequest request, HttpServletResponse response, BodyAnswers answers,
                       SessionOpener opener) throws IOException, UploadException {
        BodyReader reader = new BodyReader(response, buffers, answers);
        WriteSession session = opener.open(reader::stopped);
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // uploads take as long as they take; idleness is the core's sweep
        reader.start(async, session, request.getInputStream());
    }
}
