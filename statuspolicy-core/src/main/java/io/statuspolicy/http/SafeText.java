package io.statuspolicy.http;

/**
 * Quotes untrusted text (header values received from a server) for use inside an English
 * message that may end up in a log or an exception. Package-private: only the parsers here
 * build such messages.
 */
final class SafeText {

    /** Longest quoted text, in output characters, before it is cut; keeps messages short. */
    static final int MAX_QUOTED = 100;

    private SafeText() {
    }

    /**
     * Returns {@code value} in double quotes with control characters, quotes and backslashes
     * escaped Java-style, cut after about {@link #MAX_QUOTED} characters. A log reader then sees
     * exactly which bytes were sent (a CR LF shows as {@code \r\n}), and a hostile value cannot
     * forge log lines.
     */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_QUOTED) + 16);
        out.append('"');
        int i = 0;
        while (i < value.length() && out.length() <= MAX_QUOTED) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    // C0, DEL, C1 and lone surrogates are invisible or break terminals.
                    boolean loneSurrogate = Character.isSurrogate(c) && !isPairAt(value, i);
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || loneSurrogate) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else if (Character.isHighSurrogate(c)) {
                        out.append(c).append(value.charAt(i + 1));
                        i++;
                    } else {
                        out.append(c);
                    }
                }
            }
            i++;
        }
        if (i < value.length()) {
            out.append("...\" (").append(value.length()).append(" chars)");
        } else {
            out.append('"');
        }
        return out.toString();
    }

    private static boolean isPairAt(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
    }

    /**
     * Returns a form of a raw URI reference that is safe to show: every part that may be
     * userinfo is replaced by {@code ***} (RFC 9110 §4.2.4, §17.1) and values of token-like
     * query or fragment parameters are masked as in {@link Redaction}. It works on the raw text,
     * not on a parsed URI, because it must also cope with values that fail to parse.
     */
    static String uriReference(String raw) {
        if (raw == null) {
            return null;
        }
        int queryOrFragment = indexOfAny(raw, "?#", 0);
        String head = queryOrFragment < 0 ? raw : raw.substring(0, queryOrFragment);
        String tail = queryOrFragment < 0 ? "" : raw.substring(queryOrFragment);
        return maskUserinfo(head) + maskTail(tail);
    }

    /**
     * Replaces whatever precedes each '@' back to the previous '/' or '\' (or the start) with
     * {@code ***}. Deliberately broad: it also hides a harmless "/@user" path segment, which is
     * a fair price for never printing a password from a half-valid authority such as
     * {@code http:\\user:pw@host}.
     */
    private static String maskUserinfo(String head) {
        if (head.indexOf('@') < 0) {
            return head;
        }
        StringBuilder out = new StringBuilder(head.length());
        int segmentStart = 0;
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c == '/' || c == '\\') {
                out.append(head, segmentStart, i + 1);
                segmentStart = i + 1;
            } else if (c == '@') {
                // Not even a leading "scheme:" is kept: in "user:pw@host" that is the user name.
                out.append("***@");
                segmentStart = i + 1;
            }
        }
        out.append(head, segmentStart, head.length());
        return out.toString();
    }

    private static String maskTail(String tail) {
        if (tail.isEmpty()) {
            return tail;
        }
        int hash = tail.indexOf('#');
        if (tail.charAt(0) == '?') {
            String query = hash < 0 ? tail.substring(1) : tail.substring(1, hash);
            String rest = hash < 0 ? "" : "#" + Redaction.maskParameters(tail.substring(hash + 1));
            return "?" + Redaction.maskParameters(query) + rest;
        }
        return "#" + Redaction.maskParameters(tail.substring(1));
    }

    static boolean isScheme(String s) {
        // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        if (s.isEmpty() || !isAlpha(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
