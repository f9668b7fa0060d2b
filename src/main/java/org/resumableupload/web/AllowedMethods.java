package org.resumableupload.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;

/** The methods a resource answers; every other method gets 405 with {@code Allow}, never a 500. */
public final class AllowedMethods {
    private final List<String> methods;
    private final String allowHeader;

    private final ErrorWriter errors;

    public AllowedMethods(ErrorWriter errors, String... methods) {
        this.errors = errors;
        this.methods = List.of(methods);
        this.allowHeader = String.join(", ", methods) + ", OPTIONS";
    }

    /**
     * Answers the request if it is not for the servlet's own methods: 405 for a method not allowed,
     * the {@code Allow} list for OPTIONS (HttpServlet's default would also list TRACE).
     *
     * @return true if the request has been answered here
     */
    public boolean answered(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if ("OPTIONS".equals(method)) {
            Responses.common(response);
            response.setHeader("Allow", allowHeader);
            return true;
        }
        if (!methods.contains(method)) {
            response.setHeader("Allow", allowHeader);
            Refusals.answer(request, response, new UploadException(ErrorCode.METHOD_NOT_ALLOWED), errors);
            return true;
        }
        return false;
    }
}
