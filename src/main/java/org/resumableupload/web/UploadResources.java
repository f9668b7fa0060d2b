package org.resumableupload.web;

import jakarta.servlet.http.HttpServletResponse;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;
import org.resumableupload.store.UploadId;

/** What the front ends with server-minted upload URLs (tus, the IETF draft) share about them. */
public final class UploadResources {

    private UploadResources() {
    }

    /**
     * The upload the path below a front end's base names ({@code /ID}): ids are the server's own
     * 64-hex names, so anything else names no upload and never becomes a path.
     *
     * @throws UploadException NOT_FOUND for anything but {@code /} and a valid id
     */
    public static UploadId idIn(String pathInfo) throws UploadException {
        String id = pathInfo.substring(1);
        if (!UploadId.isValid(id)) {
            throw new UploadException(ErrorCode.NOT_FOUND);
        }
        return UploadId.of(id);
    }

    /** The refusal of a method the resource does not answer, with {@code Allow} set to {@code allowed}. */
    public static UploadException notAllowed(HttpServletResponse response, String allowed) {
        response.setHeader("Allow", allowed);
        return new UploadException(ErrorCode.METHOD_NOT_ALLOWED);
    }
}
