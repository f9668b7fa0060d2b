package org.resumableupload.web;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.disk.OwnerKeyFile;

/**
 * Where the disk store keeps one upload's files, found the way the store finds them: through the
 * records, which name the part's data generation and the completed upload's version folder; and which
 * upload the article protocol's {@code X-File-Id} names.
 */
final class StoredFiles {
    private StoredFiles() {
    }

    /**
     * The upload the article protocol names by {@code clientFileId} for the owner {@code ownerTag}:
     * the SHA-256 of the tag, a 0 byte and the key, as the article front end derives it. Written out
     * here rather than called, so that a change of the derivation (which would orphan every stored
     * article upload) fails the tests.
     */
    static UploadId articleUploadId(String ownerTag, String clientFileId) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(ownerTag.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(clientFileId.getBytes(StandardCharsets.UTF_8));
            return UploadId.of(HexFormat.of().formatHex(sha256.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
    }

    static Path partRecord(Path storageDir, UploadId id) {
        return storageDir.resolve("parts").resolve(id.value() + ".record");
    }

    /**
     * The data file of the upload's part: the one its record names; without a record, the one data
     * file of the id if there is exactly one (a start-over not committed yet), else a path that does
     * not exist.
     */
    static Path partData(Path storageDir, UploadId id) {
        Path parts = storageDir.resolve("parts");
        try {
            String generation = properties(partRecord(storageDir, id)).getProperty("data");
            return parts.resolve(id.value() + (generation == null ? "" : "." + generation) + ".data");
        } catch (NoSuchFileException noRecord) {
            List<Path> data = dataFiles(parts, id);
            return data.size() == 1 ? data.get(0) : parts.resolve(id.value() + ".data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file of the completed upload's current version, as its record names it. */
    static Path completedFile(Path storageDir, UploadId id) throws IOException {
        Path completed = storageDir.resolve("completed");
        Properties record = properties(completed.resolve(id.value() + ".record"));
        Path folder = completed.resolve(id.value());
        String version = record.getProperty("version");
        return (version == null ? folder : folder.resolve(version)).resolve(record.getProperty("name"));
    }

    // What FileNames.sanitize lets through: letters, digits, space and . - _ ( ) + , @, no leading dot or space.
    private static final Pattern SAFE_NAME = Pattern.compile("[\\p{L}\\p{N}_()+,@-][\\p{L}\\p{N} ._()+,@-]*");
    private static final String ID = "[0-9a-f]{64}";
    private static final String TOKEN = "[0-9a-f]{16}";

    /**
     * Why {@code relative} (a path inside the storage directory) has a shape the disk store never makes,
     * or null if it has one the store makes: {@code parts/}, {@code completed/}, the owner key,
     * {@code parts/ID.record}, {@code parts/ID[.GENERATION].data}, {@code completed/ID.record},
     * {@code completed/ID/}, {@code completed/ID/VERSION/} and {@code completed/ID/[VERSION/]NAME}
     * with a sanitized name.
     */
    static String layoutProblem(Path relative, boolean directory) {
        String[] names = relative.toString().split("/");
        String area = names[0];
        boolean ok = switch (names.length) {
            case 1 -> (area.equals("parts") || area.equals("completed")) && directory
                    || area.equals(OwnerKeyFile.NAME) && !directory;
            case 2 -> area.equals("parts")
                    ? !directory && names[1].matches(ID + "(\\.record|(\\." + TOKEN + ")?\\.data)")
                    : area.equals("completed") && (directory ? names[1].matches(ID) : names[1].matches(ID + "\\.record"));
            case 3 -> area.equals("completed") && names[1].matches(ID)
                    && (directory ? names[2].matches(TOKEN) : isSafeName(names[2]));
            case 4 -> area.equals("completed") && names[1].matches(ID) && names[2].matches(TOKEN) && !directory
                    && isSafeName(names[3]);
            default -> false;
        };
        return ok ? null : "a " + (directory ? "folder" : "file") + " of a shape the store never makes: " + relative;
    }

    private static boolean isSafeName(String name) {
        return SAFE_NAME.matcher(name).matches() && name.getBytes(StandardCharsets.UTF_8).length <= 255
                && !name.endsWith(".tmp") && !name.endsWith(".record");
    }

    private static List<Path> dataFiles(Path parts, UploadId id) {
        try (Stream<Path> files = Files.list(parts)) {
            return files.filter(f -> f.getFileName().toString().startsWith(id.value())
                    && f.getFileName().toString().endsWith(".data")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties properties(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties props = new Properties();
            props.load(reader);
            return props;
        }
    }
}
