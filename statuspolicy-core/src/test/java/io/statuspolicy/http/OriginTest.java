package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://a.test/x                   | https://a.test:443
            HTTPS://A.Test/x                   | https://a.test:443
            http://a.test                      | http://a.test:80
            http://a.test:8080/x?q#f           | http://a.test:8080
            https://a.test:443/                | https://a.test:443
            http://[::1]/                      | http://[::1]:80
            http://[0:0:0:0:0:0:0:1]:8080/     | http://[::1]:8080
            http://[2001:DB8:0:0:1:0:0:1]/     | http://[2001:db8::1:0:0:1]:80
            http://[::ffff:c000:0201]/         | http://[::ffff:192.0.2.1]:80
            http://192.0.2.1/                  | http://192.0.2.1:80
            ftp://a.test:21/                   | ftp://a.test:21
            """)
    void isTheNormalisedTriple(String uri, String expected) {
        assertThat(Origin.of(URI.create(uri))).hasToString(expected);
    }

    @Test
    void storesIpv6HostsWithoutBrackets() {
        Origin origin = Origin.of(URI.create("https://[2001:db8::1]:8443/"));
        assertThat(origin).isEqualTo(new Origin("https", "2001:db8::1", 8443));
        assertThat(origin.host()).isEqualTo("2001:db8::1");
        assertThat(new Origin("HTTPS", "[2001:DB8:0::1]", 8443)).isEqualTo(origin);
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "https://a.test/x, https://a.test/y, true",
        "https://a.test/x, https://a.test:443/y, true",
        "http://A.TEST/x, http://a.test:80/, true",
        "http://[::1]/, http://[0::1]:80/, true",
        "https://a.test/, https://a.test:8444/, false",
        "https://a.test/, http://a.test/, false",
        "https://a.test/, https://b.test/, false",
        "https://a.test/, https://a.test./, false",
        "https://a.test/, /relative, false",
        "/relative, /relative, false",
        "mailto:x@a.test, mailto:x@a.test, false",
    })
    void comparesAllThreeComponents(String a, String b, boolean expected) {
        assertThat(Origin.sameOrigin(URI.create(a), URI.create(b))).isEqualTo(expected);
        assertThat(Origin.sameOrigin(URI.create(b), URI.create(a))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/relative", "mailto:x@a.test", "ftp://a.test/", "http://a_b.test/", "urn:isbn:1"})
    void refusesUrisWithoutAnOrigin(String uri) {
        assertThatThrownBy(() -> Origin.of(URI.create(uri)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no origin");
    }

    @Test
    void neverPrintsUserinfoInItsErrors() {
        assertThatThrownBy(() -> Origin.of(URI.create("ftp://user:pw@a.test/")))
                .hasMessageNotContaining("pw").hasMessageContaining("ftp://a.test/");
    }

    @Test
    void validatesItsComponents() {
        assertThatThrownBy(() -> new Origin("http", "a.test", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Origin("http", "a.test", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Origin("", "a.test", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Origin("http", "[]", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Origin("http", null, 80)).isInstanceOf(NullPointerException.class);
    }
}
