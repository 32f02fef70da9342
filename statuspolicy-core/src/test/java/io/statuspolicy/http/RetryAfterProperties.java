package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.http.RetryAfter.Kind;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class RetryAfterProperties {

    @Property
    void neverThrowsAndNeverGoesNegative(@ForAll @Size(max = 4) List<String> retryAfter,
                                         @ForAll @Size(max = 3) List<String> date,
                                         @ForAll long now) {
        check(RetryAfter.parse(retryAfter, date, now));
    }

    @Property
    void neverThrowsOnDateLikeOrNumberLikeValues(@ForAll @Size(max = 3) List<@From("fieldValues") String> retryAfter,
                                                 @ForAll @Size(max = 2) List<@From("fieldValues") String> date,
                                                 @ForAll long now) {
        check(RetryAfter.parse(retryAfter, date, now));
    }

    @Property
    void readsDelaySecondsExactly(@ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long seconds,
                                  @ForAll("ows") String before, @ForAll("ows") String after,
                                  @ForAll long now) {
        RetryAfter result = RetryAfter.parse(List.of(before + seconds + after), List.of(), now);
        assertThat(result.kind()).isEqualTo(Kind.DELAY_SECONDS);
        assertThat(result.delayMillis()).isEqualTo(seconds * 1000);
    }

    @Property
    void measuresDatesAgainstTheResponseDate(
            @ForAll @LongRange(min = 0, max = 253_402_300_799L) long retryAt,
            @ForAll @LongRange(min = 0, max = 253_402_300_799L) long responseDate,
            @ForAll @LongRange(min = 0, max = 253_402_300_799_000L) long now) {
        RetryAfter result = RetryAfter.parse(
                List.of(HttpDate.format(retryAt)), List.of(HttpDate.format(responseDate)), now);
        assertThat(result.kind()).isEqualTo(Kind.HTTP_DATE);
        assertThat(result.delayMillis()).isEqualTo(Math.max(0, retryAt - responseDate) * 1000);
    }

    private static void check(RetryAfter result) {
        assertThat(result).isNotNull();
        assertThat(result.delayMillis()).isBetween(0L, RetryAfter.MAX_DELAY_MILLIS);
        assertThat(result.isPresent()).isEqualTo(result.kind() == Kind.DELAY_SECONDS || result.kind() == Kind.HTTP_DATE);
        assertThat(result.problem() != null).isEqualTo(result.kind() == Kind.INVALID);
        assertThat(result.toString()).isNotEmpty();
    }

    @Provide
    Arbitrary<String> fieldValues() {
        Arbitrary<String> dates = Arbitraries.longs()
                .between(HttpDate.MIN_EPOCH_SECONDS, HttpDate.MAX_EPOCH_SECONDS)
                .map(HttpDate::format);
        Arbitrary<String> numbers = Arbitraries.strings().withChars("0123456789+-. ,\t").ofMaxLength(40);
        Arbitrary<String> mutatedDates = dates.flatMap(d -> Arbitraries.integers().between(0, d.length() - 1)
                .flatMap(i -> Arbitraries.chars().map(c -> d.substring(0, i) + c + d.substring(i + 1))));
        return Arbitraries.oneOf(dates, numbers, mutatedDates, Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> ows() {
        return Arbitraries.strings().withChars(" \t").ofMaxLength(3);
    }
}
