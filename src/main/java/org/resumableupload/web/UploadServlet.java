package org.resumableupload.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.resumableupload.core.AppendRequest;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.UploadRegistry;
import org.resumableupload.core.WriteSession;
import org.resumableupload.store.UploadId;

/**
 * {@code POST /upload} with {@code X-File-Id} and {@code X-Start-Byte}: appends the body to the upload
 * from that offset. The body is read with non-blocking I/O ({@link BodyReader}), so a slow client
 * holds no container thread.
 */
public final class UploadServlet extends HttpServlet {
    private static final AllowedMethods ALLOWED = new AllowedMethods("POST");

    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int IDLE_READ_BUFFERS = 64;

    private final transient UploadRegistry registry;
    private final transient Owners owners;
    private final transient ReadBuffers buffers = new ReadBuffers(READ_BUFFER_BYTES, IDLE_READ_BUFFERS);

    public UploadServlet(UploadRegistry registry, Owners owners) {
        this.registry = registry;
        this.owners = owners;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!ALLOWED.answered(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Owner owner = owners.resolve(request, response);
        BodyReader reader = new BodyReader(response, buffers);
        try {
            String fileId = RequestHeaders.fileId(request);
            UploadId id = registry.idFor(owner, fileId);
            AppendRequest append = RequestHeaders.appendRequest(request, fileId);
            // Stops an older writer of this upload, checks the offset, sizes and free space.
            WriteSession session = registry.begin(owner, id, append, reader::stopped);
            AsyncContext async = request.startAsync();
            async.setTimeout(0); // uploads take as long as they take; idleness is the registry's sweep
            reader.start(async, session, request.getInputStream());
        } catch (UploadException e) {
            Refusals.answer(request, response, e); // the body unread: drained without blocking, or closed
        }
    }
}
