package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class HttpDateProperties {

    private static final String[] LONG_DAYS =
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] SHORT_DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS =
        {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** About 49 years in seconds, conservatively short (49 * 365 days). */
    private static final long FORTY_NINE_YEARS = 49L * 365 * 86_400;

    @Property
    void formatThenParseRoundTrips(@ForAll @LongRange(min = 0, max = 253_402_300_799L) long epochSeconds,
                                   @ForAll long referenceEpochSeconds) {
        String text = HttpDate.format(epochSeconds);
        assertThat(text).hasSize(29).endsWith(" GMT");
        assertThat(HttpDate.parseEpochSeconds(text, referenceEpochSeconds)).hasValue(epochSeconds);
    }

    @Property
    void obsoleteFormsOfInstantsNearTheReferenceRoundTrip(
            @ForAll @LongRange(min = 1_600_000_000L, max = 4_000_000_000L) long referenceEpochSeconds,
            @ForAll @LongRange(min = -FORTY_NINE_YEARS, max = FORTY_NINE_YEARS) long offset) {
        long instant = referenceEpochSeconds + offset;
        assertThat(HttpDate.parseEpochSeconds(rfc850(instant), referenceEpochSeconds)).hasValue(instant);
        assertThat(HttpDate.parseEpochSeconds(asctime(instant), referenceEpochSeconds)).hasValue(instant);
    }

    @Property
    void neverThrowsAndAcceptsOnlyValuesOfTheRightLength(@ForAll String value, @ForAll long reference) {
        var parsed = HttpDate.parseEpochSeconds(value, reference);
        if (parsed.isPresent()) {
            // IMF-fixdate is 29, asctime 24, RFC 850 between 30 and 33 characters.
            assertThat(value.length()).isIn(24, 29, 30, 31, 32, 33);
        }
    }

    @Property
    void neverThrowsOnMutatedDates(@ForAll @LongRange(min = 0, max = 253_402_300_799L) long epochSeconds,
                                   @ForAll @IntRange(min = 0, max = 28) int position,
                                   @ForAll char replacement) {
        char[] text = HttpDate.format(epochSeconds).toCharArray();
        char original = text[position];
        text[position] = replacement;
        var parsed = HttpDate.parseEpochSeconds(new String(text), 0);
        if (original == replacement) {
            assertThat(parsed).hasValue(epochSeconds);
        } else if (parsed.isPresent()) {
            // Only the ignored day-of-week name, or a digit giving another valid date, can change.
            assertThat(position < 3 || Character.isDigit(original)).isTrue();
        }
    }

    private static String rfc850(long epochSeconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%s, %02d-%s-%02d %02d:%02d:%02d GMT", LONG_DAYS[t.getDayOfWeek().getValue() - 1],
                t.getDayOfMonth(), MONTHS[t.getMonthValue() - 1], t.getYear() % 100,
                t.getHour(), t.getMinute(), t.getSecond());
    }

    private static String asctime(long epochSeconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%s %s %2d %02d:%02d:%02d %04d", SHORT_DAYS[t.getDayOfWeek().getValue() - 1],
                MONTHS[t.getMonthValue() - 1], t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond(), t.getYear());
    }
}
