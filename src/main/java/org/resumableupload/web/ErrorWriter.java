package org.resumableupload.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.resumableupload.core.UploadException;

/**
 * How one front end answers a refusal: its one table from the core's codes to statuses and headers,
 * and its error body, which carries the code's {@link org.resumableupload.core.ErrorCode#id()}.
 */
@FunctionalInterface
public interface ErrorWriter {

    /**
     * Writes the refusal as the whole response, unless the response is committed already (then it
     * does nothing: the container ends the connection).
     *
     * @throws IOException if the response cannot be written
     */
    void write(HttpServletResponse response, UploadException refusal) throws IOException;
}
