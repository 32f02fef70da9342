package io.statuspolicy.config;

import java.util.Map;
import java.util.StringJoiner;

/** The few pieces of YAML the writer produces: double-quoted strings and one-line flow mappings. */
final class YamlText {

    private YamlText() {
    }

    /**
     * {@code text} as a YAML double-quoted scalar that reads back to exactly the same string.
     * Anything YAML does not allow raw (control characters, lone surrogates), and every character
     * some YAML reader might take as a line break, is written as an escape.
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (printable(cp)) {
                        out.appendCodePoint(cp);
                    } else if (cp <= 0xFFFF) {
                        out.append(String.format("\\u%04X", cp));
                    } else {
                        out.append(String.format("\\U%08X", cp));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** YAML 1.2's printable set, less NEL, the Unicode line and paragraph separators and the BOM. */
    private static boolean printable(int cp) {
        return (cp >= 0x20 && cp <= 0x7E)
                || (cp >= 0xA0 && cp <= 0xD7FF && cp != 0x2028 && cp != 0x2029)
                || (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF)
                || (cp >= 0x10000 && cp <= 0x10FFFF);
    }

    /** A one-line flow mapping, e.g. {@code { handling: FAIL, maxRetries: 2 }}. */
    static String flow(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return "{}";
        }
        StringJoiner out = new StringJoiner(", ", "{ ", " }");
        fields.forEach((key, value) -> out.add(key + ": " + value));
        return out.toString();
    }
}
