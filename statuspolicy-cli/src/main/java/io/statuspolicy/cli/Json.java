package io.statuspolicy.cli;

import java.util.Locale;

/**
 * A minimal JSON object writer for trace lines and {@code table --format json}: strings escaped
 * per RFC 8259 §7, numbers and booleans as they are. Enough for flat records; not a library.
 */
final class Json {
    private final StringBuilder out = new StringBuilder(128);
    private boolean first = true;

    private Json() {
    }

    /** Starts an object. */
    static Json object() {
        Json json = new Json();
        json.out.append('{');
        return json;
    }

    Json field(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(out, value);
        }
        return this;
    }

    Json field(String name, long value) {
        key(name);
        out.append(value);
        return this;
    }

    Json field(String name, boolean value) {
        key(name);
        out.append(value);
        return this;
    }

    /** A value that is already JSON (a nested object or array). */
    Json raw(String name, String json) {
        key(name);
        out.append(json);
        return this;
    }

    /** Ends the object and returns its text. */
    String end() {
        return out.append('}').toString();
    }

    private void key(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(out, name);
        out.append(':');
    }

    /** Appends {@code text} as a JSON string. */
    static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** {@code text} as a JSON string. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        quote(out, text);
        return out.toString();
    }
}
