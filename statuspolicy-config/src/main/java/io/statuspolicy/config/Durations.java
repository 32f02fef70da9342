package io.statuspolicy.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration text of a policy file: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 2m},
 * {@code 1h}, a bare {@code 0}, or ISO-8601 such as {@code PT2S}. Exact to the nanosecond both
 * ways, so a written file reads back to the same {@link Duration}.
 */
final class Durations {

    /** The expected-text for error messages. */
    static final String EXPECTED = "a duration such as 500ms, 2s, 1.5s, 2m, 1h or PT2S";

    private static final Pattern SHORT = Pattern.compile("([-+]?)([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)");
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger MAX_SECONDS = BigInteger.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * Parses duration text.
     *
     * @throws IllegalArgumentException with the expected-text as message, when the text is not a
     *                                  duration or is negative
     */
    static Duration parse(String text) {
        String trimmed = text.strip();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Duration value = trimmed.toUpperCase(Locale.ROOT).matches("[-+]?P.*") ? iso(trimmed) : shortForm(trimmed);
        if (value.isNegative()) {
            throw new IllegalArgumentException("a duration that is not negative");
        }
        return value;
    }

    private static Duration iso(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(EXPECTED, e);
        }
    }

    private static Duration shortForm(String text) {
        Matcher m = SHORT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(EXPECTED);
        }
        long unitNanos = switch (m.group(3)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        BigDecimal nanos = new BigDecimal(m.group(2)).multiply(BigDecimal.valueOf(unitNanos));
        BigInteger whole;
        try {
            whole = nanos.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a duration no finer than a nanosecond", e);
        }
        BigInteger[] secondsAndNanos = whole.divideAndRemainder(NANOS_PER_SECOND);
        if (secondsAndNanos[0].compareTo(MAX_SECONDS) > 0) {
            throw new IllegalArgumentException("a duration of at most " + Long.MAX_VALUE + " seconds");
        }
        Duration value = Duration.ofSeconds(secondsAndNanos[0].longValue(), secondsAndNanos[1].longValue());
        return m.group(1).equals("-") ? value.negated() : value;
    }

    /** The shortest exact text for a duration that is not negative: 0s, 1h, 2m, 30s, 1500ms or 0.000001s. */
    static String format(Duration value) {
        if (value.isNegative()) {
            return value.toString(); // never written for a valid policy; ISO keeps it exact anyway
        }
        long seconds = value.getSeconds();
        int nanos = value.getNano();
        if (nanos == 0) {
            if (seconds != 0 && seconds % 3600 == 0) {
                return seconds / 3600 + "h";
            }
            if (seconds != 0 && seconds % 60 == 0) {
                return seconds / 60 + "m";
            }
            return seconds + "s";
        }
        if (nanos % 1_000_000 == 0 && seconds < Long.MAX_VALUE / 1000 - 1) {
            return (seconds * 1000 + nanos / 1_000_000) + "ms";
        }
        return new BigDecimal(BigInteger.valueOf(seconds).multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(nanos)), 9)
                .stripTrailingZeros().toPlainString() + "s";
    }
}
