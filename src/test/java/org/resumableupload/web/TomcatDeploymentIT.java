package org.resumableupload.web;

import java.nio.file.Path;
import java.time.Duration;

/** The protocol suite against the built WAR in a real Tomcat 11 process (see {@link TomcatDeployment}). */
class TomcatDeploymentIT extends DeployedProtocolContract {
    @Override
    protected Deployment install(Path root, Duration idleTimeout) throws Exception {
        return TomcatDeployment.install(Deployment.builtWar(), root, idleTimeout);
    }
}
