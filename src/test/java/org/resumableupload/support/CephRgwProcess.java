package org.resumableupload.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops a throwaway Ceph cluster with the project's {@code .ci/ceph-rgw.sh}, for
 * {@link CephRgw} where none was named. The script's watcher also stops it if this JVM dies without
 * running its shutdown hooks.
 */
final class CephRgwProcess {
    /** Longer than the script's own 60 s limit, so its message with the daemons' logs is what we see. */
    private static final long START_LIMIT_SECONDS = 120;

    private CephRgwProcess() {
    }

    static boolean installed() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin" : path + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "radosgw"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts a cluster in a new temporary directory, stopped at JVM exit.
     *
     * @return its endpoint file
     * @throws IllegalStateException with the script's output if it does not come up
     */
    static Path startForThisJvm() {
        Path script = script();
        try {
            Path dir = Files.createTempDirectory("ceph-rgw-");
            Path output = Files.createTempFile("ceph-rgw-start-", ".log");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(script, dir), "ceph-rgw-stop"));
            ProcessBuilder start = new ProcessBuilder("bash", script.toString(), "start", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            start.environment().put("CEPH_RGW_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
            Process process = start.start();
            if (!process.waitFor(START_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " start did not end within " + START_LIMIT_SECONDS
                        + " s:\n" + Files.readString(output));
            }
            String log = Files.readString(output);
            Files.delete(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " start " + dir + " failed (exit " + process.exitValue()
                        + "):\n" + log);
            }
            return dir.resolve("endpoint.properties");
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Ceph RGW", e);
        }
    }

    private static void stop(Path script, Path dir) {
        try {
            new ProcessBuilder("bash", script.toString(), "stop", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("cannot stop Ceph RGW in " + dir + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The script in the project's {@code .ci}; Maven runs the tests with the project as the directory. */
    private static Path script() {
        Path script = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), ".ci", "ceph-rgw.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("radosgw is installed but " + script.toAbsolutePath()
                    + " is missing: run the tests from the project directory");
        }
        return script;
    }
}
