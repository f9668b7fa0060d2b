package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;
import org.resumableupload.web.ServletMocks;

/** The draft's request fields read from a request, and the refusals of malformed ones. */
class IetfHeadersTest {
    private static final String PARTIAL = "application/partial-upload";

    /** A request of {@code method} with {@code contentType} and header lines given as name, value, name, value... */
    private static ServletMocks.Request request(String method, String contentType, String... nameValue) {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            lines.computeIfAbsent(nameValue[i], name -> new ArrayList<>()).add(nameValue[i + 1]);
        }
        ServletMocks.Request request = new ServletMocks.Request(method);
        lines.forEach((name, values) -> request.header(name, values.toArray(String[]::new)));
        if (contentType != null) {
            request.header("Content-Type", contentType); // read as sent, never through getContentType()
        }
        when(request.mock.getContentType()).thenThrow(new AssertionError("getContentType() throws for an "
                + "unknown charset on Jetty: the front end reads the field as sent"));
        return request;
    }

    private static void refused(ErrorCode code, Executable call) {
        UploadException e = assertThrows(UploadException.class, call);
        assertEquals(code, e.code(), e::getMessage);
    }

    @Test
    void aCreationIsReadWithItsLengthVersionNameAndMediaType() throws UploadException {
        IetfHeaders.Creation creation = IetfHeaders.creation(request("POST", "image/png", "Upload-Complete", "?1",
                "Upload-Length", "10", "Upload-Draft-Interop-Version", "9",
                "Content-Disposition", "attachment; filename=\"cat.png\"").mock);

        assertEquals(new IetfHeaders.Creation(true, OptionalLong.of(10), 9, Optional.of("cat.png"),
                Optional.of("image/png")), creation);
    }

    @Test
    void aCreationWithoutOptionalFieldsHasNoneOfThem() throws UploadException {
        IetfHeaders.Creation creation = IetfHeaders.creation(request("POST", null, "Upload-Complete", "?0").mock);

        assertEquals(new IetfHeaders.Creation(false, OptionalLong.empty(), 0, Optional.empty(), Optional.empty()),
                creation);
    }

    @ParameterizedTest(name = "Upload-Draft-Interop-Version: {0}")
    @ValueSource(strings = {"abc", "-1", "9.0", "1000", "+9"})
    void anInteropVersionThatIsNoSmallIntegerIsNone(String version) {
        assertEquals(0, IetfHeaders.interopVersion(request("POST", null,
                "Upload-Draft-Interop-Version", version).mock));
    }

    @Test
    void anInteropVersionOnTwoLinesIsNone() {
        assertEquals(0, IetfHeaders.interopVersion(request("POST", null, "Upload-Draft-Interop-Version", "9",
                "Upload-Draft-Interop-Version", "9").mock));
    }

    @ParameterizedTest(name = "Upload-Complete: {0}")
    @ValueSource(strings = {"yes", "1", "?2", "true", ""})
    void aMalformedUploadCompleteIsRefused(String value) {
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.creation(request("POST", null,
                "Upload-Complete", value).mock));
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.append(request("PATCH", PARTIAL,
                "Upload-Offset", "0", "Upload-Complete", value).mock));
    }

    @Test
    void uploadCompleteIsRequiredOnCreationAndAppend() {
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.creation(request("POST", null).mock));
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.append(request("PATCH", PARTIAL,
                "Upload-Offset", "0").mock));
    }

    @Test
    void aFieldOnTwoLinesIsRefusedEvenWhenBothLinesAgree() {
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.creation(request("POST", null,
                "Upload-Complete", "?1", "Upload-Complete", "?1").mock));
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.creation(request("POST", null,
                "Upload-Complete", "?0", "Upload-Length", "5", "Upload-Length", "5").mock));
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.append(request("PATCH", PARTIAL,
                "Upload-Offset", "0", "Upload-Offset", "0", "Upload-Complete", "?0").mock));
    }

    @Test
    void anAppendIsReadWithItsOffsetCompletenessAndLength() throws UploadException {
        IetfHeaders.Append append = IetfHeaders.append(request("PATCH", PARTIAL, "Upload-Offset", "4096",
                "Upload-Complete", "?1", "Upload-Length", "5000").mock);

        assertEquals(new IetfHeaders.Append(4096, true, OptionalLong.of(5000)), append);
    }

    @ParameterizedTest(name = "Upload-Offset: {0}")
    @ValueSource(strings = {"+4096", "abc", "-1", "1.5", ""})
    void aMalformedUploadOffsetIsRefusedAndIsNoOffsetForTheMismatchAnswer(String offset) {
        ServletMocks.Request patch = request("PATCH", PARTIAL, "Upload-Offset", offset, "Upload-Complete", "?0");

        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.append(patch.mock));
        assertEquals(OptionalLong.empty(), IetfHeaders.offsetIfValid(patch.mock));
    }

    @Test
    void aMissingUploadOffsetIsRefused() {
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.append(request("PATCH", PARTIAL,
                "Upload-Complete", "?0").mock));
        assertEquals(OptionalLong.empty(), IetfHeaders.offsetIfValid(request("PATCH", PARTIAL).mock));
    }

    @Test
    void aValidUploadOffsetIsTheOffsetForTheMismatchAnswer() {
        assertEquals(OptionalLong.of(7),
                IetfHeaders.offsetIfValid(request("PATCH", PARTIAL, "Upload-Offset", "7").mock));
    }

    @Test
    void aMalformedUploadLengthIsRefused() {
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.creation(request("POST", null,
                "Upload-Complete", "?0", "Upload-Length", "-5").mock));
        refused(ErrorCode.MALFORMED_REQUEST, () -> IetfHeaders.append(request("PATCH", PARTIAL,
                "Upload-Offset", "0", "Upload-Complete", "?0", "Upload-Length", "-5").mock));
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"application/partial-upload", "Application/Partial-Upload",
        "application/partial-upload; x=1", " application/partial-upload "})
    void anAppendLabelledPartialUploadIsAccepted(String contentType) throws UploadException {
        assertEquals(0, IetfHeaders.append(request("PATCH", contentType, "Upload-Offset", "0",
                "Upload-Complete", "?0").mock).offset());
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"application/octet-stream", "application/offset+octet-stream",
        "application/partial-uploads", "text/plain; x=application/partial-upload"})
    void anAppendLabelledOtherwiseIsRefusedAsUnsupportedMediaType(String contentType) {
        refused(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> IetfHeaders.append(request("PATCH", contentType,
                "Upload-Offset", "0", "Upload-Complete", "?0").mock));
    }

    @Test
    void anUnlabelledAppendIsRefusedUnlessItsClientSpeaksInteropVersion4Or5() throws UploadException {
        for (String version : List.of("4", "5")) {
            assertEquals(3, IetfHeaders.append(request("PATCH", null, "Upload-Offset", "3", "Upload-Complete", "?0",
                    "Upload-Draft-Interop-Version", version).mock).offset());
        }
        for (String version : List.of("3", "6", "9")) {
            refused(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> IetfHeaders.append(request("PATCH", null,
                    "Upload-Offset", "3", "Upload-Complete", "?0", "Upload-Draft-Interop-Version", version).mock));
        }
        refused(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> IetfHeaders.append(request("PATCH", null,
                "Upload-Offset", "3", "Upload-Complete", "?0").mock));
    }

    @Test
    void browsersMaySendAndReadEveryFieldOfTheDraft() {
        assertTrue(IetfHeaders.CORS_REQUEST_HEADERS.containsAll(List.of("Upload-Offset", "Upload-Complete",
                "Upload-Length", "Upload-Draft-Interop-Version", "Content-Type", "Content-Disposition")));
        assertTrue(IetfHeaders.CORS_EXPOSED_HEADERS.containsAll(List.of("Location", "Upload-Offset", "Upload-Complete",
                "Upload-Length", "Upload-Limit", "Repr-Digest", "Upload-Error")));
        assertTrue(IetfHeaders.CORS_METHODS.containsAll(List.of("POST", "HEAD", "GET", "PATCH", "DELETE", "OPTIONS")));
        assertFalse(IetfHeaders.CORS_METHODS.contains("PUT"));
    }
}
