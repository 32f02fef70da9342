package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.http.LocationResolver.Rejected;
import io.statuspolicy.http.LocationResolver.Resolved;
import io.statuspolicy.http.LocationResolver.Result;
import java.net.URI;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LocationResolverProperties {

    private static final URI BASE = URI.create("https://a.test/b/c/d;p?q#frag");
    private static final URI BASE_WITHOUT_FRAGMENT = URI.create("http://a.test/b/c/d;p?q");

    @Property
    void anyStringIsResolvedSafelyOrRejected(@ForAll String location) {
        check(location, LocationResolver.resolve(BASE, location));
    }

    @Property
    void anyUriLikeStringIsResolvedSafelyOrRejected(@ForAll("uriLike") String location) {
        check(location, LocationResolver.resolve(BASE, location));
        check(location, LocationResolver.resolve(BASE_WITHOUT_FRAGMENT, location));
    }

    /** A resolved target, given again as an absolute Location, resolves to itself. */
    @Property
    void resolvedTargetsAreFixedPoints(@ForAll("uriLike") String location) {
        Result first = LocationResolver.resolve(BASE_WITHOUT_FRAGMENT, location);
        if (first instanceof Resolved resolved) {
            URI target = resolved.target();
            assertThat(LocationResolver.resolve(BASE_WITHOUT_FRAGMENT, target.toString())).isEqualTo(first);
            assertThat(LocationResolver.resolve(target, "")).isEqualTo(first);
        }
    }

    private static void check(String location, Result result) {
        assertThat(result).isNotNull();
        if (result instanceof Resolved resolved) {
            URI target = resolved.target();
            assertThat(target.isAbsolute()).isTrue();
            assertThat(target.getScheme()).isIn("http", "https");
            assertThat(target.getHost()).isNotEmpty();
            assertThat(target.getRawUserInfo()).isNull();
            assertThat(target.getRawAuthority()).doesNotContain("@");
            assertThat(target.getPort()).isBetween(-1, 65535).isNotZero();
            String path = LocationResolver.decodeDots(target.getRawPath());
            for (String segment : path.split("/", -1)) {
                assertThat(segment).isNotIn(".", "..");
            }
            assertThat(target.toString()).doesNotContain(" ", "\\", "\r", "\n", "\t");
            assertThat(target.toString().chars().allMatch(c -> c > 0x20 && c < 0x7F)).isTrue();
        } else {
            String reason = ((Rejected) result).reason();
            assertThat(reason).isNotBlank().doesNotContain("\r", "\n");
            // The generator's only password is "pw"; before any '?' or '#' it can only be userinfo.
            if (location != null && location.indexOf('?') < 0 && location.indexOf('#') < 0) {
                assertThat(reason).doesNotContain("pw");
            }
        }
    }

    @Provide
    Arbitrary<String> uriLike() {
        Arbitrary<String> pieces = Arbitraries.of(
                "http:", "https:", "HTTP:", "ftp:", "//", "/", ".", "..", "./", "../", "/./", "/../",
                "%2e", "%2E%2e", "%2F", "%25", "%", "?", "#", "@", ":", ":80", ":0", ":65536", "[", "]",
                "[::1]", "a.test", "b.test", "user:pw@", "a_b", "g", ";x=1", "=", "&", "\u00e9", " ",
                "\\", "\t", "%0d%0a", "x", "1", ",", "~", "+", "!", "*", "'", "(", "|", "<",
                // Whole authorities, so that the interesting shapes are common, not rare.
                "http://a.test", "https://b.test:8443", "//b.test", "https://user:pw@b.test",
                "//a.test@b.test", "http://[::1]:8080", "http://a.test:80:81", "http://a.test%2F@b.test",
                "/%2e%2e/", "/..%2F", "http://[fe80::1%25eth0]");
        return pieces.list().ofMaxSize(12).map(list -> String.join("", list));
    }
}
