package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The running SHA-256 whose state is saved with each commit and resumed later without the bytes. */
class RunningSha256Test {
    private static final byte[] DATA = new byte[300_000];

    static {
        new Random(11).nextBytes(DATA);
    }

    private static byte[] jdkSha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static String variant() {
        String state = RunningSha256.fresh().state();
        return state.substring(0, state.indexOf(':'));
    }

    @Test
    void theDigestOfNothingIsTheSha256OfNothing() throws Exception {
        assertArrayEquals(jdkSha256(new byte[0]), RunningSha256.fresh().sha256());
    }

    @Test
    void savingAndResumingTheStateAtAnyPointsEqualsHashingContinuously() throws Exception {
        int[] cuts = {0, 1, 63, 64, 65, 4096, 100_001, 299_999, DATA.length};
        RunningSha256 running = RunningSha256.fresh();
        int done = 0;
        for (int cut : cuts) {
            running.update(DATA, done, cut - done);
            done = cut;
            String saved = running.state();
            running = RunningSha256.resume(saved).orElseThrow(); // as after a restart, with only the record
            assertArrayEquals(jdkSha256(Arrays.copyOf(DATA, cut)), running.sha256(), "after " + cut + " bytes");
        }
    }

    @Test
    void sha256LeavesTheDigestRunning() throws Exception {
        RunningSha256 running = RunningSha256.fresh();
        running.update(DATA, 0, 1000);

        running.sha256();
        running.update(DATA, 1000, DATA.length - 1000);

        assertArrayEquals(jdkSha256(DATA), running.sha256());
    }

    @Test
    void aCopyGoesOnIndependently() throws Exception {
        RunningSha256 original = RunningSha256.fresh();
        original.update(DATA, 0, 10);

        RunningSha256 copy = original.copy();
        copy.update(DATA, 10, 10);

        assertArrayEquals(jdkSha256(Arrays.copyOf(DATA, 10)), original.sha256());
        assertArrayEquals(jdkSha256(Arrays.copyOf(DATA, 20)), copy.sha256());
    }

    @Test
    void ofAStreamHashesEveryByteOfIt() throws Exception {
        assertArrayEquals(jdkSha256(DATA), RunningSha256.of(new ByteArrayInputStream(DATA)).sha256());
    }

    @Test
    void heapAndDirectBuffersHashTheirRemainingBytesAndKeepTheirPosition() throws Exception {
        ByteBuffer heap = ByteBuffer.wrap(DATA, 5, 200_000);
        ByteBuffer direct = ByteBuffer.allocateDirect(200_000).put(DATA, 5, 200_000).flip();
        RunningSha256 fromHeap = RunningSha256.fresh();
        RunningSha256 fromDirect = RunningSha256.fresh();

        fromHeap.update(heap);
        fromDirect.update(direct);

        byte[] expected = jdkSha256(Arrays.copyOfRange(DATA, 5, 200_005));
        assertArrayEquals(expected, fromHeap.sha256());
        assertArrayEquals(expected, fromDirect.sha256());
        assertEquals(5, heap.position());
        assertEquals(0, direct.position());
    }

    @Test
    void aStateIsTaggedWithTheVariantThatMadeIt() {
        String state = RunningSha256.fresh().state();

        assertTrue(state.startsWith(variant() + ":"), state);
        assertTrue(variant().contains("SHA256"), variant());
    }

    @Test
    void noStateResumesToNothing() {
        assertEquals(Optional.empty(), RunningSha256.resume(null));
    }

    @Test
    void anotherVariantsStateIsNotResumed() {
        String mine = RunningSha256.fresh().state();
        String foreign = "SHA256NativeDigest".equals(variant()) ? "SHA256Digest" : "SHA256NativeDigest";

        assertEquals(Optional.empty(), RunningSha256.resume(foreign + mine.substring(mine.indexOf(':'))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", ":", "SHA256Digest", "%s:", "%s:not base64!", "%s:AAAA",
            "%s:AAECAwQFBgcICQoLDA0ODw==", "%sX:AAAA"})
    void aMalformedStateIsNotResumed(String shape) {
        assertEquals(Optional.empty(), RunningSha256.resume(shape.formatted(variant())));
    }

    @Test
    void aTruncatedStateIsNotResumed() {
        RunningSha256 running = RunningSha256.fresh();
        running.update(DATA, 0, 100);
        String state = running.state();
        byte[] encoded = Base64.getDecoder().decode(state.substring(state.indexOf(':') + 1));
        String truncated = variant() + ":" + Base64.getEncoder().encodeToString(Arrays.copyOf(encoded, encoded.length / 2));

        assertEquals(Optional.empty(), RunningSha256.resume(truncated));
    }
}
