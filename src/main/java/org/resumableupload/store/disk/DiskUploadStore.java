package org.resumableupload.store.disk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedContent;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;

/**
 * Stores uploads as plain files under one directory:
 *
 * <pre>
 * parts/ID.record                record of an incomplete upload: the committed offset is the truth
 * parts/ID.GENERATION.data       its bytes, in the data file the record names (may run past the
 *                                committed offset after a crash); a start-over writes a new generation
 * completed/ID.record            record of a completed upload, naming its version
 * completed/ID/VERSION/NAME      its bytes, under the sanitized name
 * </pre>
 *
 * Records written before generations and versions existed name neither; their files are
 * {@code parts/ID.data} and {@code completed/ID/NAME}. Every path is built from an {@link UploadId}
 * (64 hex digits), the store's own generation names and, for completed files, a name that
 * {@link #safeFileName} has checked; no client string is used as a path otherwise.
 */
public final class DiskUploadStore implements UploadStore {
    private static final String RECORD = PartFiles.RECORD_SUFFIX;
    private static final Logger LOG = Logger.getLogger(DiskUploadStore.class.getName());

    private final Executor forces;
    private final DiskFiles files;
    private final PartFiles parts;
    private final CompletedFiles completed;
    private final Generations generations = new Generations();

    /**
     * Opens (creating if needed) a store in {@code root}.
     *
     * @throws IOException if the directories cannot be created
     */
    public DiskUploadStore(Path root) throws IOException {
        this(root, Runnable::run);
    }

    /**
     * Opens (creating if needed) a store in {@code root} that forces appended bytes in the background
     * on {@code forces} while a body streams in (a force it rejects is left to the commit). The caller
     * owns {@code forces} and shuts it down after the last appender closed.
     *
     * @throws IOException if the directories cannot be created
     */
    public DiskUploadStore(Path root, Executor forces) throws IOException {
        this(root, forces, new NioDiskFiles());
    }

    /**
     * As {@link #DiskUploadStore(Path, Executor)}, accessing every file and directory through
     * {@code files} (a test puts a simulated disk there).
     *
     * @throws IOException if the directories cannot be created
     */
    public DiskUploadStore(Path root, Executor forces, DiskFiles files) throws IOException {
        this.forces = forces;
        this.files = files;
        Path absoluteRoot = root.toAbsolutePath().normalize();
        boolean newRoot = !files.isDirectory(absoluteRoot);
        this.parts = new PartFiles(files.createDirectories(absoluteRoot.resolve("parts")), files);
        this.completed = new CompletedFiles(files.createDirectories(absoluteRoot.resolve("completed")), files);
        // A new directory's name is durable only once its parent is synced: parts/ and completed/ at every
        // start (a crash may have come between an earlier start's creating them and the sync); the parent
        // of the root only when the store made the root (it may be a directory the server cannot read).
        files.syncDirectory(absoluteRoot);
        if (newRoot && absoluteRoot.getParent() != null) {
            files.syncDirectory(absoluteRoot.getParent());
        }
    }

    @Override
    public Optional<PartRecord> findPart(UploadId id) throws IOException {
        Optional<Properties> stored = DiskRecords.read(files, parts.record(id));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Properties props = stored.get();
        if (DiskRecords.STATE_COMPLETING.equals(props.getProperty(DiskRecords.STATE))) {
            finishCompletion(id, props);
            return Optional.empty();
        }
        PartRecord record = DiskRecords.toPartRecord(id, props);
        // A record never claims more than the data file holds (the file is forced before the record).
        // Its digest state is of the bytes it claims: none is better than a wrong one (it is rebuilt).
        long onDisk = sizeOrZero(parts.dataOf(id, props));
        return Optional.of(onDisk < record.offset() ? record.withOffset(onDisk, null, record.updatedAt()) : record);
    }

    @Override
    public Optional<CompletedRecord> findCompleted(UploadId id) throws IOException {
        return completed.find(id);
    }

    @Override
    public Appender createPart(PartRecord record) throws IOException {
        if (record.offset() != 0) {
            throw new IllegalArgumentException("a new part starts at offset 0");
        }
        findPart(record.id()); // finishes a completion a crash interrupted, before its data is replaced
        String generation = generations.next();
        Path file = parts.data(record.id(), generation);
        FileChannel data = files.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            // Its name must be durable before a record can name it.
            files.syncDirectory(parts.dir());
            return new DiskAppender(data, file, generation, record, true, parts, forces);
        } catch (IOException | RuntimeException e) {
            data.close();
            files.deleteIfExists(file);
            throw e;
        }
    }

    @Override
    public Appender openAppender(UploadId id) throws IOException {
        Properties props = DiskRecords.read(files, parts.record(id))
                .orElseThrow(() -> new NoSuchFileException(parts.record(id).toString()));
        PartRecord record = findPart(id).orElseThrow(() -> new NoSuchFileException(parts.record(id).toString()));
        String generation = DiskRecords.token(id, props, DiskRecords.DATA);
        Path file = parts.data(id, generation);
        FileChannel data = files.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (data.size() > record.offset()) {
                // Bytes written after the last commit were never confirmed: drop them.
                data.truncate(record.offset());
                data.force(true);
            }
            data.position(record.offset());
            return new DiskAppender(data, file, generation, record, false, parts, forces);
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
    }

    @Override
    public InputStream readPart(UploadId id) throws IOException {
        PartRecord record = findPart(id).orElseThrow(() -> new NoSuchFileException(parts.record(id).toString()));
        Path file = parts.currentData(id).orElseThrow(() -> new NoSuchFileException(parts.record(id).toString()));
        InputStream bytes = Channels.newInputStream(files.open(file, StandardOpenOption.READ));
        return new BoundedInputStream(bytes, record.offset());
    }

    @Override
    public CompletedRecord complete(UploadId id, byte[] sha256, Instant completedAt) throws IOException {
        Properties current = DiskRecords.read(files, parts.record(id))
                .orElseThrow(() -> new NoSuchFileException(parts.record(id).toString()));
        PartRecord record = findPart(id).orElseThrow(() -> new NoSuchFileException(parts.record(id).toString()));
        Properties completing = DiskRecords.partProperties(record, DiskRecords.token(id, current, DiskRecords.DATA));
        completing.setProperty(DiskRecords.STATE, DiskRecords.STATE_COMPLETING);
        completing.setProperty("sha256", HexFormat.of().formatHex(sha256));
        completing.setProperty("completedAt", completedAt.toString());
        completing.setProperty(DiskRecords.VERSION, generations.next());
        DiskRecords.write(files, parts.record(id), completing);
        return finishCompletion(id, completing);
    }

    private CompletedRecord finishCompletion(UploadId id, Properties completing) throws IOException {
        PartRecord part = DiskRecords.toPartRecord(id, completing);
        String version = DiskRecords.token(id, completing, DiskRecords.VERSION);
        String name = safeFileName(part.name());
        completed.moveIn(id, version, name, parts.dataOf(id, completing), part.offset());
        CompletedRecord done = completedRecord(part, name, completing);
        completed.install(done, version);
        files.deleteIfExists(parts.record(id));
        files.syncDirectory(parts.dir());
        return done;
    }

    private static CompletedRecord completedRecord(PartRecord part, String name, Properties completing)
            throws IOException {
        try {
            return new CompletedRecord(part.id(), part.ownerTag(), name, part.offset(),
                    HexFormat.of().parseHex(completing.getProperty("sha256")),
                    Instant.parse(completing.getProperty("completedAt")), part.metadata(), part.concat());
        } catch (RuntimeException e) {
            throw new IOException("unreadable record of upload " + part.id(), e);
        }
    }

    @Override
    public CompletedContent openCompleted(UploadId id) throws IOException {
        return completed.open(id);
    }

    @Override
    public void deletePart(UploadId id) throws IOException {
        Optional<Path> data = parts.currentData(id);
        files.deleteIfExists(parts.record(id));
        if (data.isPresent()) {
            files.deleteIfExists(data.get());
        }
        files.syncDirectory(parts.dir());
    }

    @Override
    public List<PartRecord> listParts() throws IOException {
        // Records as stored, without finishing interrupted completions: listing runs unlocked.
        List<PartRecord> found = new ArrayList<>();
        for (UploadId id : DiskRecords.idsIn(files, parts.dir())) {
            try {
                Optional<Properties> props = DiskRecords.read(files, parts.record(id));
                if (props.isPresent()) {
                    found.add(DiskRecords.toPartRecord(id, props.get()));
                }
            } catch (IOException unreadable) {
                skip(id, unreadable);
            }
        }
        return found;
    }

    @Override
    public List<CompletedRecord> listCompleted(String ownerTag) throws IOException {
        List<CompletedRecord> found = new ArrayList<>();
        for (UploadId id : DiskRecords.idsIn(files, completed.dir())) {
            try {
                findCompleted(id).filter(r -> r.ownerTag().equals(ownerTag)).ifPresent(found::add);
            } catch (IOException unreadable) {
                skip(id, unreadable);
            }
        }
        found.sort(Comparator.comparing(CompletedRecord::completedAt).reversed());
        return found;
    }

    @Override
    public void deleteCompleted(UploadId id) throws IOException {
        completed.delete(id);
    }

    /**
     * Bytes that can still be written, as the file system reports it.
     *
     * @throws IOException if the file system cannot tell
     */
    public long usableSpace() throws IOException {
        return files.usableSpace(parts.dir());
    }

    /**
     * Finishes what a crash interrupted (half-done completions, temporary record files, data files no
     * record names). Call once at start-up, before serving; safe to call again.
     *
     * @throws IOException if the store cannot be read
     */
    public void recover() throws IOException {
        Leftovers leftovers = new Leftovers(files, parts);
        leftovers.deleteTemporaryRecords(List.of(parts.dir(), completed.dir()));
        for (UploadId id : DiskRecords.idsIn(files, parts.dir())) {
            try {
                findPart(id); // finishes an interrupted completion
            } catch (IOException unreadable) {
                skip(id, unreadable);
            }
        }
        leftovers.deleteUnnamedData();
    }

    // One damaged record must not stop the server from starting or listing the others.
    static void skip(UploadId id, IOException unreadable) {
        LOG.log(Level.WARNING, "skipping upload " + id + ": its record cannot be read", unreadable);
    }

    /**
     * The name a completed file gets on disk: {@code name} if it is one plain path element, else
     * "upload". The core already sanitizes names; this is the store's own guard.
     */
    static String safeFileName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 255
                || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || name.endsWith(DiskRecords.TEMP) || name.endsWith(RECORD)) {
            return "upload";
        }
        return name;
    }

    private long sizeOrZero(Path file) throws IOException {
        try {
            return files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
