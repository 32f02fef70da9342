package io.statuspolicy.http;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;

/**
 * Parses and formats HTTP-dates (RFC 9110 §5.6.7) as seconds since the Unix epoch, UTC.
 *
 * <p>Parsing accepts exactly the three forms a recipient must accept, with their strict,
 * case-sensitive grammar:
 * <ul>
 *   <li>IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT};</li>
 *   <li>obsolete RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT};</li>
 *   <li>obsolete asctime: {@code Sun Nov  6 08:49:37 1994} (a one-digit day is preceded by a
 *       space, so there are two spaces after the month).</li>
 * </ul>
 * Rules that go beyond the bare grammar:
 * <ul>
 *   <li>The day-of-week name must be a valid name for the form (short in IMF-fixdate and
 *       asctime, long in RFC 850), but it is <em>not</em> checked against the date: servers get
 *       it wrong and the date itself is unambiguous.</li>
 *   <li>Month, day-of-month (leap years included), hour 0-23 and minute 0-59 are range-checked.
 *       A second of 60 (a leap second, allowed by the grammar) is read as 59, so that a leap
 *       second never moves the instant into the next minute; Unix time has no leap seconds.</li>
 *   <li>Years 0000 to 9999 are supported; no arithmetic overflows for any of them.</li>
 *   <li>The value must be exactly the date: surrounding whitespace is not trimmed (field values
 *       come without it, RFC 9110 §5.5).</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; the current time is a parameter, never read from a clock.
 */
public final class HttpDate {

    /** 0000-01-01T00:00:00Z, the earliest instant with a four-digit year. */
    static final long MIN_EPOCH_SECONDS = LocalDate.of(0, 1, 1).toEpochDay() * 86_400L;

    /** 9999-12-31T23:59:59Z, the latest instant with a four-digit year. */
    static final long MAX_EPOCH_SECONDS = LocalDate.of(9999, 12, 31).toEpochDay() * 86_400L + 86_399L;

    private static final String[] SHORT_DAY_NAMES = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAY_NAMES =
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTH_NAMES =
        {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** Limits of java.time, used to keep an absurd reference time from throwing. */
    private static final long MIN_REFERENCE = LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC);
    private static final long MAX_REFERENCE = LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC);

    private HttpDate() {
    }

    /**
     * Parses an HTTP-date.
     *
     * @param value                 the field value, e.g. of {@code Date} or {@code Retry-After}
     * @param referenceEpochSeconds "now" for the RFC 850 two-digit-year rule (RFC 9110 §5.6.7): a
     *                              year that would put the timestamp more than 50 years after this
     *                              instant means the most recent past year with the same two
     *                              last digits. Ignored by the other two forms.
     * @return the instant in seconds since the epoch, or empty when {@code value} is null or not
     *         exactly one of the three forms with valid fields; never throws
     */
    public static OptionalLong parseEpochSeconds(String value, long referenceEpochSeconds) {
        if (value == null || value.length() < 4) {
            return OptionalLong.empty();
        }
        Fields fields;
        if (value.charAt(3) == ',') {
            fields = parseImfFixdate(value);
        } else if (value.charAt(3) == ' ') {
            fields = parseAsctime(value);
        } else {
            fields = parseRfc850(value, referenceEpochSeconds);
        }
        return fields == null ? OptionalLong.empty() : fields.toEpochSeconds();
    }

    /**
     * Formats an instant as an IMF-fixdate, the form senders must use (RFC 9110 §5.6.7), e.g.
     * {@code Sun, 06 Nov 1994 08:49:37 GMT}.
     *
     * @throws IllegalArgumentException if the instant is before year 0000 or after year 9999,
     *                                  which an IMF-fixdate cannot express
     */
    public static String format(long epochSeconds) {
        if (epochSeconds < MIN_EPOCH_SECONDS || epochSeconds > MAX_EPOCH_SECONDS) {
            throw new IllegalArgumentException("epochSeconds " + epochSeconds
                    + " is outside the years 0000-9999 that an IMF-fixdate can express");
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(29);
        out.append(SHORT_DAY_NAMES[t.getDayOfWeek().getValue() - 1]).append(", ");
        twoDigits(out, t.getDayOfMonth()).append(' ');
        out.append(MONTH_NAMES[t.getMonthValue() - 1]).append(' ');
        int year = t.getYear();
        twoDigits(out, year / 100);
        twoDigits(out, year % 100).append(' ');
        twoDigits(out, t.getHour()).append(':');
        twoDigits(out, t.getMinute()).append(':');
        twoDigits(out, t.getSecond()).append(" GMT");
        return out.toString();
    }

    private static StringBuilder twoDigits(StringBuilder out, int n) {
        return out.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    // IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT
    // e.g. "Sun, 06 Nov 1994 08:49:37 GMT", always 29 characters.
    private static Fields parseImfFixdate(String v) {
        if (v.length() != 29
                || indexOf(SHORT_DAY_NAMES, v.substring(0, 3)) < 0
                || v.charAt(4) != ' ' || v.charAt(7) != ' ' || v.charAt(11) != ' '
                || v.charAt(16) != ' ' || !v.startsWith(" GMT", 25)) {
            return null;
        }
        int day = digits(v, 5, 2);
        int month = month(v, 8);
        int year = digits(v, 12, 4);
        return timeOfDay(v, 17, year, month, day);
    }

    // rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT; date2 = day "-" month "-" 2DIGIT
    // e.g. "Sunday, 06-Nov-94 08:49:37 GMT".
    private static Fields parseRfc850(String v, long referenceEpochSeconds) {
        int comma = v.indexOf(',');
        if (comma < 0 || indexOf(LONG_DAY_NAMES, v.substring(0, comma)) < 0) {
            return null;
        }
        int p = comma + 1; // " 06-Nov-94 08:49:37 GMT" is 23 characters
        if (v.length() != p + 23
                || v.charAt(p) != ' ' || v.charAt(p + 3) != '-' || v.charAt(p + 7) != '-'
                || v.charAt(p + 10) != ' ' || !v.startsWith(" GMT", p + 19)) {
            return null;
        }
        int day = digits(v, p + 1, 2);
        int month = month(v, p + 4);
        int twoDigitYear = digits(v, p + 8, 2);
        Fields written = timeOfDay(v, p + 11, twoDigitYear, month, day);
        if (written == null) {
            return null;
        }
        return written.withYear(fullYear(written, referenceEpochSeconds));
    }

    // asctime-date = day-name SP date3 SP time-of-day SP year; date3 = month SP ( 2DIGIT / ( SP DIGIT ))
    // e.g. "Sun Nov  6 08:49:37 1994", always 24 characters.
    private static Fields parseAsctime(String v) {
        if (v.length() != 24
                || indexOf(SHORT_DAY_NAMES, v.substring(0, 3)) < 0
                || v.charAt(7) != ' ' || v.charAt(10) != ' ' || v.charAt(19) != ' ') {
            return null;
        }
        int month = month(v, 4);
        int day = v.charAt(8) == ' ' ? digits(v, 9, 1) : digits(v, 8, 2);
        int year = digits(v, 20, 4);
        return timeOfDay(v, 11, year, month, day);
    }

    /** Reads "HH:MM:SS" at {@code p} and combines it with the date fields; null if invalid. */
    private static Fields timeOfDay(String v, int p, int year, int month, int day) {
        if (v.charAt(p + 2) != ':' || v.charAt(p + 5) != ':') {
            return null;
        }
        int hour = digits(v, p, 2);
        int minute = digits(v, p + 3, 2);
        int second = digits(v, p + 6, 2);
        if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return null;
        }
        return new Fields(year, month, day, hour, minute, second);
    }

    /**
     * RFC 9110 §5.6.7: an RFC 850 timestamp that "appears to be more than 50 years in the future"
     * is in the most recent past year with the same last two digits. So the year is the largest
     * one ending in those digits whose timestamp is at most 50 years after the reference.
     * Comparing field by field (not instants) keeps 29 February and the day-of-month check out
     * of the choice of century; the day is validated afterwards for the chosen year.
     */
    private static long fullYear(Fields written, long referenceEpochSeconds) {
        long clamped = Math.max(MIN_REFERENCE, Math.min(MAX_REFERENCE, referenceEpochSeconds));
        LocalDateTime ref = LocalDateTime.ofEpochSecond(clamped, 0, ZoneOffset.UTC);
        Fields limit = new Fields(ref.getYear() + 50L, ref.getMonthValue(), ref.getDayOfMonth(),
                ref.getHour(), ref.getMinute(), ref.getSecond());
        long year = Math.floorDiv(limit.year, 100) * 100 + written.year;
        while (written.withYear(year).isAfter(limit)) {
            year -= 100;
        }
        return year;
    }

    /** Month name at {@code p} as 1-12, or -1. */
    private static int month(String v, int p) {
        int index = indexOf(MONTH_NAMES, v.substring(p, p + 3));
        return index < 0 ? -1 : index + 1;
    }

    /** ASCII decimal digits at {@code p}, or -1 if any character is not '0'-'9'. */
    private static int digits(String v, int p, int count) {
        int n = 0;
        for (int i = p; i < p + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static int indexOf(String[] names, String candidate) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(candidate)) {
                return i;
            }
        }
        return -1;
    }

    /** Date and time fields as written, before range checks that depend on the year. */
    private record Fields(long year, int month, int day, int hour, int minute, int second) {

        Fields withYear(long newYear) {
            return new Fields(newYear, month, day, hour, minute, second);
        }

        boolean isAfter(Fields other) {
            long[] a = {year, month, day, hour, minute, second};
            long[] b = {other.year, other.month, other.day, other.hour, other.minute, other.second};
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i]) {
                    return a[i] > b[i];
                }
            }
            return false;
        }

        OptionalLong toEpochSeconds() {
            if (year < 0 || year > 9999 || month < 1 || month > 12
                    || day > LocalDate.of((int) year, month, 1).lengthOfMonth()) {
                return OptionalLong.empty();
            }
            long days = LocalDate.of((int) year, month, day).toEpochDay();
            // A leap second (:60) is read as :59; see the class Javadoc.
            return OptionalLong.of(days * 86_400L + hour * 3_600L + minute * 60L + Math.min(second, 59));
        }
    }
}
