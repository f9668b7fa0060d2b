package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ReadBuffersTest {

    @Test
    void aReleasedBufferIsLentAgain() {
        ReadBuffers buffers = new ReadBuffers(1024, 2);
        byte[] first = buffers.take();
        buffers.release(first);

        assertSame(first, buffers.take());
    }

    @Test
    void buffersLentAtTheSameTimeAreDistinctAndOfTheGivenSize() {
        ReadBuffers buffers = new ReadBuffers(1024, 2);

        byte[] first = buffers.take();
        byte[] second = buffers.take();

        assertNotSame(first, second);
        assertEquals(1024, first.length);
        assertEquals(1024, second.length);
    }

    @Test
    void onlyAsManyBuffersAsAskedAreKeptIdle() {
        ReadBuffers buffers = new ReadBuffers(1024, 1);
        byte[] first = buffers.take();
        byte[] second = buffers.take();
        buffers.release(first);
        buffers.release(second); // dropped: one is idle already

        assertSame(first, buffers.take());
        byte[] fresh = buffers.take();
        assertNotSame(first, fresh);
        assertNotSame(second, fresh);
    }
}
