package io.statuspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyTest {
    private final Policy guideline = Policy.guideline();

    @Test
    void derivingReturnsANewPolicyAndLeavesTheOriginalAlone() {
        Policy derived = guideline.withRule(guideline.rule(502).withHandling(Handling.FAIL)
                .withGrade(Grade.MUST_NOT_RETRY));
        assertThat(derived.rule(502).handling()).isEqualTo(Handling.FAIL);
        assertThat(derived.rule(502).provenance()).isEqualTo(Provenance.USER);
        assertThat(guideline.rule(502).handling()).isEqualTo(Handling.RETRY);
        assertThat(derived).isNotEqualTo(guideline);
        assertThat(guideline.withRule(guideline.rule(502))).isEqualTo(guideline);
    }

    @Test
    void aClassOverrideReachesEveryRowOfTheClassAndUnlistedStatuses() {
        Policy noServerRetries = guideline.withClass(Rule.of(500, Handling.FAIL, Grade.MUST_NOT_RETRY,
                "We never retry server errors."));
        for (int status : new int[] {500, 502, 503, 504, 507, 599}) {
            assertThat(noServerRetries.rule(status).handling()).as("%d", status).isEqualTo(Handling.FAIL);
        }
        assertThat(noServerRetries.rule(503).status()).isEqualTo(503);
        assertThat(noServerRetries.rule(429).handling()).isEqualTo(Handling.RETRY);
    }

    @Test
    void changingAnUnlistedStatusAddsARowAndLeavesItsClassAlone() {
        Policy policy = guideline.withRule(499, rule -> rule.withHandling(Handling.RETRY).withGrade(Grade.MAY_RETRY));
        assertThat(policy.hasRow(499)).isTrue();
        assertThat(policy.rule(499).handling()).isEqualTo(Handling.RETRY);
        assertThat(policy.rule(498).handling()).isEqualTo(Handling.FAIL);
        assertThat(policy.classRule(4)).isEqualTo(guideline.classRule(4));
        assertThatThrownBy(() -> guideline.withRule(499, rule -> rule.forStatus(498, false)))
                .hasMessageContaining("499");
    }

    @Test
    void aStatusWithoutARowFallsBackToItsClass() {
        Policy policy = guideline.withoutRow(418);
        assertThat(policy.hasRow(418)).isFalse();
        assertThat(policy.rule(418)).isSameAs(policy.classRule(4));
        assertThat(policy.rule(418).key()).isEqualTo("4xx");
    }

    @Test
    void limitsAreDerivedOneFieldAtATime() {
        Policy policy = guideline.withLimits(l -> l.withMaxAttempts(2).withDeadline(Duration.ofSeconds(5)));
        assertThat(policy.limits().maxAttempts()).isEqualTo(2);
        assertThat(policy.limits().deadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.limits().maxRedirects()).isEqualTo(Limits.DEFAULT.maxRedirects());
        assertThat(guideline.limits()).isEqualTo(Limits.DEFAULT);
    }

    @Test
    void routesMatchInOrderAndCarryTheirOwnPolicy() {
        Policy policy = guideline
                .withRoute(Route.parse("GET /cases/{id}"), p -> p.withLimits(l -> l.withAwaitResource(
                        Duration.ofSeconds(30))))
                .withRoute(Route.parse("//*.slow.test/**"), p -> p.withLimits(l -> l.withDeadline(
                        Duration.ofMinutes(10))));
        assertThat(policy.forRequest("GET", URI.create("https://a.test/cases/9")).limits().awaitResource())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.forRequest("GET", URI.create("https://a.test/cases/9/notes"))).isSameAs(policy);
        assertThat(policy.forRequest("POST", URI.create("https://a.test/cases/9"))).isSameAs(policy);
        assertThat(policy.forRequest("PUT", URI.create("https://api.slow.test/x/y")).limits().deadline())
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.forRequest("PUT", URI.create("https://slow.test/x"))).isSameAs(policy);
        assertThat(policy.routes()).hasSize(2);
        assertThat(policy.routes().get(0).policy().routes()).isEmpty();
    }

    @Test
    void invalidValuesFailWithMessagesThatNameThem() {
        assertThatThrownBy(() -> guideline.rule(600)).hasMessageContaining("600");
        assertThatThrownBy(() -> Limits.DEFAULT.withMaxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> Limits.DEFAULT.withDeadline(Duration.ZERO)).hasMessageContaining("deadline");
        assertThatThrownBy(() -> Limits.DEFAULT.withRetryAfterCap(Duration.ofSeconds(-1)))
                .hasMessageContaining("retryAfterCap");
        assertThatThrownBy(() -> RetryBudgetSettings.DEFAULT.withRatio(-0.1)).hasMessageContaining("ratio");
        assertThatThrownBy(() -> Rule.of(99, Handling.FAIL, Grade.MUST_NOT_RETRY, "x")).hasMessageContaining("99");
        assertThatThrownBy(() -> Rule.of(404, Handling.FAIL, Grade.MUST_NOT_RETRY, " "))
                .hasMessageContaining("description");
    }

    @Test
    void theTableListsClassRulesBeforeTheirRows() {
        assertThat(guideline.table().get(0).key()).isEqualTo("1xx");
        assertThat(guideline.table().get(1).key()).isEqualTo("2xx");
        assertThat(guideline.table().get(2).key()).isEqualTo("3xx");
        assertThat(guideline.table().get(3).key()).isEqualTo("300");
        assertThat(guideline.table()).hasSize(guideline.rows().size() + 5);
    }
}
