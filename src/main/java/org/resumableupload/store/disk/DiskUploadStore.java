package org.resumableupload.store.disk;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.function.Supplier;
import org.resumableupload.store.Appender;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.PartRecord;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.UploadStore;

/**
 * Stores uploads as plain files under one directory:
 *
 * <pre>
 * parts/ID.data          bytes of an incomplete upload (may run past the committed offset after a crash)
 * parts/ID.record        its record: the committed offset is the truth
 * completed/ID.record    record of a completed upload
 * completed/ID/NAME      its bytes, under the sanitized name
 * </pre>
 *
 * Every path is built from an {@link UploadId} (64 hex digits) and, for completed files, a name that
 * {@link #safeFileName} has checked; no client string is used as a path otherwise.
 */
public final class DiskUploadStore implements UploadStore {
    private static final String DATA = ".data";
    private static final String RECORD = ".record";
    private static final String TEMP = ".tmp";
    private static final String STATE_PART = "part";
    // The record says COMPLETING before the bytes move; recovery finishes the move.
    private static final String STATE_COMPLETING = "completing";

    private static final Logger LOG = Logger.getLogger(DiskUploadStore.class.getName());

    private final Clock clock;
    private final Path parts;
    private final Path completed;

    /**
     * Opens (creating if needed) a store in {@code root}.
     *
     * @throws IOException if the directories cannot be created
     */
    public DiskUploadStore(Path root) throws IOException {
        this(root, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) a store in {@code root} that stamps commits with {@code clock}
     * (expiry compares those stamps with the registry's clock, so both should be the same).
     *
     * @throws IOException if the directories cannot be created
     */
    public DiskUploadStore(Path root, Clock clock) throws IOException {
        this.clock = clock;
        Path absoluteRoot = root.toAbsolutePath().normalize();
        this.parts = Files.createDirectories(absoluteRoot.resolve("parts"));
        this.completed = Files.createDirectories(absoluteRoot.resolve("completed"));
    }

    @Override
    public Optional<PartRecord> findPart(UploadId id) throws IOException {
        Optional<Properties> stored = readProperties(partRecord(id));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Properties props = stored.get();
        if (STATE_COMPLETING.equals(props.getProperty("state"))) {
            finishCompletion(id, props);
            return Optional.empty();
        }
        PartRecord record = toPartRecord(id, props);
        // A record never claims more than the data file holds (the file is forced before the record).
        long onDisk = sizeOrZero(partData(id));
        return Optional.of(onDisk < record.offset() ? record.withOffset(onDisk, record.updatedAt()) : record);
    }

    @Override
    public Optional<CompletedRecord> findCompleted(UploadId id) throws IOException {
        Optional<Properties> stored = readProperties(completedRecord(id));
        return stored.isEmpty() ? Optional.empty() : Optional.of(toCompletedRecord(id, stored.get()));
    }

    @Override
    public void createPart(PartRecord record) throws IOException {
        if (record.offset() != 0) {
            throw new IllegalArgumentException("a new part starts at offset 0");
        }
        try (FileChannel data = FileChannel.open(partData(record.id()), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            data.force(true);
        }
        writeRecord(partRecord(record.id()), partProperties(record));
    }

    @Override
    public Appender openAppender(UploadId id) throws IOException {
        PartRecord record = findPart(id).orElseThrow(() -> new NoSuchFileException(partRecord(id).toString()));
        FileChannel data = FileChannel.open(partData(id), StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (data.size() > record.offset()) {
                // Bytes written after the last commit were never confirmed: drop them.
                data.truncate(record.offset());
                data.force(true);
            }
            data.position(record.offset());
            return new DiskAppender(data, record);
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
    }

    @Override
    public InputStream readPart(UploadId id) throws IOException {
        PartRecord record = findPart(id).orElseThrow(() -> new NoSuchFileException(partRecord(id).toString()));
        InputStream whole = Files.newInputStream(partData(id));
        return new BoundedInputStream(whole, record.offset());
    }

    @Override
    public CompletedRecord complete(UploadId id, byte[] sha256, Instant completedAt) throws IOException {
        PartRecord record = findPart(id).orElseThrow(() -> new NoSuchFileException(partRecord(id).toString()));
        Properties completing = partProperties(record);
        completing.setProperty("state", STATE_COMPLETING);
        completing.setProperty("sha256", HexFormat.of().formatHex(sha256));
        completing.setProperty("completedAt", completedAt.toString());
        writeRecord(partRecord(id), completing);
        return finishCompletion(id, completing);
    }

    private CompletedRecord finishCompletion(UploadId id, Properties completing) throws IOException {
        PartRecord part = toPartRecord(id, completing);
        String name = safeFileName(part.name());
        Path folder = Files.createDirectories(completed.resolve(id.value()));
        Path target = folder.resolve(name);
        Path data = partData(id);
        if (Files.exists(data)) {
            try (FileChannel tail = FileChannel.open(data, StandardOpenOption.WRITE)) {
                tail.truncate(part.offset()); // drop any uncommitted tail a crash left
                tail.force(true);
            }
            Files.move(data, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(folder);
            syncDirectory(parts);
        }
        try (DirectoryStream<Path> earlier = Files.newDirectoryStream(folder)) {
            for (Path file : earlier) {
                if (!file.getFileName().toString().equals(name)) {
                    Files.deleteIfExists(file); // an earlier completion under another name
                }
            }
        }
        CompletedRecord done = parsed(id, () -> new CompletedRecord(id, part.ownerTag(), name, part.offset(),
                HexFormat.of().parseHex(completing.getProperty("sha256")),
                Instant.parse(completing.getProperty("completedAt"))));
        writeRecord(completedRecord(id), completedProperties(done));
        Files.deleteIfExists(partRecord(id));
        syncDirectory(parts);
        return done;
    }

    @Override
    public SeekableByteChannel openCompleted(UploadId id) throws IOException {
        CompletedRecord record = findCompleted(id)
                .orElseThrow(() -> new NoSuchFileException(completedRecord(id).toString()));
        return Files.newByteChannel(completed.resolve(id.value()).resolve(record.name()), StandardOpenOption.READ);
    }

    @Override
    public void deletePart(UploadId id) throws IOException {
        Files.deleteIfExists(partRecord(id));
        Files.deleteIfExists(partData(id));
        syncDirectory(parts);
    }

    @Override
    public List<PartRecord> listParts() throws IOException {
        // Records as stored, without finishing interrupted completions: listing runs unlocked.
        List<PartRecord> found = new ArrayList<>();
        for (UploadId id : idsIn(parts)) {
            try {
                Optional<Properties> props = readProperties(partRecord(id));
                if (props.isPresent()) {
                    found.add(toPartRecord(id, props.get()));
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
        for (UploadId id : idsIn(completed)) {
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
    public long usableSpace() throws IOException {
        FileStore fileStore = Files.getFileStore(parts);
        return fileStore.getUsableSpace();
    }

    @Override
    public void recover() throws IOException {
        for (Path dir : List.of(parts, completed)) {
            try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "*" + TEMP)) {
                for (Path temp : temps) {
                    Files.deleteIfExists(temp);
                }
            }
        }
        for (UploadId id : idsIn(parts)) {
            try {
                findPart(id); // finishes an interrupted completion
            } catch (IOException unreadable) {
                skip(id, unreadable);
            }
        }
    }

    // One damaged record must not stop the server from starting or listing the others.
    private static void skip(UploadId id, IOException unreadable) {
        LOG.log(Level.WARNING, "skipping upload " + id + ": its record cannot be read", unreadable);
    }

    /**
     * The name a completed file gets on disk: {@code name} if it is one plain path element, else
     * "upload". The core already sanitizes names; this is the store's own guard.
     */
    static String safeFileName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 255
                || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || name.endsWith(TEMP) || name.endsWith(RECORD)) {
            return "upload";
        }
        return name;
    }

    private List<UploadId> idsIn(Path dir) throws IOException {
        List<UploadId> ids = new ArrayList<>();
        try (DirectoryStream<Path> records = Files.newDirectoryStream(dir, "*" + RECORD)) {
            for (Path record : records) {
                String file = record.getFileName().toString();
                String id = file.substring(0, file.length() - RECORD.length());
                if (UploadId.isValid(id)) {
                    ids.add(UploadId.of(id));
                }
            }
        }
        return ids;
    }

    private Path partData(UploadId id) {
        return parts.resolve(id.value() + DATA);
    }

    private Path partRecord(UploadId id) {
        return parts.resolve(id.value() + RECORD);
    }

    private Path completedRecord(UploadId id) {
        return completed.resolve(id.value() + RECORD);
    }

    private static long sizeOrZero(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static Optional<Properties> readProperties(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties props = new Properties();
            props.load(reader);
            return Optional.of(props);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    // Write to a temporary file, force it, rename over the old record, force the directory:
    // a reader (or a crash) sees the old record or the new one, never half of one.
    private static void writeRecord(Path file, Properties props) throws IOException {
        StringWriter text = new StringWriter();
        props.store(text, null);
        Path temp = file.resolveSibling(file.getFileName() + TEMP);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for sync; the rename is still atomic there.
            if (Files.isDirectory(dir) && !isLinux()) {
                return;
            }
            throw e;
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    private static Properties partProperties(PartRecord record) {
        Properties props = new Properties();
        props.setProperty("format", "1");
        props.setProperty("state", STATE_PART);
        props.setProperty("owner", record.ownerTag());
        props.setProperty("name", record.name());
        props.setProperty("declaredSize", Long.toString(record.declaredSize()));
        props.setProperty("offset", Long.toString(record.offset()));
        props.setProperty("createdAt", record.createdAt().toString());
        props.setProperty("updatedAt", record.updatedAt().toString());
        return props;
    }

    private static PartRecord toPartRecord(UploadId id, Properties props) throws IOException {
        return parsed(id, () -> new PartRecord(id, props.getProperty("owner"), props.getProperty("name"),
                Long.parseLong(props.getProperty("declaredSize")), Long.parseLong(props.getProperty("offset")),
                Instant.parse(props.getProperty("createdAt")), Instant.parse(props.getProperty("updatedAt"))));
    }

    // A record that exists but cannot be understood is an I/O failure, as UploadStore documents.
    private static <T> T parsed(UploadId id, Supplier<T> parser) throws IOException {
        try {
            return parser.get();
        } catch (RuntimeException e) {
            throw new IOException("unreadable record of upload " + id, e);
        }
    }

    private static Properties completedProperties(CompletedRecord record) {
        Properties props = new Properties();
        props.setProperty("format", "1");
        props.setProperty("owner", record.ownerTag());
        props.setProperty("name", record.name());
        props.setProperty("size", Long.toString(record.size()));
        props.setProperty("sha256", HexFormat.of().formatHex(record.sha256()));
        props.setProperty("completedAt", record.completedAt().toString());
        return props;
    }

    private static CompletedRecord toCompletedRecord(UploadId id, Properties props) throws IOException {
        return parsed(id, () -> new CompletedRecord(id, props.getProperty("owner"), props.getProperty("name"),
                Long.parseLong(props.getProperty("size")), HexFormat.of().parseHex(props.getProperty("sha256")),
                Instant.parse(props.getProperty("completedAt"))));
    }

    private final class DiskAppender implements Appender {
        private final FileChannel data;
        private PartRecord committed;
        // The channel's position, readable without taking its lock: read and force run beside write.
        private volatile long written;

        DiskAppender(FileChannel data, PartRecord committed) {
            this.data = data;
            this.committed = committed;
            this.written = committed.offset();
        }

        @Override
        public PartRecord committed() {
            return committed;
        }

        @Override
        public long position() {
            return written;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                written += data.write(bytes);
            }
        }

        @Override
        public int read(ByteBuffer into, long position) throws IOException {
            long end = written;
            if (position >= end) {
                return -1;
            }
            if (into.remaining() > end - position) {
                into.limit(into.position() + (int) (end - position));
            }
            return data.read(into, position);
        }

        @Override
        public void force() throws IOException {
            // FileChannel.force takes no position lock, so it runs beside a write on the reading thread.
            data.force(false);
        }

        @Override
        public PartRecord commitForced(long offset, long declaredSize) throws IOException {
            if (offset < committed.offset() || offset > written) {
                throw new IllegalArgumentException("offset " + offset + " outside " + committed.offset()
                        + ".." + written);
            }
            PartRecord next = committed.withDeclaredSize(declaredSize).withOffset(offset, clock.instant());
            writeRecord(partRecord(next.id()), partProperties(next));
            committed = next;
            return next;
        }

        @Override
        public PartRecord commit(long declaredSize) throws IOException {
            // Data first, record second: a record never points past durable bytes.
            data.force(false);
            return commitForced(written, declaredSize);
        }

        @Override
        public void discardUncommitted() throws IOException {
            data.truncate(committed.offset());
            data.position(committed.offset());
            written = committed.offset();
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }
}
