package io.statuspolicy.engine;

import io.statuspolicy.decision.ResponseFacts;
import java.util.List;

/**
 * Checks of a response head's message framing (RFC 9112 §6): a response whose length cannot be
 * trusted is a failure of that attempt, never a body read by guesswork. This is the pattern
 * behind response smuggling: a server (or something in front of it) that frames one message two
 * ways.
 */
final class Framing {
    private Framing() {
    }

    /** What is wrong with the framing, or null when nothing is. */
    static String problem(ResponseFacts head) {
        List<String> lengths = head.headerValues("Content-Length");
        if (lengths.isEmpty()) {
            return null;
        }
        return problem(lengths, !head.headerValues("Transfer-Encoding").isEmpty());
    }

    /**
     * What is wrong with a head whose Content-Length field lines are {@code lengths} (empty or
     * null when it has none) and that has a Transfer-Encoding field or not, or null when nothing is:
     * for an adapter that found both in one pass over its client's fields.
     */
    static String problem(List<String> lengths, boolean transferEncoding) {
        if (lengths == null || lengths.isEmpty()) {
            return null;
        }
        if (transferEncoding) {
            // RFC 9112 §6.3 (3): both is a sign of smuggling; we refuse it rather than pick one.
            return "both Transfer-Encoding and Content-Length";
        }
        if (lengths.size() == 1) {
            String line = lengths.get(0);
            if (digits(line)) { // the usual one value, digits only: one pass, no split and no strip
                return null;
            }
            if (line.indexOf(',') < 0) {
                return parse(line.strip()) < 0 ? "Content-Length is not a non-negative number below 2^63: "
                        + clip(line) : null;
            }
        }
        long value = -1;
        for (String line : lengths) {
            for (String part : line.split(",", -1)) {
                long parsed = parse(part.strip());
                if (parsed < 0) {
                    return "Content-Length is not a non-negative number below 2^63: " + clip(line);
                }
                if (value >= 0 && parsed != value) {
                    return "Content-Length has different values: " + clip(String.join(", ", lengths));
                }
                value = parsed;
            }
        }
        return null;
    }

    /** Whether {@code text} is 1 to 18 ASCII digits: a length below 10^18, sound as it is. */
    private static boolean digits(String text) {
        int length = text.length();
        if (length == 0 || length > 18) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long parse(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return text.length() == 19 ? parseLong19(text) : -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static long parseLong19(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException overflow) {
            return -1;
        }
    }

    private static String clip(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
