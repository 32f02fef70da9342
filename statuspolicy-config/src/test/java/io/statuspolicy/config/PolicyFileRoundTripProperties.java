package io.statuspolicy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Backoff;
import io.statuspolicy.policy.Grade;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Limits;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.RedirectSafety;
import io.statuspolicy.policy.CircuitBreakerSettings;
import io.statuspolicy.policy.RetryBudgetSettings;
import io.statuspolicy.policy.Route;
import io.statuspolicy.policy.Rule;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@code read(write(p)).equals(p)} for policies built from random changes through the API. */
class PolicyFileRoundTripProperties {

    /** A named change, so a failing sample shows what it was made of. */
    record Change(String name, UnaryOperator<Policy> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Property(tries = 500)
    void writeThenReadGivesTheSamePolicy(@ForAll("policies") Policy policy) {
        String text = PolicyFile.write(policy);
        Policy read = PolicyFile.read(text, "property.yaml");
        assertThat(read).as(text).isEqualTo(policy);
        // Writing is a function of the policy: the read-back policy writes the same text.
        assertThat(PolicyFile.write(read)).isEqualTo(text);
    }

    @Property(tries = 200)
    void aPolicyWithoutChangesWritesNoOverrides(@ForAll("changes") List<Change> changes) {
        Policy policy = apply(Policy.guideline(), changes);
        boolean isGuideline = policy.equals(Policy.guideline());
        assertThat(PolicyFile.write(policy).lines().allMatch(line -> line.isBlank() || line.startsWith("#")))
                .isEqualTo(isGuideline);
    }

    @Provide
    Arbitrary<Policy> policies() {
        Arbitrary<List<Change>> base = changes();
        Arbitrary<List<Change>> routes = route().list().ofMaxSize(2);
        Arbitrary<List<Change>> later = changes().list().ofMaxSize(1).map(lists -> lists.isEmpty() ? List.of()
                : lists.get(0));
        return Combinators.combine(base, routes, later).as((b, r, l) -> {
            Policy policy = apply(Policy.guideline(), b);
            policy = apply(policy, r);
            return apply(policy, l); // sometimes the base changes after routes were added
        });
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        return Arbitraries.oneOf(rowChange(), classChange(), classRuleOnlyChange(), removeRow(), transportChange(),
                limitsChange(), safetyChange()).list().ofMaxSize(6);
    }

    private static Policy apply(Policy policy, List<Change> changes) {
        Policy result = policy;
        for (Change change : changes) {
            result = change.apply().apply(result);
        }
        return result;
    }

    // ------------------------------------------------------------ rules

    private static Arbitrary<UnaryOperator<Rule>> ruleEdits() {
        Arbitrary<UnaryOperator<Rule>> one = Arbitraries.oneOf(
                Arbitraries.of(Handling.class).map(h -> r -> r.withHandling(h)),
                Arbitraries.of(Grade.class).map(g -> r -> r.withGrade(g)),
                Combinators.combine(text(), text().injectNull(0.3)).as((en, sv) -> r -> r.withDescription(en, sv)),
                Arbitraries.integers().between(Rule.POLICY_LIMIT, 6).map(n -> r -> r.withMaxRetries(n)),
                Arbitraries.of(true, false).map(b -> r -> r.withRequestNotProcessed(b)));
        return one.list().ofMinSize(0).ofMaxSize(3).map(edits -> rule -> {
            Rule result = rule;
            for (UnaryOperator<Rule> edit : edits) {
                result = edit.apply(result);
            }
            return result;
        });
    }

    private static Arbitrary<String> text() {
        Arbitrary<String> tricky = Arbitraries.of("Our gateway never recovers by itself", "x", "\"quoted\"",
                "a: b # c", "- dash", "line\nbreak", "åäö ÅÄÖ", "emoji \uD83D\uDE00", "tab\t", "null", "~",
                "  padded  ", "back\\slash", "'single'", "{flow}", "[list]", "&anchor *alias", "\u0007bell");
        Arbitrary<String> any = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20);
        return Arbitraries.oneOf(tricky, any).filter(s -> !s.isBlank());
    }

    private static Arbitrary<Integer> statuses() {
        // Mostly statuses with rows in the guideline, some without.
        return Arbitraries.oneOf(Arbitraries.of(301, 304, 404, 408, 413, 429, 500, 502, 503, 504),
                Arbitraries.integers().between(100, 599));
    }

    private static Arbitrary<Change> rowChange() {
        return Combinators.combine(statuses(), ruleEdits()).as((status, edit) -> new Change("row " + status,
                p -> p.withRule(edit.apply(p.hasRow(status) ? p.rule(status)
                        : p.classRule(status / 100).forStatus(status, false)))));
    }

    private static Arbitrary<Change> classChange() {
        return Combinators.combine(Arbitraries.integers().between(1, 5), ruleEdits()).as((c, edit) ->
                new Change("withClass " + c + "xx", p -> p.withClass(edit.apply(p.classRule(c)))));
    }

    private static Arbitrary<Change> classRuleOnlyChange() {
        return Combinators.combine(Arbitraries.integers().between(1, 5), ruleEdits()).as((c, edit) ->
                new Change("class rule " + c + "xx", p -> p.withRule(edit.apply(p.classRule(c)))));
    }

    private static Arbitrary<Change> removeRow() {
        return statuses().map(status -> new Change("without " + status, p -> p.withoutRow(status)));
    }

    private static Arbitrary<Change> transportChange() {
        Arbitrary<Change> edit = ruleEdits().map(e -> new Change("transport edit",
                p -> p.withTransportFailureRule(e.apply(p.transportFailureRule()))));
        Arbitrary<Change> byStatus = statuses().map(s -> new Change("transport as " + s,
                p -> p.withTransportFailureRule(p.rule(s))));
        return Arbitraries.oneOf(edit, byStatus);
    }

    // ------------------------------------------------------------ limits and safety

    private static Arbitrary<Duration> durations() {
        return Arbitraries.oneOf(
                Arbitraries.of(Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(2),
                        Duration.ofHours(1), Duration.ofDays(3)),
                Arbitraries.longs().between(0, 1_000_000).map(Duration::ofMillis),
                Arbitraries.longs().between(0, 10_000_000_000_000L).map(Duration::ofNanos));
    }

    private static Arbitrary<Double> ratios(double max) {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, max), Arbitraries.of(0.0, -0.0, 0.1, max));
    }

    private static Arbitrary<Backoff> backoffs() {
        return Combinators.combine(durations(), durations(), Arbitraries.doubles().between(1.0, 10.0),
                ratios(1.0)).as((initial, extra, multiplier, jitter) ->
                new Backoff(initial, multiplier, initial.plus(extra), jitter));
    }

    private static Arbitrary<RetryBudgetSettings> budgets() {
        return Combinators.combine(Arbitraries.of(true, false), ratios(1000.0), Arbitraries.integers().between(0, 50),
                Arbitraries.longs().between(1_000, 3_600_000).map(Duration::ofMillis), ratios(1000.0))
                .as(RetryBudgetSettings::new);
    }

    private static Arbitrary<CircuitBreakerSettings> breakers() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(1, 10_000),
                Arbitraries.longs().between(1, 3_600_000).map(Duration::ofMillis))
                .as(CircuitBreakerSettings::new);
    }

    private static Arbitrary<Change> limitsChange() {
        Arbitrary<UnaryOperator<Limits>> one = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 10).map(n -> l -> l.withMaxAttempts(n)),
                backoffs().map(b -> l -> l.withBackoff(b)),
                durations().map(d -> l -> l.withRetryAfterCap(d)),
                durations().filter(d -> !d.isZero()).map(d -> l -> l.withDeadline(d)),
                Arbitraries.integers().between(0, 30).map(n -> l -> l.withMaxRedirects(n)),
                durations().map(d -> l -> l.withAwaitResource(d)),
                budgets().map(b -> l -> l.withRetryBudget(b)),
                Arbitraries.of(true, false).map(on -> l -> l.withHostHolds(on)),
                breakers().map(b -> l -> l.withCircuitBreaker(b)));
        return one.map(change -> new Change("limits", p -> p.withLimits(change)));
    }

    private static Arbitrary<Change> safetyChange() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.of(io.statuspolicy.policy.RedirectTargetFilter.class))
                .as((a, b, f) -> new Change("safety " + a + " " + b + " " + f,
                        p -> p.withRedirectSafety(new RedirectSafety(a, b, f))));
    }

    // ------------------------------------------------------------ routes

    private static Arbitrary<String> routeTexts() {
        Arbitrary<String> methods = Arbitraries.of("", "GET ", "GET,HEAD ", "post ", "PUT,DELETE,PATCH ");
        Arbitrary<String> hosts = Arbitraries.of("", "//api.example.com", "//*.example.com", "//LOCALHOST:8080");
        Arbitrary<String> segment = Arbitraries.of("cases", "{id}", "*", "v1", "a b");
        Arbitrary<String> path = segment.list().ofMaxSize(3).map(list -> "/" + String.join("/", list));
        Arbitrary<String> tail = Arbitraries.of("", "/**");
        return Combinators.combine(methods, hosts, path, tail).as((m, h, p, t) ->
                m + h + (t.isEmpty() || p.equals("/") ? p : p + t));
    }

    private static Arbitrary<Change> route() {
        Arbitrary<List<Change>> inside = Arbitraries.oneOf(rowChange(), classChange(), classRuleOnlyChange(),
                removeRow(), limitsChange(), safetyChange(), transportChange()).list().ofMaxSize(4);
        return Combinators.combine(routeTexts(), inside).as((text, changes) ->
                new Change("route " + text + " " + changes,
                        p -> p.withRoute(Route.parse(text), scoped -> apply(scoped, changes))));
    }
}
