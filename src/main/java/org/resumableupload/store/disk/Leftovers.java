package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.resumableupload.store.UploadId;

/** What a crash can leave behind that no record names, removed at start-up ({@link DiskUploadStore#recover()}). */
final class Leftovers {
    private final DiskFiles files;
    private final PartFiles parts;

    Leftovers(DiskFiles files, PartFiles parts) {
        this.files = files;
        this.parts = parts;
    }

    /** Records being replaced when the crash came ({@code *.tmp}): the record they were to replace holds. */
    void deleteTemporaryRecords(List<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            try (DirectoryStream<Path> temps = files.list(dir, "*" + DiskRecords.TEMP)) {
                for (Path temp : temps) {
                    files.deleteIfExists(temp);
                }
            }
        }
    }

    /**
     * Data files no record names: a start-over cut by a crash before its first commit, or the
     * generation a start-over replaced, if the crash came between the new record and the removal.
     */
    void deleteUnnamedData() throws IOException {
        try (DirectoryStream<Path> dataFiles = files.list(parts.dir(), "*" + PartFiles.DATA_SUFFIX)) {
            for (Path file : dataFiles) {
                Optional<UploadId> id = PartFiles.idOfData(file);
                try {
                    if (id.isPresent()
                            && !parts.currentDataOfReadableRecord(id.get()).map(file::equals).orElse(false)) {
                        files.deleteIfExists(file);
                    }
                } catch (IOException unreadable) {
                    DiskUploadStore.skip(id.get(), unreadable); // its record is damaged: keep the bytes for an operator
                }
            }
        }
    }
}
