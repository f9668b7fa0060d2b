package org.resumableupload.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.resumableupload.core.WriteOutcome;

/** How one front end answers a request whose body {@link BodyReader} wrote: the outcome, or a refusal. */
public interface BodyAnswers extends ErrorWriter {

    /**
     * Writes the answer to a body that was stored (the upload now at {@code outcome}'s offset, or complete).
     *
     * @throws IOException if the response cannot be written
     */
    void stored(HttpServletResponse response, WriteOutcome outcome) throws IOException;
}
