package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.UploadId;

/**
 * Where completed uploads live: {@code completed/ID.record} and the file it names,
 * {@code completed/ID/VERSION/NAME} ({@code completed/ID/NAME} for records written before versions
 * existed). Each completion gets a version folder of its own, so a reader of an earlier version keeps
 * reading it whole while a newer one is installed.
 */
final class CompletedFiles {
    private static final int OPEN_ATTEMPTS = 5;

    private final Path dir;
    private final DiskFiles diskFiles;

    CompletedFiles(Path dir, DiskFiles diskFiles) {
        this.dir = dir;
        this.diskFiles = diskFiles;
    }

    Path dir() {
        return dir;
    }

    Path record(UploadId id) {
        return dir.resolve(id.value() + PartFiles.RECORD_SUFFIX);
    }

    Optional<CompletedRecord> find(UploadId id) throws IOException {
        Optional<Properties> stored = DiskRecords.read(diskFiles, record(id));
        return stored.isEmpty() ? Optional.empty() : Optional.of(DiskRecords.toCompletedRecord(id, stored.get()));
    }

    /**
     * Cuts {@code data} to {@code length} (dropping any uncommitted tail a crash left) and moves it to
     * be version {@code version} under {@code name}, durably; does nothing if a crash left it moved
     * already.
     */
    void moveIn(UploadId id, String version, String name, Path data, long length) throws IOException {
        Path idFolder = diskFiles.createDirectories(dir.resolve(id.value()));
        Path folder = diskFiles.createDirectories(versionFolder(id, version));
        if (!diskFiles.exists(data)) {
            return;
        }
        try (FileChannel file = diskFiles.open(data, StandardOpenOption.WRITE)) {
            file.truncate(length);
            file.force(true);
        }
        diskFiles.moveAtomically(data, folder.resolve(name));
        diskFiles.syncDirectory(folder);
        diskFiles.syncDirectory(idFolder);
        // The id's folder may be new too: its name must be durable before the bytes leave parts/.
        diskFiles.syncDirectory(dir);
        diskFiles.syncDirectory(data.getParent());
    }

    /**
     * Makes {@code done} (version {@code version}) the completed upload of its id, then removes every
     * earlier version: only once the new record is durable, so a reader that opens afterwards finds the
     * new version, and one that opened an earlier version keeps its bytes until it closes them.
     */
    void install(CompletedRecord done, String version) throws IOException {
        DiskRecords.write(diskFiles, record(done.id()), DiskRecords.completedProperties(done, version));
        Path idFolder = dir.resolve(done.id().value());
        Path current = version == null ? idFolder.resolve(done.name()) : versionFolder(done.id(), version);
        try (DirectoryStream<Path> entries = diskFiles.list(idFolder, "*")) {
            for (Path entry : entries) {
                if (!entry.equals(current)) {
                    deleteTree(entry);
                }
            }
        }
    }

    /**
     * Removes the completed upload {@code id}: the record first (durably), so no reader finds it any
     * more, then its folder; an open download keeps its bytes until it closes them.
     */
    void delete(UploadId id) throws IOException {
        boolean hadRecord = diskFiles.deleteIfExists(record(id));
        if (hadRecord) {
            diskFiles.syncDirectory(dir);
        }
        Path idFolder = dir.resolve(id.value());
        if (diskFiles.exists(idFolder)) {
            deleteTree(idFolder);
            diskFiles.syncDirectory(dir);
        }
    }

    /** The current version's record and bytes, opened together. */
    CompletedContent open(UploadId id) throws IOException {
        // A completion in between may remove the version a record names just before it is opened;
        // the record read after that names the newer one.
        NoSuchFileException gone = null;
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
            Properties props = DiskRecords.read(diskFiles, record(id))
                    .orElseThrow(() -> new NoSuchFileException(record(id).toString()));
            CompletedRecord found = DiskRecords.toCompletedRecord(id, props);
            Path file = versionFolder(id, DiskRecords.token(id, props, DiskRecords.VERSION)).resolve(found.name());
            try {
                return new CompletedContent(found, diskFiles.open(file, StandardOpenOption.READ));
            } catch (NoSuchFileException replaced) {
                gone = replaced;
            }
        }
        throw gone;
    }

    private Path versionFolder(UploadId id, String version) {
        Path idFolder = dir.resolve(id.value());
        return version == null ? idFolder : idFolder.resolve(version);
    }

    private void deleteTree(Path entry) throws IOException {
        if (diskFiles.isDirectory(entry)) {
            try (DirectoryStream<Path> inside = diskFiles.list(entry, "*")) {
                for (Path file : inside) {
                    deleteTree(file);
                }
            }
        }
        diskFiles.deleteIfExists(entry);
    }
}
