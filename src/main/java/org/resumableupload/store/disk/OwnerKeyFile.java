package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The key that signs owner cookies, kept in the storage directory as {@value #NAME} (32 random bytes,
 * readable by the server's user only). It lives beside {@code parts/} and {@code completed/} because it
 * belongs to the stored uploads: the owner tags stored with them were made under cookies this key
 * signed, so the key moves, is backed up and is shared between nodes together with them.
 */
public final class OwnerKeyFile {
    /** The file's name in the storage directory. */
    public static final String NAME = "owner.key";
    /** The key's length in bytes. */
    public static final int KEY_BYTES = 32;

    private OwnerKeyFile() {
    }

    /**
     * The key in {@code storageDir}, made (atomically, owner-only) on first use. Several servers starting
     * at once on one shared directory all end up with the same key.
     *
     * @throws IOException if the key cannot be read or written, or the file is not exactly
     *                     {@value #KEY_BYTES} bytes long (never replaced: a new key would disown every
     *                     cookie issued so far, so that is the operator's decision)
     */
    public static byte[] loadOrCreate(Path storageDir) throws IOException {
        Path dir = Files.createDirectories(storageDir.toAbsolutePath().normalize());
        Path file = dir.resolve(NAME);
        try {
            return read(file);
        } catch (NoSuchFileException firstStart) {
            return create(dir, file);
        }
    }

    private static byte[] read(Path file) throws IOException {
        byte[] key;
        try {
            key = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read the owner key " + file + " (permission denied): it must be readable"
                    + " by the server's user", e);
        }
        if (key.length != KEY_BYTES) {
            throw new IOException("the owner key " + file + " is " + key.length + " bytes, not " + KEY_BYTES
                    + ": restore it from a backup or another node, or delete it to start with a new key"
                    + " (every owner cookie issued so far is then refused)");
        }
        return key;
    }

    // Written whole under a temporary name, then linked to its name: linking fails if the name exists,
    // so a server racing another one on a shared directory reads the winner's key instead of replacing it,
    // and no reader ever sees a half-written key.
    private static byte[] create(Path dir, Path file) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path temp = Files.createTempFile(dir, NAME + ".", ".tmp", ownerOnly(dir));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(key);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException raced) {
                return read(file);
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                // A file system without hard links: a plain rename, which does not replace an existing key.
                Files.move(temp, file);
            }
            new NioDiskFiles().syncDirectory(dir);
            return key;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path dir) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0]; // elsewhere a new file takes the directory's access rules
    }
}
