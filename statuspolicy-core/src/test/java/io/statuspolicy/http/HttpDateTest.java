package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDateTest {

    /** 2026-06-01T00:00:00Z, the "now" of these tests. */
    private static final long REF_2026 = seconds("2026-06-01T00:00:00Z");

    private static long seconds(String isoInstant) {
        return Instant.parse(isoInstant).getEpochSecond();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Sun, 06 Nov 1994 08:49:37 GMT     | 1994-11-06T08:49:37Z
            Sunday, 06-Nov-94 08:49:37 GMT    | 1994-11-06T08:49:37Z
            Sun Nov  6 08:49:37 1994          | 1994-11-06T08:49:37Z
            Sun Nov 06 08:49:37 1994          | 1994-11-06T08:49:37Z
            Sun Nov 16 08:49:37 1994          | 1994-11-16T08:49:37Z
            Thu, 01 Jan 1970 00:00:00 GMT     | 1970-01-01T00:00:00Z
            Wed, 31 Dec 1969 23:59:59 GMT     | 1969-12-31T23:59:59Z
            Fri, 31 Dec 9999 23:59:59 GMT     | 9999-12-31T23:59:59Z
            Fri Dec 31 23:59:59 9999          | 9999-12-31T23:59:59Z
            Sat, 01 Jan 0000 00:00:00 GMT     | 0000-01-01T00:00:00Z
            Thu, 29 Feb 2024 12:00:00 GMT     | 2024-02-29T12:00:00Z
            Tue, 29 Feb 2000 12:00:00 GMT     | 2000-02-29T12:00:00Z
            Thursday, 29-Feb-24 12:00:00 GMT  | 2024-02-29T12:00:00Z
            Sat, 31 Dec 2016 23:59:60 GMT     | 2016-12-31T23:59:59Z
            Mon, 06 Nov 1994 08:49:37 GMT     | 1994-11-06T08:49:37Z
            Wednesday, 06-Nov-94 08:49:37 GMT | 1994-11-06T08:49:37Z
            """)
    void parsesTheThreeForms(String value, String expected) {
        assertThat(HttpDate.parseEpochSeconds(value, REF_2026)).hasValue(seconds(expected));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {
        "fri, 31 dec 2099 23:59:59 gmt",
        "Fri, 31 Dec 2099 23:59:59 +0000",
        "Fri, 31 Dec 2099 23:59:59 UTC",
        "Fri, 31 Dec 2099 23:59:59 gmt",
        "FRI, 31 DEC 2099 23:59:59 GMT",
        "2099-12-31T23:59:59Z",
        "Mon, 30 Feb 2026 00:00:00 GMT",
        "Sun, 29 Feb 1900 00:00:00 GMT",
        "Fri, 31 Apr 2026 00:00:00 GMT",
        "Fri, 00 Dec 2099 00:00:00 GMT",
        "Fri, 31 Foo 2099 00:00:00 GMT",
        "Thu, 01 Jan 2026 24:00:00 GMT",
        "Thu, 01 Jan 2026 23:60:00 GMT",
        "Thu, 01 Jan 2026 23:59:61 GMT",
        "Thu, 1 Jan 2026 23:59:59 GMT",
        "Thu,  01 Jan 2026 23:59:59 GMT",
        "Thu, 01 Jan 2026 23:59 GMT",
        "Thu, 01 Jan 26 23:59:59 GMT",
        "Thursday, 01 Jan 2026 23:59:59 GMT",
        "Thu, 01-Jan-26 23:59:59 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT",
        "Sunday, 06-nov-94 08:49:37 GMT",
        "Sunny, 06-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT",
        "Sunday Nov  6 08:49:37 1994",
        " Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
        "Sun, \u0660\u0666 Nov 1994 08:49:37 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:-7 GMT",
        "Sun,",
        "Sun",
        ","
    })
    void rejectsEverythingElse(String value) {
        assertThat(HttpDate.parseEpochSeconds(value, REF_2026)).isEmpty();
    }

    /**
     * RFC 9110 §5.6.7: a two-digit year more than 50 years ahead of the reference is the most
     * recent past year with those digits; within 50 years ahead it is in the future.
     */
    @ParameterizedTest(name = "\"{0}\" with reference {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Sunday, 06-Nov-94 08:49:37 GMT   | 2026-06-01T00:00:00Z | 1994-11-06T08:49:37Z
            Monday, 01-Jun-26 00:00:05 GMT   | 2026-06-01T00:00:00Z | 2026-06-01T00:00:05Z
            Thursday, 01-Jan-70 00:00:00 GMT | 2026-06-01T00:00:00Z | 2070-01-01T00:00:00Z
            Monday, 01-Jun-76 00:00:00 GMT   | 2026-06-01T00:00:00Z | 2076-06-01T00:00:00Z
            Monday, 01-Jun-76 00:00:01 GMT   | 2026-06-01T00:00:00Z | 1976-06-01T00:00:01Z
            Friday, 31-Dec-99 23:59:59 GMT   | 2026-06-01T00:00:00Z | 1999-12-31T23:59:59Z
            Saturday, 01-Jan-00 00:00:00 GMT | 2026-06-01T00:00:00Z | 2000-01-01T00:00:00Z
            Friday, 01-Jan-10 00:00:00 GMT   | 2090-01-01T00:00:00Z | 2110-01-01T00:00:00Z
            Friday, 01-Jan-10 00:00:00 GMT   | 1990-01-01T00:00:00Z | 2010-01-01T00:00:00Z
            Sunday, 06-Nov-94 08:49:37 GMT   | 1970-01-01T00:00:00Z | 1994-11-06T08:49:37Z
            Sunday, 06-Nov-94 08:49:37 GMT   | 1900-01-01T00:00:00Z | 1894-11-06T08:49:37Z
            """)
    void choosesTheCenturyOfRfc850Years(String value, String reference, String expected) {
        assertThat(HttpDate.parseEpochSeconds(value, seconds(reference))).hasValue(seconds(expected));
    }

    @Test
    void validatesFebruary29thInTheCenturyChosenByTheRule() {
        // 2060 + 50 allows 2100, which has no 29 February: the date is invalid, not moved to 2000.
        assertThat(HttpDate.parseEpochSeconds("Monday, 29-Feb-00 00:00:00 GMT", seconds("2060-01-01T00:00:00Z")))
                .isEmpty();
        assertThat(HttpDate.parseEpochSeconds("Tuesday, 29-Feb-00 00:00:00 GMT", seconds("2026-01-01T00:00:00Z")))
                .hasValue(seconds("2000-02-29T00:00:00Z"));
    }

    @Test
    void survivesAbsurdReferenceTimes() {
        assertThat(HttpDate.parseEpochSeconds("Sunday, 06-Nov-94 08:49:37 GMT", Long.MAX_VALUE)).isEmpty();
        assertThat(HttpDate.parseEpochSeconds("Sunday, 06-Nov-94 08:49:37 GMT", Long.MIN_VALUE)).isEmpty();
        assertThat(HttpDate.parseEpochSeconds("Sun, 06 Nov 1994 08:49:37 GMT", Long.MIN_VALUE))
                .isEqualTo(OptionalLong.of(784_111_777L));
    }

    @ParameterizedTest(name = "{0} -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            784111777    | Sun, 06 Nov 1994 08:49:37 GMT
            0            | Thu, 01 Jan 1970 00:00:00 GMT
            -1           | Wed, 31 Dec 1969 23:59:59 GMT
            951782400    | Tue, 29 Feb 2000 00:00:00 GMT
            253402300799 | Fri, 31 Dec 9999 23:59:59 GMT
            -62167219200 | Sat, 01 Jan 0000 00:00:00 GMT
            """)
    void formatsImfFixdate(long epochSeconds, String expected) {
        assertThat(HttpDate.format(epochSeconds)).isEqualTo(expected);
    }

    @Test
    void refusesToFormatYearsAnImfFixdateCannotHold() {
        assertThatThrownBy(() -> HttpDate.format(253_402_300_800L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0000-9999");
        assertThatThrownBy(() -> HttpDate.format(-62_167_219_201L))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
