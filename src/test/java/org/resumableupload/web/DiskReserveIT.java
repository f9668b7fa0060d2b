package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.resumableupload.web.UploadClient.assertCompleted;
import static org.resumableupload.web.UploadClient.assertRefusedAt;
import static org.resumableupload.web.UploadClient.randomBytes;
import static org.resumableupload.web.UploadClient.sizeOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.store.FaultInjectingUploadStore;
import org.resumableupload.store.disk.DiskUploadStore;

/**
 * The disk reserve holds for every byte written, over real sockets and the real servlets, on a store
 * whose free space is set by the test and shrinks by every byte written (a small file system, exactly):
 * a chunked body is stopped where the reserve begins, and of two concurrent bodies that each fit but
 * not both, the second is refused before anything of it is written.
 */
@Timeout(60)
class DiskReserveIT {
    private static final int MIB = 1 << 20;
    private static final long RESERVE = MIB;

    @TempDir
    Path dir;

    private FaultInjectingUploadStore store;
    private StoreTestServer server;
    private UploadClient client;

    @BeforeEach
    void serve() throws Exception {
        store = new FaultInjectingUploadStore(new DiskUploadStore(dir));
        server = StoreTestServer.start(store, store::usableSpace, Map.of("upload.diskReserve", "1M"));
        client = new UploadClient(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void chunkedBodyLargerThanTheSpaceAboveTheReserveGets507AndKeepsExactlyThePrefixThatFits() throws Exception {
        long aboveReserve = 3L * MIB + 12_345;
        store.reportShrinkingSpace(RESERVE + aboveReserve);
        byte[] file = randomBytes(8 * MIB, 90);
        String fileId = "chunked-past-the-reserve";

        UploadClient.Reply full;
        try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", fileId, "X-Start-Byte", "0",
                "Transfer-Encoding", "chunked")) {
            Thread sender = sendChunked(raw, file);
            full = raw.response(UploadClient.TIMEOUT);
            sender.join(UploadClient.TIMEOUT.toMillis());
        }

        assertRefusedAt(full, 507, aboveReserve);
        assertEquals("not enough free disk space\ncode: insufficient-storage\noffset: " + aboveReserve + "\n",
                full.body());
        assertEquals(RESERVE, store.lowestUsableSpace(), "the free space never went below the reserve");
        assertStoredPrefix(file, fileId, aboveReserve);
        assertEquals(aboveReserve, client.offset(fileId));

        store.reportShrinkingSpace(RESERVE + 8L * MIB); // space is freed
        assertCompleted(client.postRangeRaw(fileId, file, (int) aboveReserve, file.length), file, dir);
    }

    @Test
    void ofTwoConcurrentBodiesThatEachFitButNotBothTheSecondIsRefused507BeforeAnyOfItIsWritten() throws Exception {
        store.reportShrinkingSpace(RESERVE + 3L * MIB);
        byte[] first = randomBytes(2 * MIB, 91);
        byte[] second = randomBytes(2 * MIB, 92);
        UploadClient other = new UploadClient(server);

        UploadClient.Reply firstDone;
        try (UploadClient.RawConnection raw = client.rawPost("X-File-Id", "first", "X-Start-Byte", "0",
                "X-File-Size", Integer.toString(first.length), "Content-Length", Integer.toString(first.length))) {
            raw.send(first, 0, MIB / 2);
            UploadClient.await("the first body is being written", () -> sizeOf(client.partData(dir, "first")) > 0);

            // 3 MiB free above the reserve, 2.5 MiB of it not yet written: the second 2 MiB do not fit.
            UploadClient.Reply refused = other.postRaw("second", 0, second, "X-File-Size",
                    Integer.toString(second.length));
            assertRefusedAt(refused, 507, 0);
            assertFalse(Files.exists(other.partData(dir, "second")), "not a byte of the second written");
            assertEquals(0, other.offset("second"));

            raw.send(first, MIB / 2, first.length - MIB / 2);
            firstDone = raw.response(UploadClient.TIMEOUT);
        }
        assertCompleted(firstDone, first, dir);
        assertEquals(RESERVE + MIB, store.lowestUsableSpace(), "one body written; the reserve untouched");

        store.reportShrinkingSpace(RESERVE + 3L * MIB); // space is freed
        assertCompleted(other.postRaw("second", 0, second, "X-File-Size", Integer.toString(second.length)),
                second, dir);
    }

    /** Sends {@code file} as a chunked body on another thread; the server may answer and close first. */
    private static Thread sendChunked(UploadClient.RawConnection raw, byte[] file) {
        Thread sender = new Thread(() -> {
            try {
                for (int at = 0; at < file.length; at += 256 * 1024) {
                    raw.sendChunk(file, at, Math.min(256 * 1024, file.length - at));
                }
                raw.endChunks();
            } catch (IOException answeredAndClosed) {
                // the 507 came before the whole body was sent
            }
        }, "chunked-sender");
        sender.setDaemon(true);
        sender.start();
        return sender;
    }

    private void assertStoredPrefix(byte[] file, String fileId, long offset) throws IOException {
        byte[] stored = Files.readAllBytes(client.partData(dir, fileId));
        assertEquals(offset, stored.length, "nothing stored past the offset the client was told");
        assertArrayEquals(Arrays.copyOf(file, (int) offset), stored, "the stored bytes are the body's first bytes");
    }
}
