package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.http.AddressScope;
import io.statuspolicy.http.HttpDate;
import io.statuspolicy.http.Origin;
import io.statuspolicy.http.RetryAfter;
import io.statuspolicy.policy.Policy;
import java.net.URI;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of the decision function over random requests, responses and attempt states:
 * it never throws, never waits a negative time or past the deadline, never repeats a
 * non-idempotent request without a reason, and never sends credentials to another origin.
 */
class DecisionProperties {

    @Property(tries = 3000)
    void invariantsHoldForAnyResponse(
            @ForAll @IntRange(min = 100, max = 599) int status,
            @ForAll("methods") String method,
            @ForAll boolean idempotencyKey,
            @ForAll boolean retrySafe,
            @ForAll boolean replayable,
            @ForAll("locations") String location,
            @ForAll("retryAfters") String retryAfter,
            @ForAll @IntRange(min = 0, max = 6) int retries,
            @ForAll @IntRange(min = 0, max = 12) int redirects,
            @ForAll @IntRange(min = 0, max = 130_000) int elapsedMillis,
            @ForAll boolean credentialsDropped) {
        Fixture fixture = new Fixture(Policy.guideline());
        RequestFacts request = RequestFacts.of(method, URI.create("https://a.test/b/c?q=1"))
                .withIdempotencyKey(idempotencyKey)
                .withRetrySafe(retrySafe)
                .withOriginCredentials(true)
                .withConditional(Conditional.BY_CACHE, true);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            request = request.withBody(replayable, replayable);
        }
        AttemptState start = fixture.decider.start(request);
        AttemptState state = new AttemptState(retries, retries + redirects + 1, redirects, 503, retries,
                start.startMillis(), start.deadlineMillis(), false, false, false, credentialsDropped, start.firstMethod(),
                start.firstUri(), start.visited());
        fixture.clock.advance(elapsedMillis);
        TestResponse response = TestResponse.status(status).header("Location", location);
        if (!retryAfter.isEmpty()) {
            response.header("Retry-After", retryAfter);
        }

        Decision decision = fixture.decider.decide(request, response, state);

        assertThat(decision.explain()).isNotBlank();
        long now = fixture.clock.millis();
        if (decision instanceof Decision.Retry retry) {
            assertThat(retry.delayMillis()).isNotNegative();
            assertThat(now + retry.delayMillis()).isLessThan(state.deadlineMillis());
            if (!request.repeatable()) {
                assertThat(retry.rule().requestNotProcessed())
                        .as("a non-idempotent request is repeated only when the status shows it was not processed")
                        .isTrue();
            }
            RetryAfter asked = RetryAfter.parse(response.headerValues("Retry-After"), List.of(), now);
            if (asked.isPresent()) {
                assertThat(retry.delayMillis()).as("never earlier than Retry-After allows")
                        .isGreaterThanOrEqualTo(asked.delayMillis());
            }
        }
        if (decision instanceof Decision.FollowRedirect follow) {
            assertThat(follow.delayMillis()).isNotNegative();
            assertThat(now + follow.delayMillis()).isLessThan(state.deadlineMillis());
            assertThat(follow.target().getScheme()).isIn("http", "https");
            assertThat(follow.target().getScheme()).as("no downgrade by default").isEqualTo("https");
            if (!Origin.sameOrigin(request.uri(), follow.target()) || credentialsDropped) {
                assertThat(follow.dropCredentials()).as("credentials never travel to another origin").isTrue();
            }
            if (!Origin.sameOrigin(request.uri(), follow.target())) {
                assertThat(Methods.isSafe(follow.method())).as("unsafe methods stay on their origin").isTrue();
            }
            assertThat(AddressScope.ofHost(follow.target().getHost()).isInternal())
                    .as("a public host never redirects inward").isFalse();
        }
        if (decision instanceof Decision.RefreshCredentials refresh) {
            assertThat(credentialsDropped && refresh.target() == CredentialTarget.ORIGIN).isFalse();
        }
    }

    @Property(tries = 1000)
    void transportFailuresAreRepeatedOnlyWhenTheRequestAndItsBodyAllowIt(
            @ForAll("methods") String method,
            @ForAll boolean idempotencyKey,
            @ForAll TransportFailure.Kind kind,
            @ForAll @IntRange(min = 0, max = 5) int retries,
            @ForAll boolean oneShotBody) {
        Fixture fixture = new Fixture(Policy.guideline());
        RequestFacts request = RequestFacts.of(method, URI.create("https://a.test/x")).withIdempotencyKey(idempotencyKey);
        if (oneShotBody) {
            request = request.withBody(false, false);
        }
        AttemptState start = fixture.decider.start(request);
        AttemptState state = new AttemptState(retries, retries + 1, 0, 0, retries, start.startMillis(),
                start.deadlineMillis(), false, false, false, false, start.firstMethod(), start.firstUri(), start.visited());
        Decision decision = fixture.decider.decide(request, new TransportFailure(kind, "boom"), state);
        if (decision instanceof Decision.Retry retry) {
            assertThat(kind.retryable()).isTrue();
            assertThat(request.repeatable() || !kind.mayHaveBeenProcessed()).isTrue();
            if (oneShotBody) {
                assertThat(kind.mayHaveBeenSent()).as("a one-shot body is resent only when it was never sent")
                        .isFalse();
            }
            assertThat(retry.attempt()).isLessThanOrEqualTo(Policy.guideline().limits().maxAttempts());
        } else {
            assertThat(decision).isInstanceOf(Decision.Fail.class);
        }
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH", "PROPFIND");
    }

    @Provide
    Arbitrary<String> locations() {
        return Arbitraries.oneOf(
                Arbitraries.of("/next", "next", "../up", "//b.test/x", "https://a.test:8443/x", "http://a.test/x",
                        "https://b.test/x", "https://a.test/b/c?q=1", "", "#frag", "ftp://a.test/",
                        "https://u:p@b.test/", "http://[::1", "https://A.TEST:443/other",
                        "https://169.254.169.254/latest", "https://[::1]/", "https://2130706433/",
                        "https://[::ffff:10.0.0.1]/", "https://localhost/", "https://0/"),
                Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> retryAfters() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 200_000).map(String::valueOf),
                Arbitraries.longs().between(Fixture.NOW / 1000 - 1000, Fixture.NOW / 1000 + 200_000)
                        .map(seconds -> HttpDate.format(seconds)),
                Arbitraries.of("", "-1", "1.5", "99999999999999999999999", "soon"),
                Arbitraries.strings().ofMaxLength(30));
    }
}
