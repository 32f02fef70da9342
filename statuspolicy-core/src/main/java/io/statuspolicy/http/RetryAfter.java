package io.statuspolicy.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The parsed {@code Retry-After} of one response (RFC 9110 §10.2.3): how long the server asks
 * the client to wait, or why the field could not be used.
 *
 * <p>Grammar: {@code Retry-After = HTTP-date / delay-seconds}, {@code delay-seconds = 1*DIGIT}.
 * Parsing is strict, so {@code -1}, {@code +5}, {@code 1.5}, {@code 0x10}, {@code 5 seconds},
 * an empty value and a combined {@code 120, 60} are all {@link Kind#INVALID}; the caller then
 * falls back to its own backoff. Optional whitespace (SP, HTAB) around a value is ignored.
 *
 * <p>Rules beyond the grammar:
 * <ul>
 *   <li>A delay too large for the arithmetic saturates at {@link #MAX_DELAY_MILLIS}; it never
 *       wraps to a negative or small number.</li>
 *   <li>An HTTP-date is measured against the response's own {@code Date} when that is valid and
 *       unambiguous, so a client whose clock is off still waits what the server meant (RFC 9110
 *       §10.2.3 and §6.6.1); otherwise against the caller's "now". A date in the past means a
 *       delay of 0.</li>
 *   <li>Several {@code Retry-After} field lines with the same value count as one; different
 *       values are {@link Kind#INVALID}, since the field is a singleton (RFC 9110 §5.3).
 *       Values are compared as text after trimming, so {@code 3} and {@code 03} conflict.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryAfter {

    /** What the field said. */
    public enum Kind {
        /** No {@code Retry-After} field line. */
        ABSENT,
        /** A valid delay-seconds value. */
        DELAY_SECONDS,
        /** A valid HTTP-date, converted to a delay. */
        HTTP_DATE,
        /** Present but unusable; {@link RetryAfter#problem()} says why. */
        INVALID
    }

    /**
     * The largest delay this type reports, in milliseconds: {@code Long.MAX_VALUE / 2}, about
     * 146 million years. Larger values saturate here. Half of {@code Long.MAX_VALUE} leaves room
     * to add the delay to a current time in millis without overflow. Note that the delay does
     * not fit in nanoseconds ({@code Duration.toNanos()} would throw); compare it with a cap in
     * millis first.
     */
    public static final long MAX_DELAY_MILLIS = Long.MAX_VALUE / 2;

    private static final long MAX_DELAY_SECONDS = MAX_DELAY_MILLIS / 1000;

    private static final RetryAfter ABSENT = new RetryAfter(Kind.ABSENT, 0, null);

    private final Kind kind;
    private final long delayMillis;
    private final String problem;

    private RetryAfter(Kind kind, long delayMillis, String problem) {
        this.kind = kind;
        this.delayMillis = delayMillis;
        this.problem = problem;
    }

    /**
     * Parses the {@code Retry-After} of a response.
     *
     * @param fieldValues      every {@code Retry-After} field line's value, in order; null or
     *                         empty means absent; null elements are ignored
     * @param dateFieldValues  every {@code Date} field line's value; null or empty means none
     * @param nowEpochMillis   the caller's current time, used when the response has no usable
     *                         {@code Date}
     * @return the result; never null, never throws
     */
    public static RetryAfter parse(List<String> fieldValues, List<String> dateFieldValues, long nowEpochMillis) {
        List<String> values = trimmedNonNull(fieldValues);
        if (values.isEmpty()) {
            return ABSENT;
        }
        String value = values.get(0);
        for (String other : values) {
            if (!other.equals(value)) {
                return invalid("conflicting Retry-After values " + quoteAll(values)
                        + "; the field must appear once");
            }
        }

        if (!value.isEmpty() && allDigits(value)) {
            return new RetryAfter(Kind.DELAY_SECONDS, delaySecondsToMillis(value), null);
        }

        long nowSeconds = Math.floorDiv(nowEpochMillis, 1000);
        OptionalLong responseDate = responseDate(dateFieldValues, nowSeconds);
        long referenceSeconds = responseDate.orElse(nowSeconds);
        OptionalLong retryAt = HttpDate.parseEpochSeconds(value, referenceSeconds);
        if (retryAt.isEmpty()) {
            return invalid("Retry-After " + SafeText.quote(value)
                    + " is not a delay in seconds or an HTTP-date");
        }
        // HTTP-dates have whole seconds; only the fallback "now" has millis. Years are limited
        // to 0000-9999, so the products stay far from overflow; only an absurd "now" can push
        // the difference out of range, hence the saturating subtraction.
        long delay = responseDate.isPresent()
                ? (retryAt.getAsLong() - responseDate.getAsLong()) * 1000
                : saturatingSubtract(retryAt.getAsLong() * 1000, nowEpochMillis);
        return new RetryAfter(Kind.HTTP_DATE, Math.max(0, Math.min(MAX_DELAY_MILLIS, delay)), null);
    }

    /** The kind of value found. */
    public Kind kind() {
        return kind;
    }

    /**
     * The delay to wait in milliseconds: at least 0, at most {@link #MAX_DELAY_MILLIS}; 0 for
     * {@link Kind#ABSENT} and {@link Kind#INVALID}.
     */
    public long delayMillis() {
        return delayMillis;
    }

    /** A short English reason naming the offending value for {@link Kind#INVALID}; else null. */
    public String problem() {
        return problem;
    }

    /** True for {@link Kind#DELAY_SECONDS} and {@link Kind#HTTP_DATE}. */
    public boolean isPresent() {
        return kind == Kind.DELAY_SECONDS || kind == Kind.HTTP_DATE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryAfter other && kind == other.kind
                && delayMillis == other.delayMillis && Objects.equals(problem, other.problem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, delayMillis, problem);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ABSENT -> "Retry-After absent";
            case DELAY_SECONDS -> "Retry-After delay of " + delayMillis + " ms (delay-seconds)";
            case HTTP_DATE -> "Retry-After delay of " + delayMillis + " ms (HTTP-date)";
            case INVALID -> "Retry-After invalid: " + problem;
        };
    }

    private static RetryAfter invalid(String problem) {
        return new RetryAfter(Kind.INVALID, 0, problem);
    }

    /**
     * The response's {@code Date} (RFC 9110 §6.6.1) when every field line holds a valid
     * HTTP-date for the same instant; otherwise empty, since a response with a malformed or
     * contradictory clock cannot be trusted to measure the delay.
     */
    private static OptionalLong responseDate(List<String> dateFieldValues, long nowSeconds) {
        List<String> dates = trimmedNonNull(dateFieldValues);
        OptionalLong result = OptionalLong.empty();
        for (String date : dates) {
            OptionalLong parsed = HttpDate.parseEpochSeconds(date, nowSeconds);
            if (parsed.isEmpty() || (result.isPresent() && result.getAsLong() != parsed.getAsLong())) {
                return OptionalLong.empty();
            }
            result = parsed;
        }
        return result;
    }

    /** Values without nulls, with optional whitespace (RFC 9110 §5.6.3: SP / HTAB) removed. */
    private static List<String> trimmedNonNull(List<String> values) {
        List<String> result = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v != null) {
                    result.add(trimOws(v));
                }
            }
        }
        return result;
    }

    private static String trimOws(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && isOws(v.charAt(start))) {
            start++;
        }
        while (end > start && isOws(v.charAt(end - 1))) {
            end--;
        }
        return v.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean allDigits(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (!SafeText.isDigit(v.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Milliseconds for an all-digit delay-seconds value, saturating at {@link #MAX_DELAY_MILLIS};
     * stops reading as soon as the value is known to be too large, so 1 MB of digits is cheap.
     */
    private static long delaySecondsToMillis(String digits) {
        long seconds = 0;
        for (int i = 0; i < digits.length(); i++) {
            seconds = seconds * 10 + (digits.charAt(i) - '0');
            if (seconds > MAX_DELAY_SECONDS) {
                return MAX_DELAY_MILLIS;
            }
        }
        return seconds * 1000;
    }

    private static long saturatingSubtract(long a, long b) {
        long r = a - b;
        // Overflow happened iff the operands have different signs and the result's sign
        // differs from a's.
        if (((a ^ b) & (a ^ r)) < 0) {
            return a >= 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return r;
    }

    private static String quoteAll(List<String> values) {
        // Show at most three distinct values: enough to diagnose, bounded for a hostile response.
        List<String> shown = new ArrayList<>();
        boolean more = false;
        for (String v : values) {
            if (!shown.contains(v)) {
                if (shown.size() == 3) {
                    more = true;
                    break;
                }
                shown.add(v);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String v : shown) {
            out.append(out.length() == 0 ? "" : ", ").append(SafeText.quote(v));
        }
        return more ? out.append(", ...").toString() : out.toString();
    }
}
