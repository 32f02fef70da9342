package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.http.RetryAfter.Kind;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    private static final long NOW = millis("2026-06-01T00:00:00Z");

    private static long millis(String isoInstant) {
        return Instant.parse(isoInstant).toEpochMilli();
    }

    private static RetryAfter parse(String... retryAfter) {
        return RetryAfter.parse(Arrays.asList(retryAfter), List.of(), NOW);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1} ms")
    @CsvSource(delimiter = '|', textBlock = """
            3                             | 3000
            0                             | 0
            007                           | 7000
            ' 3 '                         | 3000
            '\t3\t'                       | 3000
            120                           | 120000
            999999999                     | 999999999000
            9223372037                    | 9223372037000
            4611686018427387              | 4611686018427387000
            4611686018427388              | 4611686018427387903
            9223372036854775807           | 4611686018427387903
            99999999999999999999999999999 | 4611686018427387903
            """)
    void readsDelaySecondsWithSaturation(String value, long expectedMillis) {
        RetryAfter result = parse(value);
        assertThat(result.kind()).isEqualTo(Kind.DELAY_SECONDS);
        assertThat(result.isPresent()).isTrue();
        assertThat(result.delayMillis()).isEqualTo(expectedMillis);
        assertThat(result.problem()).isNull();
    }

    @Test
    void saturatesAtThePublishedMaximum() {
        assertThat(RetryAfter.MAX_DELAY_MILLIS).isEqualTo(4_611_686_018_427_387_903L);
        assertThat(parse("1" + "0".repeat(100_000)).delayMillis()).isEqualTo(RetryAfter.MAX_DELAY_MILLIS);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "-1", "+5", "1.5", "0x10", "abc", "", " ", "5 seconds", "120, 60", "1e3", "3s",
        "\u0663", "fri, 31 dec 2099 23:59:59 gmt", "Fri, 31 Dec 2099 23:59:59 +0000",
        "2099-12-31T23:59:59Z", "Mon, 30 Feb 2026 00:00:00 GMT", "Thu, 01 Jan 2026 24:00:00 GMT",
        "3\r\n"
    })
    void rejectsAnythingButDigitsOrAnHttpDate(String value) {
        RetryAfter result = parse(value);
        assertThat(result.kind()).isEqualTo(Kind.INVALID);
        assertThat(result.isPresent()).isFalse();
        assertThat(result.delayMillis()).isZero();
        assertThat(result.problem()).startsWith("Retry-After \"").endsWith("\" is not a delay in seconds or an HTTP-date");
    }

    @Test
    void namesTheOffendingValueInTheProblem() {
        assertThat(parse("-1").problem()).isEqualTo("Retry-After \"-1\" is not a delay in seconds or an HTTP-date");
        assertThat(parse("3\r\n").problem()).contains("\"3\\r\\n\"");
        assertThat(parse("x".repeat(10_000)).problem()).hasSizeLessThan(200);
    }

    @Test
    void isAbsentWithoutFieldLines() {
        assertThat(RetryAfter.parse(null, null, NOW).kind()).isEqualTo(Kind.ABSENT);
        assertThat(RetryAfter.parse(List.of(), List.of(), NOW).kind()).isEqualTo(Kind.ABSENT);
        RetryAfter onlyNulls = RetryAfter.parse(Arrays.asList((String) null), null, NOW);
        assertThat(onlyNulls.kind()).isEqualTo(Kind.ABSENT);
        assertThat(onlyNulls.isPresent()).isFalse();
        assertThat(onlyNulls.delayMillis()).isZero();
        assertThat(onlyNulls.problem()).isNull();
    }

    @Test
    void treatsPastDatesAsNoDelay() {
        RetryAfter result = parse("Fri, 31 Dec 1999 23:59:59 GMT");
        assertThat(result.kind()).isEqualTo(Kind.HTTP_DATE);
        assertThat(result.isPresent()).isTrue();
        assertThat(result.delayMillis()).isZero();
    }

    @Test
    void measuresADateAgainstTheServersDateHeader() {
        // The client's clock is one hour ahead of the server's.
        long clientNow = millis("2027-01-01T01:00:00Z");
        RetryAfter result = RetryAfter.parse(List.of("Fri, 01 Jan 2027 00:00:05 GMT"),
                List.of("Fri, 01 Jan 2027 00:00:00 GMT"), clientNow);
        assertThat(result.kind()).isEqualTo(Kind.HTTP_DATE);
        assertThat(result.delayMillis()).isEqualTo(5_000);
    }

    @Test
    void measuresADateAgainstNowWithoutAUsableDateHeader() {
        long now = millis("2027-01-01T00:00:00.250Z");
        List<String> retryAfter = List.of("Fri, 01 Jan 2027 00:00:05 GMT");
        assertThat(RetryAfter.parse(retryAfter, List.of(), now).delayMillis()).isEqualTo(4_750);
        assertThat(RetryAfter.parse(retryAfter, null, now).delayMillis()).isEqualTo(4_750);
        assertThat(RetryAfter.parse(retryAfter, List.of("yesterday"), now).delayMillis()).isEqualTo(4_750);
        assertThat(RetryAfter.parse(retryAfter,
                List.of("Thu, 31 Dec 2026 23:00:00 GMT", "Thu, 31 Dec 2026 23:30:00 GMT"), now).delayMillis())
                .isEqualTo(4_750);
        assertThat(RetryAfter.parse(retryAfter,
                List.of("Thu, 31 Dec 2026 23:00:00 GMT", "garbage"), now).delayMillis())
                .isEqualTo(4_750);
    }

    @Test
    void acceptsRepeatedIdenticalDateHeaders() {
        RetryAfter result = RetryAfter.parse(List.of("Fri, 01 Jan 2027 00:00:05 GMT"),
                List.of("Thu, 31 Dec 2026 23:00:00 GMT", " Thu, 31 Dec 2026 23:00:00 GMT"), NOW);
        assertThat(result.delayMillis()).isEqualTo(3_605_000);
    }

    @Test
    void readsTheObsoleteDateFormsAgainstTheResponseDate() {
        List<String> date = List.of("Mon, 01 Jun 2026 00:00:00 GMT");
        assertThat(RetryAfter.parse(List.of("Sunday, 06-Nov-94 08:49:37 GMT"), date, NOW))
                .extracting(RetryAfter::kind, RetryAfter::delayMillis).containsExactly(Kind.HTTP_DATE, 0L);
        assertThat(RetryAfter.parse(List.of("Sun Nov  6 08:49:37 1994"), date, NOW))
                .extracting(RetryAfter::kind, RetryAfter::delayMillis).containsExactly(Kind.HTTP_DATE, 0L);
        // A near-future RFC 850 date is honoured, not thrown back a century.
        assertThat(RetryAfter.parse(List.of("Monday, 01-Jun-26 00:00:05 GMT"), date, NOW).delayMillis())
                .isEqualTo(5_000);
        assertThat(RetryAfter.parse(List.of("Mon Jun  1 00:00:05 2026"), date, NOW).delayMillis())
                .isEqualTo(5_000);
    }

    @Test
    void keepsAFarFutureDateLargeAndPositive() {
        RetryAfter result = parse("Fri, 31 Dec 9999 23:59:59 GMT");
        assertThat(result.kind()).isEqualTo(Kind.HTTP_DATE);
        assertThat(result.delayMillis()).isEqualTo(millis("9999-12-31T23:59:59Z") - NOW);
    }

    @Test
    void neverOverflowsWithAnAbsurdNow() {
        assertThat(RetryAfter.parse(List.of("Fri, 31 Dec 9999 23:59:59 GMT"), List.of(), Long.MIN_VALUE).delayMillis())
                .isEqualTo(RetryAfter.MAX_DELAY_MILLIS);
        assertThat(RetryAfter.parse(List.of("Fri, 31 Dec 9999 23:59:59 GMT"), List.of(), Long.MAX_VALUE).delayMillis())
                .isZero();
    }

    @Test
    void treatsIdenticalRepeatedValuesAsOne() {
        assertThat(parse("3", "3").delayMillis()).isEqualTo(3_000);
        assertThat(parse("3", " 3").delayMillis()).isEqualTo(3_000);
        assertThat(RetryAfter.parse(Arrays.asList("3", null, "3"), null, NOW).delayMillis()).isEqualTo(3_000);
    }

    @Test
    void rejectsConflictingRepeatedValues() {
        RetryAfter result = parse("3", "4");
        assertThat(result.kind()).isEqualTo(Kind.INVALID);
        assertThat(result.delayMillis()).isZero();
        assertThat(result.problem()).isEqualTo("conflicting Retry-After values \"3\", \"4\"; the field must appear once");
        assertThat(parse("1", "2", "3", "4", "5").problem()).contains("\"1\", \"2\", \"3\", ...");
        assertThat(parse("3", "03").kind()).isEqualTo(Kind.INVALID);
    }

    @Test
    void describesItselfReadably() {
        assertThat(parse("3")).hasToString("Retry-After delay of 3000 ms (delay-seconds)");
        assertThat(parse("Fri, 31 Dec 1999 23:59:59 GMT")).hasToString("Retry-After delay of 0 ms (HTTP-date)");
        assertThat(parse()).hasToString("Retry-After absent");
        assertThat(parse("x")).hasToString("Retry-After invalid: Retry-After \"x\" is not a delay in seconds or an HTTP-date");
    }

    @Test
    void comparesByValue() {
        assertThat(parse("3")).isEqualTo(parse("3")).hasSameHashCodeAs(parse("3")).isNotEqualTo(parse("4"));
        assertThat(parse("x")).isEqualTo(parse("x")).isNotEqualTo(parse("y"));
    }
}
