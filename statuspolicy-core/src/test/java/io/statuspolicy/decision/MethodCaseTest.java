package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Route;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Method names are case-sensitive (RFC 9110 §9.1, review finding 26): {@code get} is not GET
 * but an unknown method, decided as neither safe nor idempotent, and sent as given.
 */
class MethodCaseTest {
    private final Fixture fixture = new Fixture();

    @ParameterizedTest(name = "{0}: safe {1}, idempotent {2}")
    @CsvSource(delimiter = '|', textBlock = """
            GET     | true  | true
            HEAD    | true  | true
            OPTIONS | true  | true
            TRACE   | true  | true
            PUT     | false | true
            DELETE  | false | true
            POST    | false | false
            get     | false | false
            Get     | false | false
            head    | false | false
            put     | false | false
            delete  | false | false
            """)
    void methodPropertiesAreLookedUpByTheExactName(String method, boolean safe, boolean idempotent) {
        assertThat(Methods.isSafe(method)).isEqualTo(safe);
        assertThat(Methods.isIdempotent(method)).isEqualTo(idempotent);
        RequestFacts facts = RequestFacts.of(method, URI.create("https://a.test/x"));
        assertThat(facts.method()).as("kept as given").isEqualTo(method);
        assertThat(facts.repeatable()).isEqualTo(idempotent);
    }

    @Test
    void aLowerCaseGetIsNotRetriedLikeAGet() {
        assertThat(fixture.decide(Fixture.get("https://a.test/x"), TestResponse.status(503)))
                .isInstanceOf(Decision.Retry.class);
        Decision lower = fixture.decide(RequestFacts.of("get", URI.create("https://a.test/x")),
                TestResponse.status(503));
        assertThat(lower).isInstanceOf(Decision.Fail.class);
        assertThat(((Decision.Fail) lower).reason()).isEqualTo(FailureReason.NOT_IDEMPOTENT);
        assertThat(lower.explain()).contains("(get)");

        RequestFacts get = RequestFacts.of("get", URI.create("https://a.test/x"));
        Decision lost = fixture.decider.decide(get, new TransportFailure(TransportFailure.Kind.CONNECTION_LOST, null),
                fixture.decider.start(get));
        assertThat(((Decision.Fail) lost).reason()).isEqualTo(FailureReason.TRANSPORT_NOT_REPEATABLE);
    }

    @Test
    void aLowerCaseGetIsAnUnsafeMethodForRedirects() {
        RequestFacts get = RequestFacts.of("get", URI.create("https://a.test/x"));
        Decision crossOrigin = fixture.decide(get, TestResponse.status(302).header("Location", "https://b.test/y"));
        assertThat(((Decision.Fail) crossOrigin).reason()).isEqualTo(FailureReason.REDIRECT_UNSAFE_ACROSS_ORIGINS);

        Decision.FollowRedirect sameOrigin = (Decision.FollowRedirect) fixture.decide(get,
                TestResponse.status(302).header("Location", "/y"));
        assertThat(sameOrigin.method()).as("only POST becomes GET on a 302").isEqualTo("get");

        RequestFacts post = RequestFacts.of("post", URI.create("https://a.test/x")).withBody(true, true);
        Decision.FollowRedirect kept = (Decision.FollowRedirect) fixture.decide(post,
                TestResponse.status(301).header("Location", "/y"));
        assertThat(kept.method()).as("post is not POST: its method and body are kept").isEqualTo("post");
        assertThat(kept.keepBody()).isTrue();

        RequestFacts head = RequestFacts.of("head", URI.create("https://a.test/x"));
        Decision.FollowRedirect seeOther = (Decision.FollowRedirect) fixture.decide(head,
                TestResponse.status(303).header("Location", "/y"));
        assertThat(seeOther.method()).as("only HEAD stays HEAD on a 303").isEqualTo("GET");
    }

    @Test
    void aRouteForGetDoesNotScopeALowerCaseGet() {
        Policy policy = Policy.guideline().withRoute(Route.parse("get /cases/{id}"),
                p -> p.withLimits(l -> l.withDeadline(Duration.ofSeconds(5))));
        Fixture routed = new Fixture(policy);
        URI uri = URI.create("https://a.test/cases/7");
        AttemptState upper = routed.decider.start(RequestFacts.of("GET", uri));
        AttemptState lower = routed.decider.start(RequestFacts.of("get", uri));
        assertThat(upper.deadlineMillis() - upper.startMillis()).isEqualTo(5_000);
        assertThat(lower.deadlineMillis() - lower.startMillis())
                .isEqualTo(Policy.guideline().limits().deadline().toMillis());
    }

    @Test
    void aDeadlineTooLongToCountInMillisecondsIsNeverReached() {
        Policy policy = Policy.guideline().withLimits(l -> l.withDeadline(Duration.ofSeconds(Long.MAX_VALUE)));
        AttemptState state = new Fixture(policy).decider.start(RequestFacts.of("GET", URI.create("https://a.test/x")));
        assertThat(state.deadlineMillis()).as("saturated, not an ArithmeticException").isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GE T", "GET\r\n", "G(T", "GÉT", "\u0000"})
    void aMethodThatIsNotATokenIsRefusedByName(String method) {
        assertThatThrownBy(() -> RequestFacts.of(method, URI.create("https://a.test/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("request method must be a token");
    }

    @Test
    void everyTokenCharacterIsAcceptedInAMethod() {
        assertThat(RequestFacts.of("M-SEARCH", URI.create("https://a.test/x")).method()).isEqualTo("M-SEARCH");
        assertThat(RequestFacts.of("!#$%&'*+-.^_`|~09az", URI.create("https://a.test/x")).method())
                .isEqualTo("!#$%&'*+-.^_`|~09az");
    }
}
