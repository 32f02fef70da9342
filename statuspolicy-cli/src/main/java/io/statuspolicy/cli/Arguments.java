package io.statuspolicy.cli;

import io.statuspolicy.cli.ExitCodes.UsageException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine;

/** Parsing of option values, each failure a usage error that names the option and the value. */
final class Arguments {
    /** Header fields the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host",
            "upgrade");

    private Arguments() {
    }

    /** A header field given on the command line or in a file. */
    record Header(String name, String value) {
    }

    /**
     * Seconds, decimals allowed ({@code 2}, {@code 0.25}), as a duration; never negative.
     *
     * @throws IllegalArgumentException with a message fit for a usage error
     */
    static Duration seconds(String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number of seconds such as 2 or 0.5, found \"" + text + "\"");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException("expected seconds >= 0, found \"" + text + "\"");
        }
        if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000_000L)) > 0) {
            throw new IllegalArgumentException("expected fewer seconds, found \"" + text + "\"");
        }
        return Duration.ofNanos(value.movePointRight(9).longValue());
    }

    /** picocli's converter for {@link #seconds}. */
    static final class SecondsConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return seconds(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * The header fields of {@code -H} values: {@code "Name: value"}, or {@code @FILE} for one
     * field per line of a file (blank lines and lines starting with {@code #} skipped), which
     * keeps secrets out of the process list.
     */
    static List<Header> headers(List<String> values) {
        List<Header> headers = new ArrayList<>();
        for (String value : values) {
            if (value.startsWith("@")) {
                Path file = Path.of(value.substring(1));
                List<String> lines;
                try {
                    lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UsageException("-H " + value + ": cannot read the file (" + e.getClass().getSimpleName()
                            + ")", e);
                }
                int number = 0;
                for (String line : lines) {
                    number++;
                    String trimmed = line.strip();
                    if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                        headers.add(header(trimmed, file + ":" + number));
                    }
                }
            } else {
                headers.add(header(value, "-H"));
            }
        }
        return headers;
    }

    /** One {@code "Name: value"}; the value is never echoed in a message (it may be a secret). */
    static Header header(String text, String where) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new UsageException(where + ": expected \"Name: value\", found no field name before ':'");
        }
        String name = text.substring(0, colon).strip();
        String value = text.substring(colon + 1).strip();
        if (!isToken(name)) {
            throw new UsageException(where + ": \"" + printable(name) + "\" is not a valid header field name "
                    + "(RFC 9110 §5.1)");
        }
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new UsageException(where + ": " + name + " is set by the HTTP client itself and cannot be given");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new UsageException(where + ": the value of " + name + " has a character not allowed in a "
                        + "header field (RFC 9110 §5.5)");
            }
        }
        return new Header(name, value);
    }

    /** {@code Authorization: Basic ...} for {@code user:password} (RFC 7617, UTF-8, as curl sends it). */
    static String basic(String userAndPassword) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                userAndPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The {@code Idempotency-Key} value: {@code auto} becomes a fresh random UUID, and a key
     * is sent as a structured-field string (quoted, RFC 8941 §3.3.3), as the draft asks; a key
     * given already quoted is kept as it is.
     */
    static String idempotencyKey(String key) {
        if (key.equals("auto")) {
            return '"' + UUID.randomUUID().toString() + '"';
        }
        boolean quoted = key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"");
        String bare = quoted ? key.substring(1, key.length() - 1) : key;
        if (bare.isEmpty()) {
            throw new UsageException("--idempotency-key: expected a key or auto, found an empty key");
        }
        StringBuilder out = new StringBuilder(bare.length() + 2).append('"');
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new UsageException("--idempotency-key: expected printable ASCII (RFC 8941 §3.3.3), found a "
                        + "character U+" + String.format(Locale.ROOT, "%04X", (int) c));
            }
            if ((c == '"' || c == '\\') && quoted) {
                out.append(c); // already a structured-field string: keep its escapes
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\u%04x", (int) c));
        }
        return out.toString();
    }
}
