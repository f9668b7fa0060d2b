package org.resumableupload.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void theFirstStartMakesA32ByteKeyReadableByTheOwnerOnly() throws IOException {
        byte[] key = OwnerKeyFile.loadOrCreate(dir);

        Path file = dir.resolve("owner.key");
        assertEquals(32, key.length);
        assertArrayEquals(key, Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(file), entries.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void laterStartsReadTheSameKey() throws IOException {
        byte[] first = OwnerKeyFile.loadOrCreate(dir);

        assertArrayEquals(first, OwnerKeyFile.loadOrCreate(dir));
        assertArrayEquals(first, OwnerKeyFile.loadOrCreate(dir.resolve(".")));
    }

    @Test
    void aKeyAnOperatorCopiedInIsUsed() throws IOException {
        byte[] shared = new byte[32];
        shared[0] = 7;
        Files.write(dir.resolve("owner.key"), shared);

        assertArrayEquals(shared, OwnerKeyFile.loadOrCreate(dir));
    }

    @Test
    void aMissingStorageDirectoryIsCreated() throws IOException {
        Path storage = dir.resolve("not/yet");

        assertEquals(32, OwnerKeyFile.loadOrCreate(storage).length);
        assertTrue(Files.isRegularFile(storage.resolve("owner.key")));
    }

    @Test
    void keysOfDifferentDirectoriesDiffer() throws IOException {
        assertFalse(java.util.Arrays.equals(OwnerKeyFile.loadOrCreate(dir.resolve("a")),
                OwnerKeyFile.loadOrCreate(dir.resolve("b"))));
    }

    @Test
    void aKeyFileOfTheWrongLengthStopsTheStartAndIsNotReplaced() throws IOException {
        Path file = Files.write(dir.resolve("owner.key"), new byte[31]);

        IOException e = assertThrows(IOException.class, () -> OwnerKeyFile.loadOrCreate(dir));

        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("31 bytes, not 32"),
                e.getMessage());
        assertArrayEquals(new byte[31], Files.readAllBytes(file), "left as it was for the operator");
    }

    @Test
    void anEmptyKeyFileStopsTheStart() throws IOException {
        Files.createFile(dir.resolve("owner.key"));

        assertThrows(IOException.class, () -> OwnerKeyFile.loadOrCreate(dir));
    }

    @Test
    void aKeyThatIsADirectoryStopsTheStart() throws IOException {
        Files.createDirectory(dir.resolve("owner.key"));

        assertThrows(IOException.class, () -> OwnerKeyFile.loadOrCreate(dir));
    }

    @Test
    void serversStartingTogetherOnOneDirectoryAgreeOnOneKey() throws Exception {
        int servers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        try {
            for (int round = 0; round < 20; round++) {
                Path shared = dir.resolve("round-" + round);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<byte[]>> keys = new ArrayList<>();
                for (int i = 0; i < servers; i++) {
                    keys.add(pool.submit(() -> {
                        go.await();
                        return OwnerKeyFile.loadOrCreate(shared);
                    }));
                }
                go.countDown();
                byte[] onDisk = null;
                for (Future<byte[]> key : keys) {
                    byte[] got = key.get();
                    onDisk = onDisk == null ? Files.readAllBytes(shared.resolve("owner.key")) : onDisk;
                    assertArrayEquals(onDisk, got, "round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
