package org.resumableupload.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.resumableupload.store.CompletedRecord;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.UploadId;

/** tus concatenation: complete partial uploads become, in order, one new complete upload. */
class ConcatenationTest extends CoreTestSupport {
    private static final CreateSpec FINAL = new CreateSpec(UNKNOWN, "whole.bin",
            Metadata.EMPTY.with("filename", "whole.bin"), false);

    /** A complete partial upload of {@code owner} holding {@code content}. */
    private UploadId part(Owner owner, String content) throws UploadException {
        UploadId id = uploads.create(owner, new CreateSpec(content.length(), "part", Metadata.EMPTY, true)).id();
        if (!content.isEmpty()) {
            send(uploads, owner, id, at(0, content.length()), content);
        }
        return id;
    }

    private UploadId part(String content) throws UploadException {
        return part(ALICE, content);
    }

    @Test
    void completePartsBecomeOneCompleteUploadWithTheSha256OfAllAndThePartsAreDeleted() throws Exception {
        UploadId first = part("hello ");
        UploadId second = part("world");

        Upload whole = uploads.concatenate(ALICE, List.of(first, second), FINAL);

        assertTrue(whole.isComplete());
        assertEquals(11, whole.offset());
        assertEquals(11, whole.length());
        assertArrayEquals(sha256("hello world"), whole.completed().orElseThrow().sha256());
        assertArrayEquals(bytes("hello world"), completedBytes(whole.id()));
        assertEquals(List.of(first, second), whole.finalParts());
        assertTrue(whole.concat().startsWith(Upload.FINAL_PREFIX));
        assertEquals("whole.bin", whole.name());
        assertEquals(FINAL.metadata(), uploads.get(ALICE, whole.id()).metadata());
        assertEquals(Optional.empty(), uploads.find(ALICE, first));
        assertEquals(Optional.empty(), uploads.find(ALICE, second));
        assertEquals(List.of(whole.id()), uploads.completed().of(ALICE).stream().map(CompletedRecord::id).toList());
    }

    @Test
    void partsAreJoinedInTheOrderNamedAndAnEmptyPartAddsNothing() throws Exception {
        UploadId hello = part("hello");
        UploadId empty = part("");
        UploadId world = part("world");

        Upload whole = uploads.concatenate(ALICE, List.of(world, empty, hello), FINAL);

        assertArrayEquals(bytes("worldhello"), completedBytes(whole.id()));
        assertArrayEquals(sha256("worldhello"), whole.completed().orElseThrow().sha256());
        assertEquals(List.of(world, empty, hello), whole.finalParts());
    }

    @Test
    void aConcatenatedUploadTakesNoAppendedBytes() throws Exception {
        Upload whole = uploads.concatenate(ALICE, List.of(part("abc")), FINAL);

        refused(ErrorCode.FINAL_UPLOAD_IMMUTABLE, 3, () -> begin(ALICE, whole.id(), at(3, 1)));
        refused(ErrorCode.FINAL_UPLOAD_IMMUTABLE, 3, () -> begin(ALICE, whole.id(), at(3, 0)));

        assertArrayEquals(bytes("abc"), completedBytes(whole.id()));
    }

    @Test
    void aConcatenatedUploadCanBeTerminated() throws Exception {
        Upload whole = uploads.concatenate(ALICE, List.of(part("abc")), FINAL);

        uploads.terminate(ALICE, whole.id());

        assertEquals(Optional.empty(), uploads.find(ALICE, whole.id()));
    }

    @Test
    void aPartThatIsMissingNotPartialOrNotCompleteIsRefusedAndNothingChanges() throws Exception {
        UploadId ready = part("ready");
        UploadId plain = uploads.create(ALICE, sized(3)).id();
        send(plain, at(0, 3), "abc");
        UploadId unfinished = uploads.create(ALICE, new CreateSpec(10, "part", Metadata.EMPTY, true)).id();
        sendCut(unfinished, at(0, UNKNOWN), "half");

        for (UploadId bad : List.of(UploadId.random(), plain, unfinished)) {
            refused(ErrorCode.PARTS_NOT_READY, () -> uploads.concatenate(ALICE, List.of(ready, bad), FINAL));
        }
        refused(ErrorCode.PARTS_NOT_READY, () -> uploads.concatenate(ALICE, List.of(), FINAL));

        assertArrayEquals(bytes("ready"), completedBytes(ready));
        assertArrayEquals(bytes("abc"), completedBytes(plain));
        assertEquals(4, offsetOf(unfinished));
        assertEquals(1, store.listParts().size(), "no final upload was begun");
        assertEquals(List.of(plain), uploads.completed().of(ALICE).stream().map(CompletedRecord::id).toList());
    }

    @Test
    void anotherOwnersPartsAreNotReadyForAnyoneElse() throws Exception {
        UploadId alices = part("secret");

        refused(ErrorCode.PARTS_NOT_READY, () -> uploads.concatenate(BOB, List.of(alices), FINAL));
        refused(ErrorCode.PARTS_NOT_READY, () -> uploads.concatenate(BOB, List.of(part(BOB, "mine"), alices), FINAL));

        assertArrayEquals(bytes("secret"), completedBytes(alices));
        assertTrue(uploads.completed().of(BOB).isEmpty());
    }

    @Test
    void partsTogetherLargerThanTheMaximumAreRefused() throws Exception {
        uploads = uploadsWith(s -> s.maxSize = 8);
        UploadId first = part("12345");
        UploadId second = part("6789");

        refused(ErrorCode.TOO_LARGE, () -> uploads.concatenate(ALICE, List.of(first, second), FINAL));

        assertArrayEquals(bytes("12345"), completedBytes(first));
        assertArrayEquals(bytes("6789"), completedBytes(second));
    }

    @Test
    void tooMuchMetadataForTheConcatenationIsRefusedBeforeThePartsAreTouched() throws Exception {
        UploadId first = part("abc");
        CreateSpec bloated = new CreateSpec(UNKNOWN, "whole", Metadata.EMPTY.with("k", "v".repeat(MAX_METADATA_BYTES)),
                false);

        refused(ErrorCode.METADATA_TOO_LARGE, () -> uploads.concatenate(ALICE, List.of(first), bloated));

        assertArrayEquals(bytes("abc"), completedBytes(first));
    }
}
