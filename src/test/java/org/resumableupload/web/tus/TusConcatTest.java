package org.resumableupload.web.tus;

import org.resumableupload.core.UploadException;
import org.resumableupload.core.ErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.resumableupload.web.tus.TusRequests.refused;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TusConcatTest {
    private static final String BASE = "/tus/";
    private static final Predicate<String> HEX_ID = Pattern.compile("[0-9a-f]{32}").asMatchPredicate();
    private static final String A = "0123456789abcdef0123456789abcdef";
    private static final String B = "fedcba9876543210fedcba9876543210";

    private static TusConcat parse(String value) throws UploadException {
        return TusConcat.parse(value, BASE, HEX_ID);
    }

    @Test
    void partialIsPartial() throws UploadException {
        TusConcat concat = parse("partial");

        assertInstanceOf(TusConcat.Partial.class, concat);
        assertEquals("partial", concat.headerValue());
    }

    @Test
    void aFinalUploadNamesItsPartsInOrderFromAbsoluteUrlsPathsAndRelativePaths() throws UploadException {
        String sent = "final;https://uploads.example/tus/" + B + " /tus/" + A + " " + B;

        TusConcat.Final concat = assertInstanceOf(TusConcat.Final.class, parse(sent));

        assertEquals(List.of(B, A, B), concat.uploadIds());
        assertEquals(sent, concat.headerValue(), "HEAD answers the header as received");
    }

    @Test
    void theHostOfAnAbsoluteUrlIsNotComparedButItsSchemeAndPathAre() throws UploadException {
        TusConcat.Final concat = assertInstanceOf(TusConcat.Final.class,
                parse("final;http://127.0.0.1:8080/tus/" + A + "  HTTPS://proxy.example/tus/" + B));

        assertEquals(List.of(A, B), concat.uploadIds());
    }

    @Test
    void aBasePathUnderAContextPathIsRequiredInFull() throws UploadException {
        TusConcat.Final concat = assertInstanceOf(TusConcat.Final.class,
                TusConcat.parse("final;/app/tus/" + A, "/app/tus/", HEX_ID));

        assertEquals(List.of(A), concat.uploadIds());
        refused(ErrorCode.MALFORMED_REQUEST, () -> TusConcat.parse("final;/tus/" + A, "/app/tus/", HEX_ID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "partial;", "Partial", "final", "final;", "final; ", "finally;/tus/" + A,
            "final;/files/" + A, "final;/tus/" + A + "/", "final;/tus/" + A + "?x=1", "final;/tus/" + A + "#f",
            "final;/tus/../tus/" + A, "final;/tus/%2E%2E%2F" + A, "final;/tus/sub/" + A, "final;/tus/",
            "final;ftp://host/tus/" + A, "final;//host/tus/" + A, "final;https:///tus/" + A,
            "final;/tus/" + A + " /elsewhere/" + B, "final;/tus/not-an-id", "final;/tus/" + A + "\t/tus/" + B,
            "final;http://h\u00f6st/tus/" + A, "final;/tus/" + A + " /tus/\u00e9"})
    void anythingButUploadUrlsUnderTheBasePathIsMalformed(String value) {
        refused(ErrorCode.MALFORMED_REQUEST, () -> parse(value));
    }

    @Test
    void theRefusalSaysWhichUrlIsWrongWithoutQuotingIt() {
        UploadException refusal = refused(ErrorCode.MALFORMED_REQUEST,
                () -> parse("final;/tus/" + A + " /tus/<script>"));

        assertEquals("Upload-Concat URL 2 is not an upload URL under /tus/", refusal.getMessage());
    }
}
