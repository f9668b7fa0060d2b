package org.resumableupload.web;

import java.net.URI;

/**
 * Where an {@link UploadClient} sends its requests: the application on a loopback port, served by an
 * embedded Jetty ({@link TestServer}), a real container ({@link Deployment}), or a proxy in front of it.
 */
interface HttpTarget {
    /** The loopback port raw-socket requests connect to. */
    int port();

    /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
    default URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }
}
