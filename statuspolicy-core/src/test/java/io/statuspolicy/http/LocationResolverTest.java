package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.http.LocationResolver.Rejected;
import io.statuspolicy.http.LocationResolver.Resolved;
import io.statuspolicy.http.LocationResolver.Result;
import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LocationResolverTest {

    private static final URI RFC_BASE = URI.create("http://a/b/c/d;p?q");
    private static final URI BASE = URI.create("http://a.test/b/c/d;p?q");
    private static final URI DOC_WITH_FRAGMENT = URI.create("https://a.test/doc#sec");

    /**
     * RFC 3986 §5.4 through the public API: every example with an http target and a host is
     * followed exactly as the RFC says; the two that are not (scheme "g", and the strict
     * reading of "http:g", which has no host) are rejected.
     */
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            g:h           | REJECTED: has scheme "g"
            g             | http://a/b/c/g
            ./g           | http://a/b/c/g
            g/            | http://a/b/c/g/
            /g            | http://a/g
            //g           | http://g
            ?y            | http://a/b/c/d;p?y
            g?y           | http://a/b/c/g?y
            '#s'          | http://a/b/c/d;p?q#s
            g#s           | http://a/b/c/g#s
            g?y#s         | http://a/b/c/g?y#s
            ;x            | http://a/b/c/;x
            g;x           | http://a/b/c/g;x
            g;x?y#s       | http://a/b/c/g;x?y#s
            ''            | http://a/b/c/d;p?q
            .             | http://a/b/c/
            ./            | http://a/b/c/
            ..            | http://a/b/
            ../           | http://a/b/
            ../g          | http://a/b/g
            ../..         | http://a/
            ../../        | http://a/
            ../../g       | http://a/g
            ../../../g    | http://a/g
            ../../../../g | http://a/g
            /./g          | http://a/g
            /../g         | http://a/g
            g.            | http://a/b/c/g.
            .g            | http://a/b/c/.g
            g..           | http://a/b/c/g..
            ..g           | http://a/b/c/..g
            ./../g        | http://a/b/g
            ./g/.         | http://a/b/c/g/
            g/./h         | http://a/b/c/g/h
            g/../h        | http://a/b/c/h
            g;x=1/./y     | http://a/b/c/g;x=1/y
            g;x=1/../y    | http://a/b/c/y
            g?y/./x       | http://a/b/c/g?y/./x
            g?y/../x      | http://a/b/c/g?y/../x
            g#s/./x       | http://a/b/c/g#s/./x
            g#s/../x      | http://a/b/c/g#s/../x
            http:g        | REJECTED: has no host
            """)
    void followsRfc3986Examples(String reference, String expected) {
        Result result = LocationResolver.resolve(RFC_BASE, reference);
        if (expected.startsWith("REJECTED: ")) {
            assertThat(result).isInstanceOf(Rejected.class);
            assertThat(((Rejected) result).reason()).contains(expected.substring("REJECTED: ".length()));
        } else {
            assertThat(result).isEqualTo(new Resolved(URI.create(expected)));
        }
    }

    /** The safety-case table for relative references (request target http://a.test/b/c/d;p?q). */
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            g            | http://a.test/b/c/g
            ./g          | http://a.test/b/c/g
            /g           | http://a.test/g
            ?y           | http://a.test/b/c/d;p?y
            g?y#s        | http://a.test/b/c/g?y#s
            ..           | http://a.test/b/
            ../../g      | http://a.test/g
            ../../../g   | http://a.test/g
            /./g         | http://a.test/g
            g;x=1/../y   | http://a.test/b/c/y
            g?y/../x     | http://a.test/b/c/g?y/../x
            //b.test/x   | http://b.test/x
            https://b.test/x | https://b.test/x
            """)
    void resolvesRelativeReferencesAgainstTheRequestTarget(String location, String expected) {
        assertThat(LocationResolver.resolve(BASE, location)).isEqualTo(new Resolved(URI.create(expected)));
    }

    @ParameterizedTest(name = "\"{1}\" against {0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            https://a.test/doc#sec | https://b.test/new       | https://b.test/new#sec
            https://a.test/doc#sec | https://b.test/new#other | https://b.test/new#other
            https://a.test/doc#sec | https://b.test/new#      | https://b.test/new#
            https://a.test/doc#sec | /other                   | https://a.test/other#sec
            https://a.test/doc#sec | ''                       | https://a.test/doc#sec
            https://a.test/doc#sec | '#x'                     | https://a.test/doc#x
            https://a.test/r       | //b.test/x               | https://b.test/x
            https://a.test/r       | https://b.test/new       | https://b.test/new
            """)
    void inheritsTheBaseFragmentOnlyWhenTheReferenceHasNone(String base, String location, String expected) {
        assertThat(LocationResolver.resolve(URI.create(base), location))
                .isEqualTo(new Resolved(URI.create(expected)));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /a%0d%0aSet-Cookie:%20x      | http://a.test/a%0d%0aSet-Cookie:%20x
            /caf\u00e9                   | http://a.test/caf%C3%A9
            /\u20ac?q=\u00fc#\u00e9      | http://a.test/%E2%82%AC?q=%C3%BC#%C3%A9
            /%F0%9F%98%80                | http://a.test/%F0%9F%98%80
            /%2e%2e/%2E%2E/x             | http://a.test/x
            /a/%2e/b                     | http://a.test/a/b
            HTTPS://B.test/x             | https://B.test/x
            http://a.test:/x             | http://a.test/x
            http://a.test:8080/x         | http://a.test:8080/x
            http://a.test:65535/         | http://a.test:65535/
            http://a.test:1/             | http://a.test:1/
            http://[::1]:8080/x          | http://[::1]:8080/x
            http://[2001:db8::7]/x       | http://[2001:db8::7]/x
            http://[::ffff:192.0.2.1]/   | http://[::ffff:192.0.2.1]/
            http://192.0.2.1/x           | http://192.0.2.1/x
            http://b.test#@a.test/       | http://b.test#@a.test/
            /x,http://b.test/y           | http://a.test/x,http://b.test/y
            http://b.test                | http://b.test
            http://b.test?x              | http://b.test?x
            """)
    void acceptsAndNormalisesOnlyWhatIsDocumented(String location, String expected) {
        Result result = LocationResolver.resolve(BASE, location);
        assertThat(result).isEqualTo(new Resolved(URI.create(expected)));
    }

    @Test
    void keepsOneHostForAFragmentThatLooksLikeUserinfo() {
        Result result = LocationResolver.resolve(BASE, "http://b.test#@a.test/");
        assertThat(((Resolved) result).target().getHost()).isEqualTo("b.test");
    }

    static Stream<Arguments> rejectedValues() {
        return Stream.of(
                // value, words the reason must contain
                Arguments.of(null, "missing"),
                Arguments.of("   ", "blank"),
                Arguments.of("\t", "blank"),
                Arguments.of("/" + "a".repeat(LocationResolver.MAX_LENGTH), "8192"),
                Arguments.of("/caf\u00e9 menu", "raw space at index 5"),
                Arguments.of("ht tp://x", "raw space"),
                Arguments.of("http://a.test/x, http://b.test/y", "raw space"),
                Arguments.of("/a\r\nSet-Cookie: x", "U+000D"),
                Arguments.of("/a\u0000b", "U+0000"),
                Arguments.of("/a\u007fb", "U+007F"),
                Arguments.of("http://b.test\\@a.test/", "backslash"),
                Arguments.of("/a\\b", "backslash"),
                Arguments.of("file:///etc/passwd", "scheme \"file\""),
                Arguments.of("ftp://i.test/", "scheme \"ftp\""),
                Arguments.of("gopher://i.test:70/_x", "scheme \"gopher\""),
                Arguments.of("jar:file:/x.jar!/y", "scheme \"jar\""),
                Arguments.of("data:text/html,x", "scheme \"data\""),
                Arguments.of("javascript:alert(1)", "scheme \"javascript\""),
                Arguments.of("JavaScript:alert(1)", "only http and https"),
                Arguments.of("scp://i.test/x", "scheme \"scp\""),
                Arguments.of("1http://a.test/", "malformed scheme"),
                Arguments.of("https://a.test@b.test/x", "userinfo"),
                Arguments.of("https://user:pw@b.test/", "userinfo"),
                Arguments.of("https://@b.test/", "userinfo"),
                Arguments.of("//user:pw@b.test/", "userinfo"),
                Arguments.of("http://a.test%2F@b.test/", "userinfo"),
                Arguments.of("http:///x", "no host"),
                Arguments.of("http://:80/", "no host"),
                Arguments.of("https:/x", "no host"),
                Arguments.of("///x", "no host"),
                Arguments.of("http://a.test:99999/", "port \"99999\""),
                Arguments.of("http://a.test:65536/", "not in 1-65535"),
                Arguments.of("http://a.test:0/", "port \"0\""),
                Arguments.of("http://a.test:-1/", "port \"-1\""),
                Arguments.of("http://a.test:8o/", "port \"8o\""),
                Arguments.of("http://a.test:80:81/", "more than one ':'"),
                Arguments.of("http://[::1", "closing ']'"),
                Arguments.of("http://[::1%25eth0]/", "zone identifier"),
                Arguments.of("http://[fe80::1%eth0]/", "zone identifier"),
                Arguments.of("http://[::g]/", "malformed IPv6"),
                Arguments.of("http://[1:2:3:4:5:6:7:8:9]/", "malformed IPv6"),
                Arguments.of("http://[]/", "malformed IPv6"),
                Arguments.of("http://[v1.x]/", "IPvFuture"),
                Arguments.of("http://[::1]x/", "after the IPv6 literal"),
                Arguments.of("http://a.test%2Fb.test/", "percent-encoded"),
                Arguments.of("http://b\u00fccher.test/", "A-label"),
                Arguments.of("http://a_b.test/", "'_'"),
                Arguments.of("http://a.test/%zz", "not a valid URI"),
                Arguments.of("http://a.test/a|b", "not a valid URI"),
                Arguments.of("http://a.test/<x>", "not a valid URI"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("rejectedValues")
    void rejectsUnsafeOrMalformedTargets(String location, String reasonContains) {
        Result result = LocationResolver.resolve(BASE, location);
        assertThat(result).isInstanceOf(Rejected.class);
        String reason = ((Rejected) result).reason();
        assertThat(reason).contains(reasonContains);
        // Never echo userinfo; never more than a short quote of the value.
        assertThat(reason).doesNotContain("pw").doesNotContain("user:").hasSizeLessThan(300);
        assertThat(reason).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000");
    }

    @Test
    void quotesTheValueInItsReasonWithSecretsMasked() {
        Rejected rejected = (Rejected) LocationResolver.resolve(BASE, "ftp://user:pw@i.test/x?token=abc&page=2");
        assertThat(rejected.reason())
                .isEqualTo("Location \"ftp://***@i.test/x?token=***&page=2\" has scheme \"ftp\"; only http and https are followed");
    }

    @Test
    void doesNotNameASchemeThatIsReallyAUserName() {
        Rejected rejected = (Rejected) LocationResolver.resolve(BASE, "alice:pw@b.test/x");
        assertThat(rejected.reason())
                .isEqualTo("Location \"***@b.test/x\" has a scheme; only http and https are followed")
                .doesNotContain("alice");
    }

    @Test
    void escapesControlCharactersInTheQuotedValue() {
        Rejected rejected = (Rejected) LocationResolver.resolve(BASE, "/a\r\nSet-Cookie:x");
        assertThat(rejected.reason())
                .isEqualTo("Location \"/a\\r\\nSet-Cookie:x\" contains the control character U+000D at index 2");
    }

    @Test
    void shortensLongValuesInTheReason() {
        Rejected rejected = (Rejected) LocationResolver.resolve(BASE, "gopher://i.test/" + "x".repeat(5000));
        assertThat(rejected.reason()).contains("(5016 chars)").hasSizeLessThan(200);
    }

    @Test
    void acceptsAValueOfExactlyTheMaximumLength() {
        String location = "/" + "a".repeat(LocationResolver.MAX_LENGTH - 1);
        assertThat(LocationResolver.resolve(BASE, location)).isInstanceOf(Resolved.class);
    }

    @Test
    void requiresAnAbsoluteBase() {
        assertThatThrownBy(() -> LocationResolver.resolve(URI.create("/relative"), "g"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> LocationResolver.resolve(null, "g"))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void cleansDotSegmentsOfTheBaseItself() {
        assertThat(LocationResolver.resolve(URI.create("http://a.test/x/../y/%2e%2e/z"), "?q"))
                .isEqualTo(new Resolved(URI.create("http://a.test/z?q")));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "https://a.test/, http://a.test/, true",
        "HTTPS://a.test/, HTTP://b.test/, true",
        "https://a.test/, https://b.test/, false",
        "http://a.test/, https://a.test/, false",
        "http://a.test/, http://b.test/, false",
    })
    void detectsHttpsToHttpDowngrades(String from, String to, boolean expected) {
        assertThat(LocationResolver.isSecureDowngrade(URI.create(from), URI.create(to))).isEqualTo(expected);
    }
}
