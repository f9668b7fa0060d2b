package org.resumableupload.web;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the real webapp ({@link TestServer}) in a JVM of its own until that JVM is killed, so a test can
 * SIGKILL a server that is in the middle of writing uploads.
 *
 * <p>Arguments: storage directory, port, then any number of {@code upload.x=value} settings. Prints
 * {@code READY <port>} once it serves.
 */
public final class CrashSoakServer {
    private CrashSoakServer() {
    }

    public static void main(String[] args) throws Exception {
        Path storageDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Map<String, String> settings = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            settings.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        TestServer server = TestServer.start(storageDir, settings, port);
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.currentThread().join(); // serves until the test kills this JVM
    }
}
