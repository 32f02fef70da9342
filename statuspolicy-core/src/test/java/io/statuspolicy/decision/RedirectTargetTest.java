package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.RedirectSafety;
import io.statuspolicy.policy.RedirectTargetFilter;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The redirect target filter (issue 8, "Redirects into internal addresses"): by default a
 * redirect from a public host never leads to a loopback, link-local, private or unspecified
 * address, in whatever form the literal is written; hops that start inside, and hops to public
 * addresses, are followed.
 */
class RedirectTargetTest {
    private final Fixture fixture = new Fixture();

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            https://a.test/r          | http://169.254.169.254/latest/meta-data/ | link-local
            https://a.test/r          | http://[fe80::1]/                        | link-local
            https://a.test/r          | http://[::ffff:169.254.169.254]/         | link-local
            https://a.test/r          | http://2852039166/                       | link-local
            https://a.test/r          | http://127.0.0.1:8080/admin              | loopback
            https://a.test/r          | http://2130706433/                       | loopback
            https://a.test/r          | http://0177.0.0.1/                       | loopback
            https://a.test/r          | http://0x7f000001/                       | loopback
            https://a.test/r          | http://017700000001/                     | loopback
            https://a.test/r          | http://[::1]/                            | loopback
            https://a.test/r          | http://[::ffff:127.0.0.1]/               | loopback
            https://a.test/r          | http://[0:0:0:0:0:0:0:1]:9000/           | loopback
            https://a.test/r          | http://localhost/                        | loopback
            https://a.test/r          | http://LOCALHOST./                       | loopback
            https://a.test/r          | http://admin.localhost/                  | loopback
            https://a.test/r          | http://10.1.2.3/                         | private
            https://a.test/r          | http://172.20.0.1/                       | private
            https://a.test/r          | http://192.168.0.1/                      | private
            https://a.test/r          | http://100.100.100.200/                  | private
            https://a.test/r          | http://[fd00::1]/                        | private
            https://a.test/r          | http://[::ffff:10.0.0.1]/                | private
            https://a.test/r          | http://0.0.0.0:8080/                     | unspecified
            https://a.test/r          | http://0/                                | unspecified
            https://a.test/r          | http://[::]/                             | unspecified
            https://8.8.8.8/r         | http://127.0.0.1/                        | loopback
            https://[2001:db8::1]/r   | http://[::1]/                            | loopback
            https://[::ffff:8.8.8.8]/ | http://10.0.0.1/                         | private
            """)
    void aPublicHostNeverRedirectsInward(String from, String location, String scope) {
        Decision decision = fixture.decide(Fixture.get(from), TestResponse.status(302).header("Location", location));

        assertThat(decision).isInstanceOf(Decision.Fail.class);
        Decision.Fail fail = (Decision.Fail) decision;
        assertThat(fail.reason()).isEqualTo(FailureReason.REDIRECT_TO_INTERNAL_ADDRESS);
        assertThat(fail.category()).isEqualTo(FailureCategory.REDIRECT_REFUSED);
        assertThat(fail.status()).as("the 3xx is what the caller gets").isEqualTo(302);
        assertThat(fail.detail()).endsWith(" is a" + (scope.equals("unspecified") ? "n " : " ") + scope + " address");
        assertThat(decision.explain()).doesNotContain("\n")
                .startsWith("302 Found: the guideline says")
                .contains("not followed: a public address never redirects to a loopback, link-local, private or "
                        + "unspecified address (");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://127.0.0.1:8080/r    | http://127.0.0.1:9090/next
            http://127.0.0.1:8080/r    | http://localhost:9090/next
            http://localhost:8080/r    | http://[::1]:9090/next
            http://[::1]:8080/r        | http://127.0.0.1:8080/next
            http://10.0.0.1/r          | http://192.168.1.1/next
            http://192.168.1.1/r       | http://172.16.0.9/next
            http://[fd00::1]/r         | http://10.0.0.1/next
            http://127.0.0.1/r         | http://10.0.0.1/next
            http://10.0.0.1/r          | http://169.254.169.254/next
            http://0.0.0.0:8080/r      | http://127.0.0.1/next
            https://a.test/r           | https://b.test/next
            https://a.test/r           | https://8.8.8.8/next
            https://a.test/r           | https://[2001:db8::1]/next
            http://127.0.0.1/r         | http://a.test/next
            http://10.0.0.1/r          | http://8.8.8.8/next
            https://a.test/r           | https://localhost.a.test/next
            https://a.test/r           | https://internal.corp/next
            """)
    void hopsThatStartInsideOrEndOnAPublicAddressAreFollowed(String from, String location) {
        Decision decision = fixture.decide(Fixture.get(from), TestResponse.status(302).header("Location", location));
        assertThat(decision).isInstanceOf(Decision.FollowRedirect.class);
        assertThat(((Decision.FollowRedirect) decision).target()).isEqualTo(URI.create(location));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://0x7f.1/
            http://127.1/
            http://127.0.0.1./
            http://0xa9.0xfe.0xa9.0xfe/
            """)
    void formsThatJavaNetUriCannotReadAreRefusedAsBadLocations(String location) {
        Decision decision = fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(302).header("Location", location));
        assertThat(((Decision.Fail) decision).reason()).isEqualTo(FailureReason.REDIRECT_BAD_LOCATION);
    }

    @Test
    void theFilterCanBeSwitchedOffInThePolicy() {
        Policy allowAll = Policy.guideline().withRedirectSafety(
                RedirectSafety.DEFAULT.withTargetFilter(RedirectTargetFilter.ALLOW_ALL));
        Fixture lenient = new Fixture(allowAll);
        for (String location : new String[] {"http://169.254.169.254/", "http://[::1]/", "http://2130706433/"}) {
            Decision decision = lenient.decide(Fixture.get("http://a.test/r"),
                    TestResponse.status(302).header("Location", location));
            assertThat(decision).as(location).isInstanceOf(Decision.FollowRedirect.class);
            assertThat(reason(fixture.decide(Fixture.get("http://a.test/r"),
                    TestResponse.status(302).header("Location", location))))
                    .as("the default refuses the same hop").isEqualTo(FailureReason.REDIRECT_TO_INTERNAL_ADDRESS);
        }
        assertThat(RedirectSafety.DEFAULT.targetFilter()).isEqualTo(RedirectTargetFilter.NO_PUBLIC_TO_INTERNAL);
        assertThat(new RedirectSafety(true, true).targetFilter())
                .as("the two-switch constructor keeps the safe filter").isEqualTo(RedirectTargetFilter.NO_PUBLIC_TO_INTERNAL);
    }

    @Test
    void theRefusalNamesTheTargetRedactedAndComesBeforeTheOtherRedirectChecks() {
        Decision decision = fixture.decide(Fixture.post("https://a.test/pay"), TestResponse.status(307)
                .header("Location", "http://169.254.169.254/latest?X-Amz-Signature=SECRET-Q2&x=1"));
        assertThat(((Decision.Fail) decision).reason())
                .as("refused for the target before the downgrade or the unsafe method")
                .isEqualTo(FailureReason.REDIRECT_TO_INTERNAL_ADDRESS);
        assertThat(decision.explain()).contains("http://169.254.169.254/latest?")
                .contains("is a link-local address)").doesNotContain("SECRET-Q2");
    }

    @Test
    void everyHopOfAChainIsJudgedFromWhereItStarts() {
        RequestFacts first = Fixture.get("http://127.0.0.1:8080/start");
        AttemptState state = fixture.decider.start(first);
        Decision out = fixture.decider.decide(first,
                TestResponse.status(302).header("Location", "https://a.test/bounce"), state);
        assertThat(out).as("loopback to a public host").isInstanceOf(Decision.FollowRedirect.class);
        state = state.after(out);
        Decision back = fixture.decider.decide(first.withUri(URI.create("https://a.test/bounce")),
                TestResponse.status(302).header("Location", "http://127.0.0.1:8080/admin"), state);
        assertThat(((Decision.Fail) back).reason()).as("the public host may not send it back inside")
                .isEqualTo(FailureReason.REDIRECT_TO_INTERNAL_ADDRESS);
    }

    private static FailureReason reason(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Fail.class);
        return ((Decision.Fail) decision).reason();
    }
}
