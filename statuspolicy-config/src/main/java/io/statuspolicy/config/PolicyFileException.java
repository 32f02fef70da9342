package io.statuspolicy.config;

/**
 * A policy file that cannot be read: bad YAML, an unknown key, a value of the wrong kind or out
 * of range, or a file that cannot be opened. Unchecked, like {@link IllegalArgumentException}:
 * a broken policy file is a configuration mistake to fix, not a condition to recover from.
 *
 * <p>The exception says where and what: {@link #source()} (the file name or the name the caller
 * gave the text), {@link #line()} and {@link #column()} (1-based; 0 when the problem has no
 * position, as with a file that cannot be read), {@link #key()} (the dotted path to the bad
 * value, e.g. {@code limits.backoff.multiplier}, {@code rules.503.handling} or
 * {@code routes[0].route}; empty for the document itself), {@link #expected()} and
 * {@link #found()}. {@link #getMessage()} puts them together the way compilers do:
 *
 * <pre>policy.yaml:12:5: limits.maxAttempts: expected a whole number &gt;= 1, found "three"</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PolicyFileException extends RuntimeException {

    private final String source;
    private final int line;
    private final int column;
    private final String key;
    private final String expected;
    private final String found;

    PolicyFileException(String source, int line, int column, String key, String expected, String found,
            Throwable cause) {
        super(format(source, line, column, key, expected, found), cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.key = key;
        this.expected = expected;
        this.found = found;
    }

    private static String format(String source, int line, int column, String key, String expected,
            String found) {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line).append(':').append(column);
        }
        text.append(": ");
        if (!key.isEmpty()) {
            text.append(key).append(": ");
        }
        return text.append("expected ").append(expected).append(", found ").append(found).toString();
    }

    /** The file name, or the source name given to {@link PolicyFile#read(String, String)}. */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem, or 0 when it has no position (the file cannot be read). */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem, or 0 when it has no position. */
    public int column() {
        return column;
    }

    /**
     * The dotted path to the bad key or value, e.g. {@code limits.backoff.multiplier},
     * {@code rules.503.handling} or {@code routes[0].route}; empty when the problem is the
     * document as a whole (bad YAML syntax, not a mapping, an unreadable file).
     */
    public String key() {
        return key;
    }

    /** What the file should have had there, e.g. {@code a whole number >= 1}. */
    public String expected() {
        return expected;
    }

    /** What it had instead: the quoted text, or {@code a list}, {@code a mapping}, {@code nothing}. */
    public String found() {
        return found;
    }
}
