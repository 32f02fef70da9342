package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Route;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Decider#completion} is what the engine's first-attempt fast path decides a first head
 * with: for every status it must be exactly what {@link Decider#decide} returns for a first
 * response when that is a completion (the same object), and null otherwise, under routes too.
 */
class CompletionTest {
    private static final URI CASE = URI.create("https://api.test/cases/7");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "PATCH"})
    void completionIsDecideForEveryStatusWhereDecideCompletes(String method) {
        Policy policy = Policy.guideline().withRoute(Route.parse("GET /cases/{id}"),
                p -> p.withRule(200, r -> r.withHandling(Handling.FAIL)));
        Fixture fixture = new Fixture(policy);
        for (URI uri : new URI[] {CASE, URI.create("https://api.test/other")}) {
            RequestFacts facts = RequestFacts.of(method, uri);
            for (int status = 100; status <= 599; status++) {
                Decision decided = fixture.decider.decide(facts, TestResponse.status(status),
                        fixture.decider.start(facts));
                Decision.Complete fast = fixture.decider.completion(method, uri, status);
                if (decided instanceof Decision.Complete) {
                    assertThat(fast).as("%s %s %d", method, uri, status).isSameAs(decided);
                } else {
                    assertThat(fast).as("%s %s %d", method, uri, status).isNull();
                }
            }
        }
        assertThat(fixture.decider.completion("GET", CASE, 200)).as("the route's own 200 rule").isNull();
        assertThat(fixture.decider.completion("GET", URI.create("https://api.test/other"), 200)).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, 99, 600, 799, -1})
    void aStatusOutsideTheRangeIsNeverACompletion(int status) {
        assertThat(new Fixture().decider.completion("GET", CASE, status)).isNull();
    }

    @Test
    void methodValidityIsTheFactsOwn() {
        // new String: a spelling that is not the interned literal takes the switch, with the same answer
        for (String valid : new String[] {"GET", "POST", new String("GET"), new String("POST"), "get", "QUERY",
                "PROPFIND", "M-SEARCH", "X_Y"}) {
            assertThat(Methods.isValid(valid)).as(valid).isTrue();
            RequestFacts.of(valid, CASE); // does not throw
        }
        for (String invalid : new String[] {"", "G T", "GET\n", "GÉT", "(GET)"}) {
            assertThat(Methods.isValid(invalid)).as(invalid).isFalse();
        }
    }
}
