package io.statuspolicy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Backoff;
import io.statuspolicy.policy.Grade;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Provenance;
import io.statuspolicy.policy.RedirectSafety;
import io.statuspolicy.policy.RetryBudgetSettings;
import io.statuspolicy.policy.Route;
import io.statuspolicy.policy.Rule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hand-built policies through write and read, and the shape of what write produces. */
class PolicyFileRoundTripTest {

    private static final Policy GUIDELINE = Policy.guideline();

    private static Policy roundTrip(Policy policy) {
        return PolicyFile.read(PolicyFile.write(policy), "written.yaml");
    }

    /** The file without its comment lines and blank lines. */
    private static String body(String text) {
        return text.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line + "\n").reduce("", String::concat);
    }

    @Test
    void theGuidelineIsWrittenAsAFileWithNoOverrides() {
        String text = PolicyFile.write(GUIDELINE);
        assertThat(text).startsWith("# statuspolicy policy file").contains("No overrides");
        assertThat(body(text)).isEmpty();
        assertThat(roundTrip(GUIDELINE)).isEqualTo(GUIDELINE);
    }

    @Test
    void oneChangeIsWrittenAsOneLine() {
        Policy policy = GUIDELINE.withLimits(l -> l.withMaxAttempts(3));
        assertThat(body(PolicyFile.write(policy))).isEqualTo("limits:\n  maxAttempts: 3\n");
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }

    @Test
    void aRuleChangeListsOnlyTheChangedFields() {
        Policy policy = GUIDELINE.withRule(GUIDELINE.rule(502).withHandling(Handling.FAIL)
                .withGrade(Grade.MUST_NOT_RETRY));
        assertThat(body(PolicyFile.write(policy)))
                .isEqualTo("rules:\n  \"502\": { handling: FAIL, grade: MUST_NOT_RETRY }\n");
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }

    @Test
    void aWholeClassIsWrittenAsOneClassEntry() {
        Policy policy = GUIDELINE.withClass(GUIDELINE.classRule(5).withHandling(Handling.FAIL));
        assertThat(body(PolicyFile.write(policy))).isEqualTo("rules:\n  5xx: { handling: FAIL }\n");
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }

    @Test
    void aClassResetToItsOwnRuleIsWrittenAsAnEmptyClassEntry() {
        Policy policy = GUIDELINE.withClass(GUIDELINE.classRule(3));
        assertThat(body(PolicyFile.write(policy))).isEqualTo("rules:\n  3xx: {}\n");
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }

    @Test
    void aChangeToTheClassRuleAloneKeepsTheClassRowsAsTheyWere() {
        Policy policy = GUIDELINE.withRule(GUIDELINE.classRule(4).withGrade(Grade.MAY_RETRY));
        assertThat(policy.rule(404)).isEqualTo(GUIDELINE.rule(404));
        assertThat(body(PolicyFile.write(policy))).isEqualTo("rules:\n  4xx: { grade: MAY_RETRY, keepRows: true }\n");
        Policy read = roundTrip(policy);
        assertThat(read.rule(404)).isEqualTo(GUIDELINE.rule(404));
        assertThat(read.rule(499)).isEqualTo(policy.classRule(4));
        assertThat(read).isEqualTo(policy);
    }

    @Test
    void rowsAddedAndRemoved() {
        Policy policy = GUIDELINE
                .withRule(Rule.of(499, Handling.FAIL, Grade.MUST_NOT_RETRY, "Client closed the request"))
                .withRule(GUIDELINE.classRule(4).forStatus(460, false))
                .withoutRow(402)
                .withoutRow(511);
        String text = PolicyFile.write(policy);
        assertThat(body(text)).contains("  \"402\": class-rule\n", "  \"460\": {}\n", "  \"511\": class-rule\n");
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }

    @Test
    void transportRuleReplacedByAnotherStatusOrAClassRule() {
        Policy byStatus = GUIDELINE.withTransportFailureRule(GUIDELINE.rule(504));
        assertThat(body(PolicyFile.write(byStatus))).contains("transport: { status: \"504\"");
        assertThat(roundTrip(byStatus)).isEqualTo(byStatus);

        Policy byClass = GUIDELINE.withTransportFailureRule(GUIDELINE.classRule(4).withMaxRetries(0));
        assertThat(roundTrip(byClass)).isEqualTo(byClass);
        assertThat(roundTrip(byClass).transportFailureRule().wholeClass()).isTrue();
    }

    @Test
    void everyLimitAndSafetySwitch() {
        Policy policy = GUIDELINE
                .withLimits(l -> l.withMaxAttempts(7)
                        .withBackoff(new Backoff(Duration.ofMillis(1250), 1.7, Duration.ofMinutes(3), 0.0))
                        .withRetryAfterCap(Duration.ofNanos(1_500_000_001L))
                        .withDeadline(Duration.ofHours(36))
                        .withMaxRedirects(0)
                        .withAwaitResource(Duration.ofSeconds(90))
                        .withRetryBudget(RetryBudgetSettings.OFF.withRatio(0.25).withMinRetries(0)
                                .withWindow(Duration.ofMinutes(60)))
                        .withHostHolds(false)
                        .withCircuitBreaker(new io.statuspolicy.policy.CircuitBreakerSettings(true, 8,
                                Duration.ofMillis(2500))))
                .withRedirectSafety(new RedirectSafety(true, true,
                        io.statuspolicy.policy.RedirectTargetFilter.ALLOW_ALL));
        String body = body(PolicyFile.write(policy));
        assertThat(body).contains("maxAttempts: 7", "initialDelay: 1250ms", "multiplier: 1.7", "maxDelay: 3m",
                "jitter: 0.0", "retryAfterCap: 1.500000001s", "deadline: 36h", "maxRedirects: 0",
                "awaitResource: 90s", "enabled: false", "ratio: 0.25", "minRetries: 0", "window: 1h",
                "hostHolds: false", "circuitBreaker: { enabled: true, failures: 8, openFor: 2500ms }",
                "allowHttpsToHttp: true", "followUnsafeMethodsAcrossOrigins: true");
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }

    @Test
    void negativeZeroIsKeptBecauseRecordsTellItFromZero() {
        Policy policy = GUIDELINE.withLimits(l -> l.withBackoff(l.backoff().withJitter(-0.0))
                .withRetryBudget(l.retryBudget().withRatio(-0.0)));
        assertThat(policy).isNotEqualTo(GUIDELINE.withLimits(l -> l.withBackoff(l.backoff().withJitter(0.0))
                .withRetryBudget(l.retryBudget().withRatio(0.0))));
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }

    @Test
    void descriptionsWithCharactersYamlCaresAbout() {
        String english = "  \"Quoted\", back\\slash, # not a comment, key: value, tab\there,\nnew line, "
                + "\u0001 control, \u2028 separator, \uFEFF bom, \u0085 nel, emoji \uD83D\uDE00, lone \uD800 ";
        Policy policy = GUIDELINE.withRule(GUIDELINE.rule(404).withDescription(english, "Sidan finns inte: åäö"))
                .withRule(GUIDELINE.rule(500).withDescription("x", null));
        Policy read = roundTrip(policy);
        assertThat(read.rule(404).description()).isEqualTo(english);
        assertThat(read.rule(404).descriptionSv()).isEqualTo("Sidan finns inte: åäö");
        assertThat(read.rule(500).descriptionSv()).isNull();
        assertThat(read).isEqualTo(policy);
    }

    @Test
    void provenanceAndReferenceAreKeptWhenTheApiKeepsThem() {
        // forStatus keeps the guideline's provenance and reference, which a plain edit would not.
        Policy policy = GUIDELINE.withRule(GUIDELINE.rule(503).forStatus(599, false))
                .withRule(GUIDELINE.rule(404).withHandling(GUIDELINE.rule(404).handling()));
        assertThat(policy.rule(599).provenance()).isEqualTo(Provenance.GUIDELINE);
        assertThat(policy.rule(404).provenance()).isEqualTo(Provenance.USER);
        String body = body(PolicyFile.write(policy));
        assertThat(body).contains("\"404\": { provenance: USER }");
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }

    @Test
    void routesAreWrittenAsTheirDifferenceFromTheBase() {
        Policy base = GUIDELINE.withLimits(l -> l.withMaxAttempts(2));
        Policy policy = base
                .withRoute(Route.parse("GET /cases/{id}"),
                        p -> p.withLimits(l -> l.withAwaitResource(Duration.ofSeconds(30)))
                                .withRule(p.rule(404).withGrade(Grade.SHALL_RETRY)))
                .withRoute(Route.parse("//*.example.com/**"), p -> p)
                .withRoute(Route.parse("POST,PUT //api.example.com/orders/*"),
                        p -> p.withRedirectSafety(p.redirectSafety().withAllowHttpsToHttp(true))
                                .withClass(p.classRule(5).withHandling(Handling.FAIL)));
        String text = PolicyFile.write(policy);
        assertThat(body(text)).startsWith("""
                limits:
                  maxAttempts: 2
                routes:
                  - route: "GET /cases/{id}"
                    limits:
                      awaitResource: 30s
                    rules:
                      "404": { grade: SHALL_RETRY }
                  - route: "//*.example.com/**"
                  - route: "POST,PUT //api.example.com/orders/*"
                """);
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }

    @Test
    void aRouteAddedBeforeTheBaseChangedStillRoundTrips() {
        Policy policy = GUIDELINE
                .withRoute(Route.parse("GET /a"), p -> p.withLimits(l -> l.withMaxRedirects(1)))
                .withLimits(l -> l.withMaxAttempts(9))
                .withRule(GUIDELINE.rule(503).withMaxRetries(1));
        // The route kept the guideline's maxAttempts and 503: the file must say so inside the route.
        assertThat(policy.routes().get(0).policy().limits().maxAttempts()).isEqualTo(4);
        assertThat(roundTrip(policy)).isEqualTo(policy);
    }
}
