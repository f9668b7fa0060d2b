package org.resumableupload.web.ietf;

import java.util.Optional;

/**
 * The two kinds of RFC 9651 Item the draft's request fields use: an Integer and a Boolean. An Item may
 * carry parameters ({@code 5;a=1}); they are checked for syntax and ignored, as RFC 9651 lets a
 * recipient ignore parameters it does not know. Anything else (a sign, a decimal, a list, trailing
 * bytes, a second field line, which RFC 9651 joins with a comma into a list) is not an Item of that
 * kind: empty.
 */
final class StructuredFields {
    private static final int MAX_INTEGER_DIGITS = 15; // RFC 9651 §3.3.1

    private final String text;
    private int at;

    private StructuredFields(String text) {
        this.text = text;
    }

    /** A non-negative Integer Item, e.g. {@code 4096}; empty for {@code +4096}, {@code -1}, {@code abc}, {@code 1, 2}. */
    static Optional<Long> nonNegativeInteger(String value) {
        StructuredFields parser = new StructuredFields(value);
        parser.skipSpaces();
        int start = parser.at;
        while (parser.at < value.length() && isDigit(value.charAt(parser.at))) {
            parser.at++;
        }
        int digits = parser.at - start;
        if (digits == 0 || digits > MAX_INTEGER_DIGITS || parser.peek() == '.' || !parser.restIsParameters()) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(value.substring(start, start + digits)));
    }

    /** A Boolean Item: {@code ?1} or {@code ?0}; empty for {@code yes}, {@code true}, {@code 1}. */
    static Optional<Boolean> bool(String value) {
        StructuredFields parser = new StructuredFields(value);
        parser.skipSpaces();
        if (parser.peek() != '?' || parser.at + 1 >= value.length()) {
            return Optional.empty();
        }
        char digit = value.charAt(parser.at + 1);
        parser.at += 2;
        if ((digit != '0' && digit != '1') || !parser.restIsParameters()) {
            return Optional.empty();
        }
        return Optional.of(digit == '1');
    }

    // Parameters: *( ";" *SP key [ "=" bare-item ] ), then only trailing spaces.
    private boolean restIsParameters() {
        while (peek() == ';') {
            at++;
            skipSpaces();
            if (!key() || (peek() == '=' && !bareItemAfterEquals())) {
                return false;
            }
        }
        skipSpaces();
        return at == text.length();
    }

    private boolean key() {
        char first = peek();
        if (!(first >= 'a' && first <= 'z') && first != '*') {
            return false;
        }
        at++;
        while (at < text.length() && isKeyChar(text.charAt(at))) {
            at++;
        }
        return true;
    }

    // A parameter's value: an Integer or Decimal, a String, a Token, a Byte Sequence or a Boolean.
    private boolean bareItemAfterEquals() {
        at++;
        char first = peek();
        int start = at;
        if (first == '-' || isDigit(first)) {
            at++;
            while (at < text.length() && (isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                at++;
            }
            return at - start <= 20;
        }
        if (first == '"') {
            return closed('"', true);
        }
        if (first == ':') {
            return closed(':', false);
        }
        if (first == '?') {
            at++;
            char digit = peek();
            at++;
            return digit == '0' || digit == '1';
        }
        if ((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '*') {
            while (at < text.length() && " ;,\"=()".indexOf(text.charAt(at)) < 0 && text.charAt(at) > ' '
                    && text.charAt(at) < 127) {
                at++;
            }
            return true;
        }
        return false;
    }

    private boolean closed(char end, boolean escapes) {
        for (at++; at < text.length(); at++) {
            char c = text.charAt(at);
            if (c == end) {
                at++;
                return true;
            }
            if (escapes && c == '\\') {
                at++;
            } else if (c < ' ' || c >= 127) {
                return false;
            }
        }
        return false;
    }

    private void skipSpaces() {
        while (at < text.length() && text.charAt(at) == ' ') {
            at++;
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
    }
}
