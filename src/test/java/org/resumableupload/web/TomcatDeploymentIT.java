package org.resumableupload.web;

import java.nio.file.Path;

/** The protocol suite against the built WAR in a real Tomcat 11 process (see {@link TomcatDeployment}). */
class TomcatDeploymentIT extends DeployedProtocolContract {
    @Override
    protected Deployment install(Path root) throws Exception {
        return TomcatDeployment.install(Deployment.builtWar(), root);
    }
}
