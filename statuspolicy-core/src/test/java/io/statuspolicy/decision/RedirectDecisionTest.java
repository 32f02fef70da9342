package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.RedirectSafety;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redirects: method rewriting, Location resolution, safety refusals and credential scope. */
class RedirectDecisionTest {
    private final Fixture fixture = new Fixture();

    @ParameterizedTest(name = "{1} answered {0} -> {2}, body kept: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            301 | GET    | GET    | false
            301 | HEAD   | HEAD   | false
            301 | POST   | GET    | false
            301 | PUT    | PUT    | true
            301 | DELETE | DELETE | false
            301 | PATCH  | PATCH  | true
            302 | POST   | GET    | false
            302 | PUT    | PUT    | true
            302 | DELETE | DELETE | false
            303 | POST   | GET    | false
            303 | PUT    | GET    | false
            303 | DELETE | GET    | false
            303 | HEAD   | HEAD   | false
            307 | POST   | POST   | true
            307 | PATCH  | PATCH  | true
            308 | POST   | POST   | true
            308 | PUT    | PUT    | true
            """)
    void methodsAreRewrittenOnlyAsRfc9110Allows(int status, String method, String expectedMethod,
            boolean bodyKept) {
        RequestFacts request = RequestFacts.of(method, URI.create("https://a.test/x"));
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            request = request.withBody(true, true);
        }
        Decision decision = fixture.decide(request, TestResponse.status(status).header("Location", "/y"));

        assertThat(decision).isInstanceOf(Decision.FollowRedirect.class);
        Decision.FollowRedirect follow = (Decision.FollowRedirect) decision;
        assertThat(follow.method()).isEqualTo(expectedMethod);
        assertThat(follow.keepBody()).isEqualTo(bodyKept);
        assertThat(follow.target()).isEqualTo(URI.create("https://a.test/y"));
        assertThat(follow.permanent()).isEqualTo(status == 301 || status == 308);
        assertThat(follow.dropCredentials()).isFalse();
    }

    @Test
    void locationIsResolvedAgainstTheRequestUriAndInheritsItsFragment() {
        Decision decision = fixture.decide(Fixture.get("https://a.test/b/c/d;p?q#sec"),
                TestResponse.status(302).header("Location", "../g?y"));
        assertThat(((Decision.FollowRedirect) decision).target()).isEqualTo(URI.create("https://a.test/b/g?y#sec"));
    }

    @Test
    void aRedirectToAnotherOriginDropsCredentials() {
        for (String location : new String[] {"https://b.test/x", "https://a.test:8443/x", "//b.test/x",
                "https://www.a.test/x"}) {
            Decision decision = fixture.decide(Fixture.get("https://a.test/r"),
                    TestResponse.status(302).header("Location", location));
            Decision.FollowRedirect follow = (Decision.FollowRedirect) decision;
            assertThat(follow.dropCredentials()).as(location).isTrue();
            assertThat(follow.crossOrigin()).as(location).isTrue();
            assertThat(follow.explain()).contains("credentials and cookies dropped (another origin)");
        }
    }

    @Test
    void theSameOriginInAnotherSpellingKeepsCredentials() {
        Decision decision = fixture.decide(Fixture.get("https://A.TEST:443/r"),
                TestResponse.status(302).header("Location", "https://a.test/next"));
        assertThat(((Decision.FollowRedirect) decision).dropCredentials()).isFalse();
    }

    @Test
    void credentialsStayDroppedForTheRestOfTheChainEvenBackOnTheFirstOrigin() {
        RequestFacts first = Fixture.get("https://a.test/r");
        AttemptState state = fixture.decider.start(first);
        Decision toB = fixture.decider.decide(first, TestResponse.status(302).header("Location", "https://b.test/1"),
                state);
        state = state.after(toB);
        RequestFacts atB = first.withUri(URI.create("https://b.test/1"));
        Decision backToA = fixture.decider.decide(atB,
                TestResponse.status(302).header("Location", "https://a.test/3"), state);

        assertThat(((Decision.FollowRedirect) backToA).crossOrigin()).isTrue();
        assertThat(((Decision.FollowRedirect) backToA).dropCredentials()).isTrue();
        state = state.after(backToA);
        Decision sameOriginHop = fixture.decider.decide(first.withUri(URI.create("https://a.test/3")),
                TestResponse.status(302).header("Location", "/4"), state);
        assertThat(((Decision.FollowRedirect) sameOriginHop).crossOrigin()).isFalse();
        assertThat(((Decision.FollowRedirect) sameOriginHop).dropCredentials()).isTrue();
        assertThat(sameOriginHop.explain()).contains("(earlier hop left the origin)");
    }

    @Test
    void httpsToHttpIsRefusedUnlessThePolicyAllowsIt() {
        TestResponse downgrade = TestResponse.status(301).header("Location", "http://a.test/r");
        Decision refused = fixture.decide(Fixture.get("https://a.test/r"), downgrade);
        assertThat(reason(refused)).isEqualTo(FailureReason.REDIRECT_TO_HTTP);
        assertThat(((Decision.Fail) refused).category()).isEqualTo(FailureCategory.REDIRECT_REFUSED);

        Fixture lenient = new Fixture(Policy.guideline().withRedirectSafety(RedirectSafety.DEFAULT.withAllowHttpsToHttp(true)));
        Decision.FollowRedirect followed = (Decision.FollowRedirect) lenient.decide(Fixture.get("https://a.test/r"),
                downgrade);
        assertThat(followed.dropCredentials()).as("credentials never go over plain HTTP").isTrue();
    }

    @Test
    void aMissingAmbiguousOrUnusableLocationIsRefusedWithItsReason() {
        assertThat(reason(fixture.decide(Fixture.get("https://a.test/r"), TestResponse.status(302))))
                .isEqualTo(FailureReason.REDIRECT_WITHOUT_LOCATION);
        assertThat(reason(fixture.decide(Fixture.get("https://a.test/r"), TestResponse.status(302)
                .header("Location", "https://a.test/x").header("Location", "https://b.test/y"))))
                .isEqualTo(FailureReason.REDIRECT_AMBIGUOUS_LOCATION);
        Decision same = fixture.decide(Fixture.get("https://a.test/r"), TestResponse.status(302)
                .header("Location", "https://a.test/x").header("Location", "https://a.test/x"));
        assertThat(same).as("identical repeated values are one value").isInstanceOf(Decision.FollowRedirect.class);
        for (String bad : new String[] {"file:///etc/passwd", "http://[::1", "ht tp://x", "https://u:pw@b.test/",
                "javascript:alert(1)", "http://a.test:99999/"}) {
            Decision decision = fixture.decide(Fixture.get("https://a.test/r"),
                    TestResponse.status(302).header("Location", bad));
            assertThat(reason(decision)).as(bad).isEqualTo(FailureReason.REDIRECT_BAD_LOCATION);
            assertThat(decision.explain()).as("never echoes userinfo").doesNotContain("pw@");
        }
    }

    @Test
    void manyLocationLinesAreCountedOnceEach() {
        // Review finding 21: 20 000 distinct lines took 0.3 s with the quadratic de-duplication.
        TestResponse distinct = TestResponse.status(302);
        for (int i = 0; i < 20_000; i++) {
            distinct.header("Location", "https://a.test/" + i);
        }
        Decision refused = fixture.decide(Fixture.get("https://a.test/r"), distinct);
        assertThat(reason(refused)).isEqualTo(FailureReason.REDIRECT_AMBIGUOUS_LOCATION);
        assertThat(((Decision.Fail) refused).detail()).isEqualTo("20000 values");

        TestResponse repeated = TestResponse.status(302);
        for (int i = 0; i < 20_000; i++) {
            repeated.header("Location", i % 2 == 0 ? "https://a.test/x" : " https://a.test/x ");
        }
        repeated.header("Location", "https://a.test/y");
        Decision twoValues = fixture.decide(Fixture.get("https://a.test/r"), repeated);
        assertThat(((Decision.Fail) twoValues).detail()).as("surrounding whitespace is not a difference")
                .isEqualTo("2 values");

        TestResponse same = TestResponse.status(302);
        for (int i = 0; i < 20_000; i++) {
            same.header("Location", "https://a.test/x");
        }
        assertThat(fixture.decide(Fixture.get("https://a.test/r"), same)).isInstanceOf(Decision.FollowRedirect.class);
    }

    @Test
    void loopsAndLongChainsStop() {
        RequestFacts one = Fixture.get("https://a.test/1");
        AttemptState state = fixture.decider.start(one);
        Decision toTwo = fixture.decider.decide(one, TestResponse.status(302).header("Location", "/2"), state);
        state = state.after(toTwo);
        Decision backToOne = fixture.decider.decide(one.withUri(URI.create("https://a.test/2")),
                TestResponse.status(302).header("Location", "/1"), state);
        assertThat(reason(backToOne)).isEqualTo(FailureReason.REDIRECT_LOOP);

        Decision self = fixture.decide(one, TestResponse.status(302).header("Location", ""));
        assertThat(reason(self)).as("an empty Location resolves to the request itself").isEqualTo(
                FailureReason.REDIRECT_LOOP);

        Fixture strict = new Fixture(Policy.guideline().withLimits(l -> l.withMaxRedirects(2)));
        RequestFacts hop = Fixture.get("https://a.test/r/0");
        AttemptState chain = strict.decider.start(hop);
        for (int i = 1; i <= 2; i++) {
            Decision next = strict.decider.decide(hop, TestResponse.status(302).header("Location", "/r/" + i), chain);
            assertThat(next).isInstanceOf(Decision.FollowRedirect.class);
            chain = chain.after(next);
            hop = hop.withUri(((Decision.FollowRedirect) next).target());
        }
        Decision third = strict.decider.decide(hop, TestResponse.status(302).header("Location", "/r/3"), chain);
        assertThat(reason(third)).isEqualTo(FailureReason.TOO_MANY_REDIRECTS);
        assertThat(third.explain()).contains("2 of 2 followed");
    }

    @Test
    void unsafeMethodsAreNotRedirectedToAnotherOrigin() {
        Decision post = fixture.decide(Fixture.post("https://a.test/pay"),
                TestResponse.status(307).header("Location", "https://b.test/pay"));
        assertThat(reason(post)).isEqualTo(FailureReason.REDIRECT_UNSAFE_ACROSS_ORIGINS);

        Decision seeOther = fixture.decide(Fixture.post("https://a.test/orders"),
                TestResponse.status(303).header("Location", "https://b.test/orders/42"));
        assertThat(seeOther).as("303 turns it into a safe GET").isInstanceOf(Decision.FollowRedirect.class);
    }

    @Test
    void aBodyThatCannotBeReplayedIsNotRedirectedWithTheBody() {
        RequestFacts streamed = RequestFacts.of("POST", URI.create("https://a.test/u")).withBody(false, false);
        assertThat(reason(fixture.decide(streamed, TestResponse.status(307).header("Location", "/u2"))))
                .isEqualTo(FailureReason.REDIRECT_BODY_NOT_REPLAYABLE);
        assertThat(fixture.decide(streamed, TestResponse.status(303).header("Location", "/u2")))
                .as("a 303 drops the body, so it can be followed").isInstanceOf(Decision.FollowRedirect.class);
    }

    @Test
    void retryAfterOnARedirectDelaysTheNextRequestWithinTheCapAndTheDeadline() {
        Decision.FollowRedirect delayed = (Decision.FollowRedirect) fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(307).header("Location", "/b").header("Retry-After", "2"));
        assertThat(delayed.delayMillis()).isEqualTo(2000);
        assertThat(delayed.explain()).contains("waiting 2 s as Retry-After asks");

        Decision tooLong = fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(307).header("Location", "/b").header("Retry-After", "86400"));
        assertThat(reason(tooLong)).isEqualTo(FailureReason.RETRY_AFTER_BEYOND_CAP);
    }

    @Test
    void theExplanationNamesTheRuleAndRedactsTheTarget() {
        Decision decision = fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(301).header("Location", "https://b.test/s3?X-Amz-Signature=SECRET-Q2&x=1"));
        assertThat(decision.explain())
                .startsWith("301 Moved Permanently: the guideline says follow the redirect and remember the new URI")
                .doesNotContain("SECRET-Q2");
    }

    private static FailureReason reason(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Fail.class);
        return ((Decision.Fail) decision).reason();
    }
}
