package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv6Test {

    /** Canonical text per RFC 5952 §4 and §5. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "0:0:0:0:0:0:0:1, ::1",
        "2001:DB8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
        "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "::192.0.2.1, ::c000:201",
        "0001:0db8::0001, 1:db8::1",
    })
    void canonicalises(String text, String expected) {
        assertThat(Ipv6.canonical(Ipv6.parse(text))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8", "12345::", "g::", "::1.2.3", "::1.2.3.256", "::01.2.3.4", "1.2.3.4::",
        ":1::", "1::2:", "::1%eth0", "1:2:3:4:5:6:7:1.2.3.4"
    })
    void rejectsMalformedText(String text) {
        assertThat(Ipv6.parse(text)).isNull();
    }
}
