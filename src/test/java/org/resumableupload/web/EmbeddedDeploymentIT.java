package org.resumableupload.web;

import java.nio.file.Path;
import java.time.Duration;

/** The protocol suite against the webapp in an embedded Jetty ({@link TestServer}), restarted in-process. */
class EmbeddedDeploymentIT extends DeployedProtocolContract {
    @Override
    protected Deployment install(Path root, Duration idleTimeout) {
        return new EmbeddedDeployment(root.resolve("uploads"), idleTimeout);
    }
}
