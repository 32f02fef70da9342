package io.statuspolicy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Grade;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Limits;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Provenance;
import io.statuspolicy.policy.RedirectSafety;
import io.statuspolicy.policy.Route;
import io.statuspolicy.policy.Rule;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example of the brief and the README, read field by field. */
class PolicyFileExampleTest {

    static final String EXAMPLE = """
            # statuspolicy policy file
            limits:
              maxAttempts: 4
              backoff: { initialDelay: 500ms, multiplier: 2.0, maxDelay: 10s, jitter: 0.5 }
              retryAfterCap: 60s
              deadline: 2m
              maxRedirects: 10
              awaitResource: 0s
              retryBudget: { enabled: true, ratio: 0.1, minRetries: 3, window: 10s }
            redirectSafety:
              allowHttpsToHttp: false
              followUnsafeMethodsAcrossOrigins: false
            rules:
              "502": { handling: FAIL, grade: MUST_NOT_RETRY, description: "Our gateway never recovers by itself" }
              "429": { maxRetries: 2 }
              5xx: { handling: RETRY, grade: MAY_RETRY }     # a whole class: Policy.withClass(...)
              transport: { handling: FAIL }                  # the transport-failure rule
            routes:
              - route: "GET /cases/{id}"
                limits: { awaitResource: 30s }
                rules:
                  "404": { grade: SHALL_RETRY }
            """;

    private static final Policy GUIDELINE = Policy.guideline();

    private final Policy policy = PolicyFile.read(EXAMPLE, "example.yaml");

    @Test
    void limitsAndSafetyRestateTheDefaults() {
        assertThat(policy.limits()).isEqualTo(Limits.DEFAULT);
        assertThat(policy.redirectSafety()).isEqualTo(RedirectSafety.DEFAULT);
    }

    @Test
    void theClassEntryAppliesToTheWholeServerErrorClassBeforeTheStatusEntries() {
        Rule classRule = policy.classRule(5);
        assertThat(classRule.handling()).isEqualTo(Handling.RETRY);
        assertThat(classRule.grade()).isEqualTo(Grade.MAY_RETRY);
        assertThat(classRule.provenance()).isEqualTo(Provenance.USER);
        assertThat(classRule.description()).isEqualTo(GUIDELINE.classRule(5).description());
        // Every 5xx row other than 502 is now the class template, re-keyed to its status.
        for (int status : new int[] {500, 501, 503, 504, 505, 511}) {
            assertThat(policy.rule(status)).as("rule %d", status)
                    .isEqualTo(classRule.forStatus(status, false));
        }
    }

    @Test
    void theStatusEntryFor502ChangesOnlyItsFields() {
        Rule rule = policy.rule(502);
        assertThat(rule.status()).isEqualTo(502);
        assertThat(rule.wholeClass()).isFalse();
        assertThat(rule.handling()).isEqualTo(Handling.FAIL);
        assertThat(rule.grade()).isEqualTo(Grade.MUST_NOT_RETRY);
        assertThat(rule.description()).isEqualTo("Our gateway never recovers by itself");
        assertThat(rule.provenance()).isEqualTo(Provenance.USER);
        // Applied after the 5xx class entry, so the untouched fields come from the class template.
        assertThat(rule.descriptionSv()).isEqualTo(GUIDELINE.classRule(5).descriptionSv());
        assertThat(rule.maxRetries()).isEqualTo(Rule.POLICY_LIMIT);
    }

    @Test
    void theStatusEntryFor429ChangesOnlyMaxRetries() {
        Rule expected = GUIDELINE.rule(429).withMaxRetries(2);
        assertThat(policy.rule(429)).isEqualTo(expected);
        assertThat(policy.rule(429).handling()).isEqualTo(GUIDELINE.rule(429).handling());
    }

    @Test
    void theTransportEntryChangesTheTransportFailureRule() {
        assertThat(policy.transportFailureRule())
                .isEqualTo(GUIDELINE.transportFailureRule().withHandling(Handling.FAIL));
        assertThat(policy.transportFailureRule().status()).isEqualTo(503);
    }

    @Test
    void rowsOutsideTheChangesEqualTheGuideline() {
        for (int status = 100; status <= 499; status++) {
            if (status == 429) {
                continue;
            }
            assertThat(policy.hasRow(status)).as("row %d", status).isEqualTo(GUIDELINE.hasRow(status));
            assertThat(policy.rule(status)).as("rule %d", status).isEqualTo(GUIDELINE.rule(status));
        }
        for (int c = 1; c <= 4; c++) {
            assertThat(policy.classRule(c)).isEqualTo(GUIDELINE.classRule(c));
        }
    }

    @Test
    void theRouteDerivesFromTheFullyBuiltBase() {
        assertThat(policy.routes()).hasSize(1);
        Policy.ScopedPolicy scoped = policy.routes().get(0);
        assertThat(scoped.route()).isEqualTo(Route.parse("GET /cases/{id}"));
        Policy base = policy.withoutRoutes();
        Policy inRoute = scoped.policy();
        assertThat(inRoute.limits()).isEqualTo(base.limits().withAwaitResource(Duration.ofSeconds(30)));
        assertThat(inRoute.rule(404)).isEqualTo(base.rule(404).withGrade(Grade.SHALL_RETRY));
        assertThat(inRoute.rule(502)).isEqualTo(base.rule(502));
        assertThat(inRoute.withRule(base.rule(404)).withLimits(base.limits())).isEqualTo(base);
        assertThat(policy.forRequest("GET", URI.create("https://x.example/cases/7"))).isSameAs(inRoute);
        assertThat(policy.forRequest("POST", URI.create("https://x.example/cases/7"))).isSameAs(policy);
    }

    @Test
    void theWholePolicyEqualsTheOneBuiltThroughTheApi() {
        Policy base = GUIDELINE.withClass(
                GUIDELINE.classRule(5).withHandling(Handling.RETRY).withGrade(Grade.MAY_RETRY));
        Rule row502 = base.rule(502);
        base = base.withRule(row502.withHandling(Handling.FAIL).withGrade(Grade.MUST_NOT_RETRY)
                .withDescription("Our gateway never recovers by itself", row502.descriptionSv()));
        base = base.withRule(base.rule(429).withMaxRetries(2));
        base = base.withTransportFailureRule(base.transportFailureRule().withHandling(Handling.FAIL));
        Policy expected = base.withRoute(Route.parse("GET /cases/{id}"), p -> p
                .withLimits(l -> l.withAwaitResource(Duration.ofSeconds(30)))
                .withRule(p.rule(404).withGrade(Grade.SHALL_RETRY)));

        assertThat(policy).isEqualTo(expected);
    }

    @Test
    void theExampleSurvivesAWriteAndARead() {
        assertThat(PolicyFile.read(PolicyFile.write(policy), "written.yaml")).isEqualTo(policy);
    }

    @Test
    void enumValuesAreReadWithoutRegardToCaseDashesOrSpaces() {
        Policy read = PolicyFile.read("""
                rules:
                  "404": { handling: await-resource, grade: "shall retry" }
                  "413": { handling: Retry_Only_After_Retry_After, grade: must not retry }
                  "410": { provenance: rfc }
                """, "enums.yaml");
        assertThat(read.rule(404).handling()).isEqualTo(Handling.AWAIT_RESOURCE);
        assertThat(read.rule(404).grade()).isEqualTo(Grade.SHALL_RETRY);
        assertThat(read.rule(413).handling()).isEqualTo(Handling.RETRY_ONLY_AFTER_RETRY_AFTER);
        assertThat(read.rule(413).grade()).isEqualTo(Grade.MUST_NOT_RETRY);
        assertThat(GUIDELINE.rule(410).provenance()).isEqualTo(Provenance.GUIDELINE);
        assertThat(read.rule(410)).isEqualTo(new Rule(410, false, GUIDELINE.rule(410).handling(),
                GUIDELINE.rule(410).grade(), Provenance.RFC, GUIDELINE.rule(410).reference(),
                GUIDELINE.rule(410).description(), GUIDELINE.rule(410).descriptionSv(),
                GUIDELINE.rule(410).requestNotProcessed(), GUIDELINE.rule(410).maxRetries()));
    }

    @Test
    void anEmptyOrCommentOnlyFileIsTheGuideline() {
        assertThat(PolicyFile.read("", "empty.yaml")).isEqualTo(GUIDELINE);
        assertThat(PolicyFile.read("# nothing to change\n", "comment.yaml")).isEqualTo(GUIDELINE);
        assertThat(PolicyFile.read("limits:\nrules:\nroutes:\n", "sections.yaml")).isEqualTo(GUIDELINE);
    }

    @Test
    void aStatusWithoutARowGetsOneFromItsClassAndClassRuleRemovesARow() {
        Policy read = PolicyFile.read("""
                rules:
                  "499": {}
                  "422": { maxRetries: policy, requestNotProcessed: true }
                  "402": class-rule
                """, "rows.yaml");
        assertThat(GUIDELINE.hasRow(499)).isFalse();
        assertThat(read.hasRow(499)).isTrue();
        assertThat(read.rule(499)).isEqualTo(GUIDELINE.classRule(4).forStatus(499, false));
        assertThat(read.rule(422).requestNotProcessed()).isTrue();
        assertThat(read.rule(422).maxRetries()).isEqualTo(Rule.POLICY_LIMIT);
        assertThat(GUIDELINE.hasRow(402)).isTrue();
        assertThat(read.hasRow(402)).isFalse();
        assertThat(read.rule(402)).isEqualTo(GUIDELINE.classRule(4));
    }

    @Test
    void durationsAcceptTheShortFormsAndIso() {
        Policy read = PolicyFile.read("""
                limits:
                  retryAfterCap: 1.5s
                  deadline: PT2M30S
                  awaitResource: 250ms
                  backoff: { initialDelay: 0, maxDelay: 1h }
                  retryBudget: { window: 2m }
                """, "durations.yaml");
        assertThat(read.limits().retryAfterCap()).isEqualTo(Duration.ofMillis(1500));
        assertThat(read.limits().deadline()).isEqualTo(Duration.ofSeconds(150));
        assertThat(read.limits().awaitResource()).isEqualTo(Duration.ofMillis(250));
        assertThat(read.limits().backoff().initialDelay()).isEqualTo(Duration.ZERO);
        assertThat(read.limits().backoff().maxDelay()).isEqualTo(Duration.ofHours(1));
        assertThat(read.limits().retryBudget().window()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aLargerInitialDelayAloneLiftsMaxDelayAsTheApiDoes() {
        Policy read = PolicyFile.read("limits:\n  backoff: { initialDelay: 20s }\n", "backoff.yaml");
        assertThat(read.limits().backoff())
                .isEqualTo(Limits.DEFAULT.backoff().withInitialDelay(Duration.ofSeconds(20)));
        assertThat(read.limits().backoff().maxDelay()).isEqualTo(Duration.ofSeconds(20));
    }
}
