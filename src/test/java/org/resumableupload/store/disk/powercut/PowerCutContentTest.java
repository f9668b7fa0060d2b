package org.resumableupload.store.disk.powercut;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a power cut leaves of a file's content: what its last completed force covered, nothing else. */
class PowerCutContentTest {
    @TempDir
    Path temp;

    private Path root;
    private Path file;
    private PowerCutDisk disk;
    private PowerCutFiles files;

    @BeforeEach
    void makeDisk() throws IOException {
        root = Files.createDirectories(temp.resolve("disk"));
        file = root.resolve("file");
        Files.writeString(file, "0123456789"); // there before the disk: durable
        disk = new PowerCutDisk(root);
        files = disk.mount();
    }

    static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private String afterCut(Path path) throws IOException {
        disk.cut();
        return Files.readString(path);
    }

    @Test
    void bytesWrittenWithoutAForceAreLostAtTheCut() throws IOException {
        try (FileChannel channel = files.open(file, WRITE)) {
            channel.position(10);
            write(channel, "-unforced");
        }
        assertEquals("0123456789-unforced", Files.readString(file), "the running system sees them");

        assertEquals("0123456789", afterCut(file));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aForceOfDataAloneOrWithMetadataKeepsEveryByteWrittenBeforeIt(boolean metadata) throws IOException {
        try (FileChannel channel = files.open(file, WRITE)) {
            channel.position(10);
            write(channel, "-forced");
            channel.force(metadata);
            write(channel, "-not");
        }

        assertEquals("0123456789-forced", afterCut(file));
    }

    @Test
    void aNewFileIsEmptyAfterTheCutUntilItIsForced() throws IOException {
        Path fresh = root.resolve("fresh");
        try (FileChannel channel = files.open(fresh, CREATE_NEW, WRITE)) {
            files.syncDirectory(root); // its name is durable, its bytes are not
            write(channel, "never forced");
        }

        assertEquals("", afterCut(fresh));
    }

    @Test
    void aTruncationWithoutAForceIsUndone() throws IOException {
        try (FileChannel channel = files.open(file, WRITE)) {
            channel.truncate(4);
        }

        assertEquals("0123456789", afterCut(file));
    }

    @Test
    void aForcedTruncationKeepsTheShorterFileAndWhatWasForcedAfterIt() throws IOException {
        try (FileChannel channel = files.open(file, WRITE)) {
            channel.truncate(4);
            channel.force(true);
            assertEquals("0123", afterCut(file));
        }
        files = disk.mount();
        try (FileChannel channel = files.open(file, WRITE)) {
            channel.truncate(2);
            channel.position(2);
            write(channel, "xy");
            channel.force(false);
        }

        assertEquals("01xy", afterCut(file));
    }

    @Test
    void openingWithTruncateExistingIsUndoneWithoutAForce() throws IOException {
        try (FileChannel channel = files.open(file, WRITE, TRUNCATE_EXISTING)) {
            write(channel, "new");
        }
        assertEquals("new", Files.readString(file));

        assertEquals("0123456789", afterCut(file));
    }

    @Test
    void appendingWritesAtTheEndAndAForceKeepsIt() throws IOException {
        try (FileChannel channel = files.open(file, APPEND)) {
            write(channel, "+a");
            channel.force(false);
            write(channel, "+b");
        }
        assertEquals("0123456789+a+b", Files.readString(file));

        assertEquals("0123456789+a", afterCut(file));
    }

    @Test
    void aChannelGetsOnlyTheAccessItAskedFor() throws IOException {
        try (FileChannel readOnly = files.open(file, READ); FileChannel writeOnly = files.open(file, WRITE)) {
            assertThrows(java.nio.channels.NonWritableChannelException.class, () -> write(readOnly, "x"));
            assertThrows(java.nio.channels.NonReadableChannelException.class,
                    () -> writeOnly.read(ByteBuffer.allocate(4)));
        }
    }

    @Test
    void aForceOnAnotherThreadKeepsEveryByteWhoseWriteReturnedBeforeIt() throws Exception {
        byte[] pattern = new byte[1 << 20];
        new Random(7).nextBytes(pattern);
        Path data = root.resolve("data");
        for (int round = 0; round < 20; round++) {
            AtomicLong written = new AtomicLong();
            long[] coveredByLastForce = {0};
            FileChannel channel = files.open(data, CREATE_NEW, WRITE);
            files.syncDirectory(root);
            Thread writer = new Thread(() -> {
                try {
                    for (int block = 0; ; block++) {
                        ByteBuffer bytes = ByteBuffer.wrap(pattern, (block * 4096) % pattern.length, 4096);
                        while (bytes.hasRemaining()) {
                            channel.write(bytes);
                        }
                        written.addAndGet(4096);
                    }
                } catch (IOException powerOff) {
                    // the cut below ends the writer
                }
            });
            writer.start();
            for (int force = 0; force < 5 + round; force++) {
                long before = written.get();
                channel.force(false);
                coveredByLastForce[0] = before;
            }
            disk.failNow();
            writer.join();
            disk.cut();
            files = disk.mount();

            byte[] kept = Files.readAllBytes(data);
            assertTrue(kept.length >= coveredByLastForce[0], kept.length + " < " + coveredByLastForce[0]);
            for (int at = 0; at < kept.length; at += 4096) {
                int from = at % pattern.length;
                int length = Math.min(4096, kept.length - at);
                assertTrue(Arrays.equals(kept, at, at + length, pattern, from, from + length), "bytes at " + at);
            }
            assertTrue(files.deleteIfExists(data));
            files.syncDirectory(root);
        }
    }

    @Test
    void bytesAreNeverInventedAFileKeepsExactlyItsForcedBytes() throws IOException {
        byte[] forced = new byte[300_000];
        new Random(3).nextBytes(forced);
        try (FileChannel channel = files.open(file, WRITE, TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(forced));
            channel.force(true);
            channel.write(ByteBuffer.wrap(new byte[1000]), 5);
            channel.truncate(17);
        }

        disk.cut();

        assertArrayEquals(forced, Files.readAllBytes(file));
    }
}
