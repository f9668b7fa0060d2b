package org.resumableupload.web.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resumableupload.web.OpenRequest;
import org.resumableupload.web.RawHttp.Response;

/**
 * The 104 (Upload Resumption Supported) on embedded Jetty: whole, with {@code Location},
 * {@code Upload-Limit} and the interop version echoed, before a byte of the body is sent; only to a
 * client that names an interop version this server implements (4 to 9); before the 100 Continue of a
 * client that also expects one.
 */
@Timeout(60)
class IetfInterimIT extends IetfServerSupport {
    private static final byte[] BODY = "0123456789".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "Upload-Draft-Interop-Version: {0}")
    @ValueSource(ints = {9, 8, 7, 6, 5, 4})
    void aCreationNamingAnImplementedInteropVersionGets104BeforeItSendsAnyBodyByte(int version) throws Exception {
        IetfWire owner = newOwner();
        try (OpenRequest creation = owner.open("POST", IetfWire.BASE, IetfWire.COMPLETE,
                "Upload-Draft-Interop-Version: " + version, "Content-Length: " + BODY.length)) {

            Response interim = creation.next(10_000);

            assertNotNull(interim, "the connection closed without any answer");
            assertEquals(104, interim.status(), interim::toString);
            String location = IetfWire.location(interim);
            assertEquals(Optional.of(NEW_UPLOAD_LIMIT), interim.header("Upload-Limit"));
            assertEquals(Optional.of(Integer.toString(version)), interim.header("Upload-Draft-Interop-Version"));

            creation.send(BODY);
            Response done = creation.finalResponse(10_000);
            assertNotNull(done, "the creation was never answered");
            assertEquals(200, done.status(), done::toString);
            assertEquals(Optional.of("?1"), done.header("Upload-Complete"));
            assertEquals(Optional.of(location), done.header("Location"), "the 104 named the upload created");
        }
    }

    @Test
    void aCreationWithoutAnInteropVersionGetsNo104() {
        List<Response> answers = newOwner().exchange("POST", IetfWire.BASE, BODY, IetfWire.COMPLETE);

        assertEquals(200, answers.get(0).status(), answers::toString);
        assertEquals(1, answers.size(), answers::toString);
    }

    @ParameterizedTest(name = "Upload-Draft-Interop-Version: {0}")
    @ValueSource(strings = {"3", "10", "abc", "-9", "9.0", "1000"})
    void aCreationNamingAnInteropVersionNotImplementedGetsNo104ButIsCreated(String version) {
        List<Response> answers = newOwner().exchange("POST", IetfWire.BASE, BODY, IetfWire.COMPLETE,
                "Upload-Draft-Interop-Version: " + version);

        assertEquals(200, answers.get(0).status(), answers::toString);
        assertEquals(1, answers.size(), answers::toString);
    }

    @Test
    void aCreationExpecting100ContinueGets104Then100BeforeItsBodyAndCompletes() throws Exception {
        IetfWire owner = newOwner();
        try (OpenRequest creation = owner.open("POST", IetfWire.BASE, IetfWire.COMPLETE, IetfWire.INTEROP,
                "Expect: 100-continue", "Content-Length: " + BODY.length)) {

            Response first = creation.next(10_000);
            Response second = creation.next(10_000);

            assertNotNull(first, "the connection closed without any answer");
            assertNotNull(second, "the connection closed after " + first);
            assertEquals(104, first.status(), first::toString);
            assertEquals(100, second.status(), second::toString);
            creation.send(BODY);
            Response done = creation.finalResponse(10_000);
            assertNotNull(done, "the creation was never answered");
            assertEquals(200, done.status(), done::toString);
            assertEquals(BODY.length, done.uploadOffset());
            assertEquals(Optional.of(IetfWire.location(first)), done.header("Location"));
            assertEquals(Optional.of(reprDigest(BODY)), done.header("Repr-Digest"));
        }
    }
}
