package org.resumableupload.web.article;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.BodyChecksum;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.UploadException;

/** Reads the protocol's request headers; every malformed value is a 400 with the header's name. */
final class ArticleHeaders {
    static final String FILE_ID = "X-File-Id";
    static final String START_BYTE = "X-Start-Byte";
    static final String FILE_SIZE = "X-File-Size";
    static final String FILE_NAME = "X-File-Name";
    static final String CONTENT_DIGEST = "Content-Digest";

    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,19}");
    private static final Pattern DIGEST_ITEM = Pattern.compile("\\s*([a-z0-9*_.-]+)\\s*=\\s*:([A-Za-z0-9+/=]*):\\s*(;.*)?");

    private ArticleHeaders() {
    }

    /**
     * The client's file id, as sent.
     *
     * @throws UploadException MISSING_FILE_ID if absent or empty, MALFORMED_HEADER if sent twice
     */
    static String fileId(HttpServletRequest request) throws UploadException {
        String id = single(request, FILE_ID);
        if (id == null || id.isEmpty()) {
            throw new UploadException(ErrorCode.MISSING_UPLOAD_KEY);
        }
        return id;
    }

    /**
     * Everything {@code POST upload} says about its body.
     *
     * @throws UploadException MALFORMED_HEADER or BAD_DIGEST_HEADER
     */
    static ArticleRequest articleRequest(HttpServletRequest request, String fileId) throws UploadException {
        long startByte = decimal(request, START_BYTE);
        long declaredSize = decimal(request, FILE_SIZE);
        String name = ArticleNames.forUpload(percentDecoded(request, FILE_NAME), fileId);
        byte[] sha256 = contentDigestSha256(request);
        return new ArticleRequest(startByte, declaredSize, request.getContentLengthLong(), name,
                sha256 == null ? null : BodyChecksum.of("sha256", sha256));
    }

    /**
     * A non-negative decimal number of bytes, or {@link AppendSpec#UNKNOWN}.
     *
     * @throws UploadException MALFORMED_HEADER for signs, spaces inside, non-digits or overflow
     */
    static long decimal(HttpServletRequest request, String header) throws UploadException {
        String value = single(request, header);
        if (value == null) {
            return AppendSpec.UNKNOWN;
        }
        String digits = value.strip();
        if (!DECIMAL.matcher(digits).matches()) {
            throw malformed(header + " must be a decimal number of bytes");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException overflow) {
            throw malformed(header + " is too large");
        }
    }

    /**
     * A percent-encoded UTF-8 header value, decoded; null if absent.
     *
     * @throws UploadException MALFORMED_HEADER for a broken escape or bytes that are not UTF-8
     */
    static String percentDecoded(HttpServletRequest request, String header) throws UploadException {
        String value = single(request, header);
        if (value == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
                        || Character.digit(value.charAt(i + 2), 16) < 0) {
                    throw malformed(header + " has a broken percent escape");
                }
                bytes.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                throw malformed(header + " must be percent-encoded UTF-8");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw malformed(header + " is not UTF-8");
        }
    }

    /**
     * The SHA-256 that RFC 9530 {@code Content-Digest} gives for the body, or null if absent.
     *
     * @throws UploadException BAD_DIGEST_HEADER if present but without a well-formed sha-256 member
     */
    static byte[] contentDigestSha256(HttpServletRequest request) throws UploadException {
        String value = single(request, CONTENT_DIGEST);
        if (value == null) {
            return null;
        }
        for (String item : value.split(",")) {
            var member = DIGEST_ITEM.matcher(item);
            if (member.matches() && member.group(1).toLowerCase(Locale.ROOT).equals("sha-256")) {
                try {
                    byte[] sha256 = Base64.getDecoder().decode(member.group(2));
                    if (sha256.length == 32) {
                        return sha256;
                    }
                } catch (IllegalArgumentException notBase64) {
                    break;
                }
            }
        }
        throw new UploadException(ErrorCode.MALFORMED_REQUEST,
                "Content-Digest must carry sha-256 as an RFC 9530 byte sequence");
    }

    /** The header's value; a header sent twice with different values is malformed. */
    private static String single(HttpServletRequest request, String header) throws UploadException {
        List<String> values = request.getHeaders(header) == null ? List.of()
                : Collections.list(request.getHeaders(header));
        if (values.isEmpty()) {
            return null;
        }
        if (values.stream().distinct().count() > 1) {
            throw malformed(header + " was sent more than once");
        }
        return values.get(0);
    }

    private static UploadException malformed(String detail) {
        return new UploadException(ErrorCode.MALFORMED_REQUEST, detail);
    }
}
