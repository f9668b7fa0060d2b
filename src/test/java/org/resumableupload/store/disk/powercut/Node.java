package org.resumableupload.store.disk.powercut;

/** A directory entry on the simulated disk: a file (by identity, so two names can share one) or a directory. */
sealed interface Node permits SimulatedDirectory, SimulatedFile {
}
