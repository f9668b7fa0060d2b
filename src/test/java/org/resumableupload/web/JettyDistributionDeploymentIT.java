package org.resumableupload.web;

import java.nio.file.Path;
import java.time.Duration;

/** The protocol suite against the built WAR in a real standalone Jetty 12 process (see {@link JettyDistributionDeployment}). */
class JettyDistributionDeploymentIT extends DeployedProtocolContract {
    @Override
    protected Deployment install(Path root, Duration idleTimeout) throws Exception {
        return JettyDistributionDeployment.install(Deployment.builtWar(), root, idleTimeout);
    }
}
