package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Every access the disk store makes to its files and directories goes through this seam: opening a
 * file (reading, writing, forcing and truncating then go through the returned channel), atomic renames,
 * deletions, directory creation, listing and directory syncs. The store's behaviour depends only on
 * these calls, so a test can put a simulated disk underneath (one that loses what no force covered in a
 * power cut) and the real store runs unchanged on it. {@link NioDiskFiles} is the real one.
 *
 * <p>Implementations are thread-safe. Paths are absolute.
 */
public interface DiskFiles {

    /**
     * Opens a file, as {@link FileChannel#open(Path, OpenOption...)} does with the same options.
     * The returned channel's {@link FileChannel#force} makes the file's content and length durable,
     * not its name: that takes a {@link #syncDirectory} of the directory holding it.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist and no option creates it
     * @throws java.nio.file.FileAlreadyExistsException if {@code CREATE_NEW} is given and it exists
     * @throws IOException if it cannot be opened
     */
    FileChannel open(Path file, OpenOption... options) throws IOException;

    /**
     * Renames {@code source} to {@code target} atomically, replacing {@code target} if it exists: a
     * reader sees the old target or the new one, never neither. Durable once both directories are
     * synced.
     *
     * @throws java.nio.file.NoSuchFileException if {@code source} does not exist
     * @throws java.nio.file.AtomicMoveNotSupportedException if the medium cannot rename atomically
     * @throws IOException if the rename fails
     */
    void moveAtomically(Path source, Path target) throws IOException;

    /**
     * Deletes a file or an empty directory if it exists. Durable once its directory is synced.
     *
     * @return whether it existed
     * @throws java.nio.file.DirectoryNotEmptyException if it is a directory with entries
     * @throws IOException if it cannot be deleted
     */
    boolean deleteIfExists(Path path) throws IOException;

    /**
     * Creates a directory and any missing parents, as {@link java.nio.file.Files#createDirectories} does.
     * Each new directory is durable once the directory holding it is synced.
     *
     * @return {@code dir}
     * @throws java.nio.file.FileAlreadyExistsException if it exists but is not a directory
     * @throws IOException if it cannot be created
     */
    Path createDirectories(Path dir) throws IOException;

    /**
     * The entries of {@code dir} whose names match {@code glob} (as
     * {@link java.nio.file.Files#newDirectoryStream(Path, String)}); the caller closes the stream.
     *
     * @throws java.nio.file.NotDirectoryException if {@code dir} is not a directory
     * @throws IOException if it cannot be listed
     */
    DirectoryStream<Path> list(Path dir, String glob) throws IOException;

    /** Whether {@code path} exists (false also when that cannot be told). */
    boolean exists(Path path);

    /** Whether {@code path} is a directory, not following a symbolic link (false when that cannot be told). */
    boolean isDirectory(Path path);

    /**
     * The length of a file in bytes.
     *
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws IOException if it cannot be read
     */
    long size(Path file) throws IOException;

    /**
     * Makes the entries of {@code dir} durable: files and directories created, renamed into, renamed out
     * of or deleted from it since its last sync.
     *
     * @throws IOException if the directory cannot be synced (where a platform cannot open a directory
     *                     for syncing, implementations may do nothing instead)
     */
    void syncDirectory(Path dir) throws IOException;

    /**
     * Bytes that can still be written on the medium holding {@code path}, as it reports them.
     *
     * @throws IOException if the medium cannot tell
     */
    long usableSpace(Path path) throws IOException;
}
