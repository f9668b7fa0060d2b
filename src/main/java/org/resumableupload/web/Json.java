package org.resumableupload.web;

/** Just enough JSON writing for flat objects and arrays of them. */
public final class Json {
    private final StringBuilder text = new StringBuilder();
    private final char close;
    private boolean first = true;

    private Json(char open, char close) {
        text.append(open);
        this.close = close;
    }

    public static Json object() {
        return new Json('{', '}');
    }

    public static Json array() {
        return new Json('[', ']');
    }

    public Json field(String name, String value) {
        key(name);
        quote(value);
        return this;
    }

    public Json field(String name, long value) {
        key(name);
        text.append(value);
        return this;
    }

    /** Appends an already written JSON value to an array. */
    public Json element(Json value) {
        separate();
        text.append(value);
        return this;
    }

    private void key(String name) {
        separate();
        quote(name);
        text.append(':');
    }

    private void separate() {
        if (!first) {
            text.append(',');
        }
        first = false;
    }

    private void quote(String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    // Escaping '<' keeps the JSON inert even if something sniffs it as HTML.
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }

    @Override
    public String toString() {
        return text.toString() + close;
    }
}
