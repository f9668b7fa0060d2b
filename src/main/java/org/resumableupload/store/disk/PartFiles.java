package org.resumableupload.store.disk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.resumableupload.store.UploadId;

/**
 * Where the files of incomplete uploads live: {@code parts/ID.record} and the data file its record
 * names, {@code parts/ID.GENERATION.data} ({@code parts/ID.data} for records written before
 * generations existed).
 */
final class PartFiles {
    static final String DATA_SUFFIX = ".data";
    static final String RECORD_SUFFIX = ".record";

    private final Path dir;
    private final DiskFiles diskFiles;

    PartFiles(Path dir, DiskFiles diskFiles) {
        this.dir = dir;
        this.diskFiles = diskFiles;
    }

    Path dir() {
        return dir;
    }

    DiskFiles diskFiles() {
        return diskFiles;
    }

    Path record(UploadId id) {
        return dir.resolve(id.value() + RECORD_SUFFIX);
    }

    /** The data file of one generation; {@code null} is the one of records without a generation. */
    Path data(UploadId id, String generation) {
        return dir.resolve(id.value() + (generation == null ? "" : "." + generation) + DATA_SUFFIX);
    }

    /** The data file the record {@code props} names. */
    Path dataOf(UploadId id, Properties props) throws IOException {
        return data(id, DiskRecords.token(id, props, DiskRecords.DATA));
    }

    /** The data file the current record names, if there is a record. */
    Optional<Path> currentData(UploadId id) throws IOException {
        Optional<Properties> props = DiskRecords.read(diskFiles, record(id));
        return props.isEmpty() ? Optional.empty() : Optional.of(dataOf(id, props.get()));
    }

    /**
     * As {@link #currentData}, but only for a record that can be read whole: damage that removed its
     * {@code data} key must not make it look like a record from before generations.
     *
     * @throws IOException if the record exists but cannot be read
     */
    Optional<Path> currentDataOfReadableRecord(UploadId id) throws IOException {
        Optional<Properties> props = DiskRecords.read(diskFiles, record(id));
        if (props.isEmpty()) {
            return Optional.empty();
        }
        DiskRecords.toPartRecord(id, props.get());
        return Optional.of(dataOf(id, props.get()));
    }

    /** The id a data file belongs to, if its name is one this store makes. */
    static Optional<UploadId> idOfData(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(DATA_SUFFIX) || name.length() < 64 + DATA_SUFFIX.length()) {
            return Optional.empty();
        }
        String id = name.substring(0, 64);
        String rest = name.substring(64, name.length() - DATA_SUFFIX.length());
        boolean known = rest.isEmpty() || (rest.startsWith(".") && Generations.isValid(rest.substring(1)));
        return known && UploadId.isValid(id) ? Optional.of(UploadId.of(id)) : Optional.empty();
    }
}
