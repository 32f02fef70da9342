package io.statuspolicy.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * For adapters whose client reads header bytes one character per byte (ISO-8859-1), as
 * {@code java.net.http} and Apache HttpClient do: a {@code Location} a server sent as raw UTF-8
 * then arrives as one character per byte. Percent-encoding each byte above 0x7F (RFC 3986 §2.1)
 * gives the URI the server meant, its UTF-8 bytes encoded, instead of one re-encoded from Latin-1.
 * A value with a character above 0xFF did not come from the wire byte by byte and is left as it
 * is, for the Location rules to judge.
 */
public final class RawLocation {
    private RawLocation() {
    }

    /** The value with every byte above 0x7F percent-encoded; the same instance when there is none. */
    public static String encode(String value) {
        int i = 0;
        while (i < value.length() && value.charAt(i) < 0x80) {
            i++;
        }
        if (i == value.length()) {
            return value;
        }
        StringBuilder text = new StringBuilder(value.length() + 16).append(value, 0, i);
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                text.append(c);
            } else if (c <= 0xFF) {
                text.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else {
                return value;
            }
        }
        return text.toString();
    }

    /** {@link #encode} applied to each value; the same list when none changes. */
    public static List<String> encodeAll(List<String> values) {
        List<String> result = null;
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String encoded = encode(value);
            if (encoded != value && result == null) {
                result = new ArrayList<>(values);
            }
            if (result != null) {
                result.set(i, encoded);
            }
        }
        return result == null ? values : result;
    }
}
