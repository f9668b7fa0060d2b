package org.resumableupload.web;

import java.nio.file.Path;

/** The protocol suite against the webapp in an embedded Jetty ({@link TestServer}), restarted in-process. */
class EmbeddedDeploymentIT extends DeployedProtocolContract {
    @Override
    protected Deployment install(Path root) {
        return new EmbeddedDeployment(root.resolve("uploads"));
    }
}
