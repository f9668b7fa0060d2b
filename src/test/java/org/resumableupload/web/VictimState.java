package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resumableupload.web.HostileCorpus.Victim;

/**
 * A victim of the fuzz ({@link HostileInputIT}): an upload of owner A, made over the article protocol, its
 * bytes and what is stored of them, which no request of the fuzz may change.
 */
final class VictimState {
    private static final Pattern COMPLETED_ID = Pattern.compile("\"id\":\"([0-9a-f]{64})\"");

    final String clientId;
    final byte[] source;
    final long stored;
    final long declaredSize;
    final String completedId;

    VictimState(String clientId, byte[] source, long stored, long declaredSize, String completedId) {
        this.clientId = clientId;
        this.source = source;
        this.stored = stored;
        this.declaredSize = declaredSize;
        this.completedId = completedId;
    }

    Victim victim() {
        return new Victim(clientId, stored, declaredSize, completedId != null);
    }

    byte[] prefix() {
        return java.util.Arrays.copyOf(source, (int) stored);
    }

    /** A's upload of {@code size} bytes (declared) with {@code stored} of them sent. */
    static VictimState sized(RawClient owner, String id, int size, int stored) {
        byte[] source = bytes(id, size);
        RawHttp.Response answer = owner.upload(id, 0, size, java.util.Arrays.copyOf(source, stored));
        assertEquals(stored == size ? 200 : 204, answer.status(), answer::toString);
        return new VictimState(id, source, stored, size, stored == size ? completedId(answer) : null);
    }

    /** A's article-style upload (no declared size) whose body was cut after {@code stored} bytes. */
    static VictimState cut(RawClient owner, String id, int size, int stored, int readTimeoutMillis) throws IOException {
        byte[] source = bytes(id, size);
        byte[] request = RawHttp.concat(RawHttp.head("POST /upload HTTP/1.1", "Host: 127.0.0.1", "X-File-Id: " + id,
                "X-Start-Byte: 0", owner.cookieHeader(), "Content-Length: " + size),
                java.util.Arrays.copyOf(source, stored));
        RawHttp.Response answer = RawHttp.exchange(owner.port(), request, "POST", readTimeoutMillis)
                .first().orElseThrow();
        assertEquals(400, answer.status(), answer::toString);
        assertEquals(stored, answer.uploadOffset());
        return new VictimState(id, source, stored, -1, null);
    }

    private static byte[] bytes(String id, int size) {
        byte[] bytes = new byte[size];
        new Random(id.hashCode()).nextBytes(bytes);
        return bytes;
    }

    static String completedId(RawHttp.Response answer) {
        Matcher id = COMPLETED_ID.matcher(answer.text());
        assertTrue(id.find(), answer::toString);
        return id.group(1);
    }
}
