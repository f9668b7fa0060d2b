package org.resumableupload.store.disk.powercut;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a power cut leaves of directory entries: names created, renamed or deleted count only once the
 * directory holding them was synced after the change; and what a cut does to the software running.
 */
class PowerCutNamesTest {
    @TempDir
    Path temp;

    private Path root;
    private PowerCutDisk disk;
    private PowerCutFiles files;

    @BeforeEach
    void makeDisk() throws IOException {
        root = Files.createDirectories(temp.resolve("disk"));
        Files.writeString(root.resolve("target"), "old record"); // there before the disk: durable
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        disk = new PowerCutDisk(root);
        files = disk.mount();
    }

    /** A file holding {@code text}, forced, its name made durable or not. */
    private Path forcedFile(String name, String text, boolean nameDurable) throws IOException {
        Path path = root.resolve(name);
        try (FileChannel channel = files.open(path, CREATE_NEW, WRITE)) {
            PowerCutContentTest.write(channel, text);
            channel.force(true);
        }
        if (nameDurable) {
            files.syncDirectory(path.getParent());
        }
        return path;
    }

    private String contentOrNull(String name) throws IOException {
        Path path = root.resolve(name);
        return Files.exists(path) ? Files.readString(path) : null;
    }

    @Test
    void aForcedFileWhoseDirectoryWasNotSyncedIsGoneAfterTheCut() throws IOException {
        forcedFile("new", "forced but unnamed", false);

        disk.cut();

        assertNull(contentOrNull("new"));
    }

    @Test
    void aRenameWithoutADirectorySyncIsUndone() throws IOException {
        Path temp = forcedFile("target.tmp", "new record", true);

        files.moveAtomically(temp, root.resolve("target"));
        disk.cut();

        assertEquals("old record", contentOrNull("target"));
        assertEquals("new record", contentOrNull("target.tmp"), "the renamed file is back under its old name");
    }

    @Test
    void aRenameOfAFileWhoseNameWasNeverDurableLeavesNeitherName() throws IOException {
        Path temp = forcedFile("other.tmp", "new", false);

        files.moveAtomically(temp, root.resolve("other"));
        disk.cut();

        assertNull(contentOrNull("other.tmp"));
        assertNull(contentOrNull("other"));
    }

    @Test
    void aRenameFollowedByADirectorySyncIsKept() throws IOException {
        Path temp = forcedFile("target.tmp", "new record", false);

        files.moveAtomically(temp, root.resolve("target"));
        files.syncDirectory(root);
        disk.cut();

        assertEquals("new record", contentOrNull("target"));
        assertNull(contentOrNull("target.tmp"));
    }

    @Test
    void aRenameAcrossDirectoriesIsWholeOnlyOnceBothAreSynced() throws IOException {
        forcedFile("a/f", "moved", true);
        files.moveAtomically(root.resolve("a/f"), root.resolve("b/f"));
        files.syncDirectory(root.resolve("b"));
        disk.cut();
        assertEquals("moved", contentOrNull("a/f"), "only the target was synced: both names");
        assertEquals("moved", contentOrNull("b/f"));

        files = disk.mount();
        assertTrue(files.deleteIfExists(root.resolve("b/f")));
        files.syncDirectory(root.resolve("b"));
        files.moveAtomically(root.resolve("a/f"), root.resolve("b/f"));
        files.syncDirectory(root.resolve("a"));
        disk.cut();
        assertNull(contentOrNull("a/f"), "only the source was synced: the file is lost");
        assertNull(contentOrNull("b/f"));
    }

    @Test
    void renamingOneNameOfAFileOntoItsOtherNameChangesNothingAsRenameDoes() throws IOException {
        forcedFile("a/f", "moved", true);
        files.moveAtomically(root.resolve("a/f"), root.resolve("b/f"));
        files.syncDirectory(root.resolve("b"));
        disk.cut();
        files = disk.mount();

        files.moveAtomically(root.resolve("a/f"), root.resolve("b/f"));

        assertTrue(files.exists(root.resolve("a/f")), "rename(2) leaves both names of one file");
        assertTrue(Files.exists(root.resolve("a/f")));
        files.syncDirectory(root.resolve("a"));
        disk.cut(); // and the tree still matches the real directory
        assertEquals("moved", contentOrNull("a/f"));
        assertEquals("moved", contentOrNull("b/f"));
    }

    @Test
    void aDeletionWithoutADirectorySyncIsUndoneAndOneWithASyncIsNot() throws IOException {
        forcedFile("kept", "forced", true);
        assertTrue(files.deleteIfExists(root.resolve("kept")));
        assertTrue(files.deleteIfExists(root.resolve("target")));
        files.syncDirectory(root);
        forcedFile("back", "forced too", true);
        assertTrue(files.deleteIfExists(root.resolve("back")));

        disk.cut();

        assertNull(contentOrNull("kept"));
        assertNull(contentOrNull("target"));
        assertEquals("forced too", contentOrNull("back"));
    }

    @Test
    void aDirectoryWhoseParentWasNotSyncedVanishesWithEverythingInIt() throws IOException {
        files.createDirectories(root.resolve("d/e"));
        forcedFile("d/e/f", "deep", true);
        files.syncDirectory(root.resolve("d"));
        assertTrue(files.isDirectory(root.resolve("d/e")));

        disk.cut();

        assertFalse(Files.exists(root.resolve("d")));
        files = disk.mount();
        files.createDirectories(root.resolve("d/e"));
        forcedFile("d/e/f", "deep", true);
        files.syncDirectory(root.resolve("d"));
        files.syncDirectory(root);
        disk.cut();
        assertEquals("deep", contentOrNull("d/e/f"));
    }

    @Test
    void aListingShowsTheRunningSystemsNamesThatMatch() throws IOException {
        forcedFile("x.record", "1", false);
        forcedFile("y.record.tmp", "2", false);
        List<String> names = new ArrayList<>();

        try (DirectoryStream<Path> records = files.list(root, "*.record")) {
            records.forEach(p -> names.add(p.getFileName().toString()));
        }

        assertEquals(List.of("x.record"), names);
        assertEquals(1, files.size(root.resolve("x.record")));
    }

    @Test
    void aCutEndsTheMountAndEveryChannelItOpened() throws IOException {
        FileChannel open = files.open(root.resolve("target"), READ, WRITE);
        PowerCutFiles before = files;

        disk.cut();

        assertThrows(PowerCutException.class, () -> open.read(ByteBuffer.allocate(4)));
        assertThrows(PowerCutException.class, () -> open.write(ByteBuffer.allocate(4)));
        assertThrows(PowerCutException.class, () -> open.force(true));
        assertThrows(PowerCutException.class, () -> before.open(root.resolve("target"), READ));
        assertThrows(PowerCutException.class, () -> before.syncDirectory(root));
        assertFalse(before.exists(root.resolve("target")));
        open.close();
        assertTrue(disk.mount().exists(root.resolve("target")));
    }

    @Test
    void failAfterLetsThatManyChangesHappenAndRefusesEveryAccessFromTheNextOn() throws IOException {
        disk.failAfter(2);
        FileChannel channel = files.open(root.resolve("n"), CREATE_NEW, WRITE); // 1
        PowerCutContentTest.write(channel, "abc");                              // 2

        assertThrows(PowerCutException.class, () -> channel.force(true));       // 3: the power fails
        assertTrue(disk.powerIsOut());
        assertThrows(PowerCutException.class, () -> files.list(root, "*"));
        assertThrows(IllegalStateException.class, () -> disk.mount());
        CutReport report = disk.cut();

        assertEquals("force n", report.tripPoint());
        assertNull(contentOrNull("n"));
        assertFalse(disk.powerIsOut());
    }

    @Test
    void failAtSwitchesThePowerOffAtTheFirstChangeItAccepts() throws IOException {
        Path temp = forcedFile("target.tmp", "new record", true);
        disk.failAt(change -> change.startsWith("sync "));

        files.moveAtomically(temp, root.resolve("target"));
        assertThrows(PowerCutException.class, () -> files.syncDirectory(root));
        CutReport report = disk.cut();

        assertEquals("sync .", report.tripPoint());
        assertEquals("old record", contentOrNull("target"), "the rename was not made durable");
    }

    @Test
    void theCutReportsWhatItThrewAway() throws IOException {
        forcedFile("named", "x", true);
        try (FileChannel channel = files.open(root.resolve("named"), WRITE)) {
            channel.position(1);
            PowerCutContentTest.write(channel, "unforced");                      // a file reverted, 8 bytes
        }
        forcedFile("unnamed", "y", false);                                       // an entry undone
        files.deleteIfExists(root.resolve("target"));                            // another

        CutReport report = disk.cut();

        assertEquals(new CutReport(null, 2, 1, 8), report);
    }

    @Test
    void aChangeMadeAroundTheSimulatedDiskFailsTheCut() throws IOException {
        Files.writeString(root.resolve("a/sneaked"), "not through a mount");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> disk.cut());

        assertTrue(refused.getMessage().contains("sneaked"), refused.getMessage());
    }

    @Test
    void anOpenThatCreatesAFileCountsAsAChange() throws IOException {
        long before = disk.operations();

        files.open(root.resolve("c"), CREATE, WRITE).close();
        files.open(root.resolve("c"), READ).close();

        assertEquals(before + 1, disk.operations(), "opening to read changes nothing");
    }
}
