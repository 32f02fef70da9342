package io.statuspolicy.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code -w, --write-out FORMAT}: curl's text after the call, with curl's variable names where
 * curl has them ({@code %{http_code}}, {@code %{url_effective}}, {@code %{num_redirects}},
 * {@code %{time_total}}, {@code %{num_retries}}, {@code %{exitcode}}, {@code %{method}}) and one
 * of ours, {@code %{statuspolicy_attempts}}: the requests sent. The format is checked before
 * anything is sent; an unknown variable is a usage error, not silently dropped.
 */
final class WriteOut {
    static final Set<String> VARIABLES = Set.of("http_code", "response_code", "url_effective", "num_redirects",
            "time_total", "num_retries", "statuspolicy_attempts", "exitcode", "method");

    /** What the variables stand for, once the call has ended. */
    record Values(int status, String url, int redirects, long millis, int retries, int attempts, int exitCode,
            String method) {
    }

    /** A literal piece of text, or a variable (name set, text null). */
    private record Part(String text, String variable) {
    }

    private final List<Part> parts;

    private WriteOut(List<Part> parts) {
        this.parts = parts;
    }

    /** Reads {@code format}: {@code %{name}}, {@code %%}, and the escapes {@code \n \r \t \\}. */
    static WriteOut parse(String format) {
        if (format.startsWith("@")) {
            throw new ExitCodes.UsageException("-w @FILE is not supported: give the format itself");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '%') {
                text.append('%');
                i++;
            } else if (c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '{') {
                int end = format.indexOf('}', i + 2);
                if (end < 0) {
                    throw new ExitCodes.UsageException("-w: \"%{\" without a closing \"}\" at index " + i);
                }
                String name = format.substring(i + 2, end);
                if (!VARIABLES.contains(name)) {
                    throw new ExitCodes.UsageException("-w: unknown variable %{" + name + "}; known: "
                            + String.join(", ", VARIABLES.stream().sorted().toList()));
                }
                if (text.length() > 0) {
                    parts.add(new Part(text.toString(), null));
                    text.setLength(0);
                }
                parts.add(new Part(null, name));
                i = end;
            } else if (c == '\\' && i + 1 < format.length() && "nrt\\".indexOf(format.charAt(i + 1)) >= 0) {
                char next = format.charAt(++i);
                text.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next == 't' ? '\t' : '\\');
            } else {
                text.append(c);
            }
        }
        if (text.length() > 0) {
            parts.add(new Part(text.toString(), null));
        }
        return new WriteOut(List.copyOf(parts));
    }

    /** The text for one finished call. */
    String render(Values values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part.text != null ? part.text : value(part.variable, values));
        }
        return out.toString();
    }

    private static String value(String name, Values v) {
        return switch (name) {
            case "http_code", "response_code" -> String.format(Locale.ROOT, "%03d", v.status());
            case "url_effective" -> v.url();
            case "num_redirects" -> Integer.toString(v.redirects());
            case "time_total" -> String.format(Locale.ROOT, "%.6f", v.millis() / 1000.0);
            case "num_retries" -> Integer.toString(v.retries());
            case "statuspolicy_attempts" -> Integer.toString(v.attempts());
            case "exitcode" -> Integer.toString(v.exitCode());
            case "method" -> v.method();
            default -> throw new IllegalStateException("unknown variable " + name); // parse() checked
        };
    }
}
