package io.statuspolicy.policy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The whole policy: a rule for every status, the limits of a call, redirect safety switches,
 * and optional route scopes. Immutable and thread-safe; every {@code with...} method returns a
 * new policy and leaves this one unchanged.
 *
 * <p>{@link #guideline()} is the organisation's guideline. A team derives its own policy from
 * it:
 *
 * <pre>{@code
 * Policy policy = Policy.guideline()
 *         .withRule(Policy.guideline().rule(502).withHandling(Handling.FAIL).withGrade(Grade.MUST_NOT_RETRY))
 *         .withLimits(limits -> limits.withMaxAttempts(3).withDeadline(Duration.ofSeconds(20)))
 *         .withRoute(Route.parse("GET /cases/{id}"),
 *                 route -> route.withLimits(limits -> limits.withAwaitResource(Duration.ofSeconds(30))));
 * }</pre>
 *
 * <p>Rule lookup ({@link #rule(int)}) is an array read: it allocates nothing.
 *
 * <p>Routes: a route scope is a complete policy of its own, derived from this one at the moment
 * {@link #withRoute} is called. Later changes to this policy do not reach routes added before
 * them, so derive the base first and add routes last. The first matching route wins.
 */
public final class Policy {

    private static final Policy GUIDELINE = new Policy(
            table(GuidelineTable.statusRules()),
            classTable(GuidelineTable.classRules()),
            GuidelineTable.transportFailure(), Limits.DEFAULT, RedirectSafety.DEFAULT, List.of());

    /** rules[status] for every status with a row of its own; null elsewhere. */
    private final Rule[] rows;
    /** classRules[c] for c in 1..5. */
    private final Rule[] classRules;
    private final Rule transportFailure;
    private final Limits limits;
    private final RedirectSafety redirectSafety;
    private final List<ScopedPolicy> routes;

    private Policy(Rule[] rows, Rule[] classRules, Rule transportFailure, Limits limits,
            RedirectSafety redirectSafety, List<ScopedPolicy> routes) {
        this.rows = rows;
        this.classRules = classRules;
        this.transportFailure = transportFailure;
        this.limits = limits;
        this.redirectSafety = redirectSafety;
        this.routes = routes;
    }

    /** The organisation's guideline, with the rows GUIDELINE.md adds and the default limits. */
    public static Policy guideline() {
        return GUIDELINE;
    }

    private static Rule[] table(List<Rule> statusRules) {
        Rule[] rows = new Rule[HttpStatus.MAX + 1];
        for (Rule rule : statusRules) {
            rows[rule.status()] = rule;
        }
        return rows;
    }

    private static Rule[] classTable(List<Rule> classRules) {
        Rule[] byClass = new Rule[6];
        for (Rule rule : classRules) {
            byClass[rule.status() / 100] = rule;
        }
        return byClass;
    }

    /**
     * The rule that applies to {@code status}: its own row, or its class's rule when it has none.
     *
     * @throws IllegalArgumentException if the status is not 100 to 599
     */
    public Rule rule(int status) {
        if (!HttpStatus.isValid(status)) {
            throw new IllegalArgumentException("an HTTP status is 100 to 599, was " + status);
        }
        Rule row = rows[status];
        return row != null ? row : classRules[status / 100];
    }

    /** Whether {@code status} has a row of its own (rather than falling back to its class's rule). */
    public boolean hasRow(int status) {
        return HttpStatus.isValid(status) && rows[status] != null;
    }

    /** The rule for a status class (1 to 5), which covers the statuses without a row. */
    public Rule classRule(int statusClass) {
        if (statusClass < 1 || statusClass > 5) {
            throw new IllegalArgumentException("a status class is 1 to 5, was " + statusClass);
        }
        return classRules[statusClass];
    }

    /** The rule for a transport failure: no response at all. */
    public Rule transportFailureRule() {
        return transportFailure;
    }

    /** Every row, in status order, followed by nothing else; see {@link #classRules()}. */
    public List<Rule> rows() {
        List<Rule> list = new ArrayList<>();
        for (Rule rule : rows) {
            if (rule != null) {
                list.add(rule);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** The five class rules, 1xx to 5xx. */
    public List<Rule> classRules() {
        return List.of(classRules[1], classRules[2], classRules[3], classRules[4], classRules[5]);
    }

    /**
     * The table as a reader sees it: class rules placed before their class's rows (1xx, 2xx,
     * 3xx rule then 300, 301, ...).
     */
    public List<Rule> table() {
        List<Rule> list = new ArrayList<>();
        for (int c = 1; c <= 5; c++) {
            list.add(classRules[c]);
            for (int status = c * 100; status < c * 100 + 100; status++) {
                if (rows[status] != null) {
                    list.add(rows[status]);
                }
            }
        }
        return Collections.unmodifiableList(list);
    }

    public Limits limits() {
        return limits;
    }

    public RedirectSafety redirectSafety() {
        return redirectSafety;
    }

    /** The route scopes, in the order they are matched. */
    public List<ScopedPolicy> routes() {
        return routes;
    }

    /**
     * The policy for one request: the first route scope that matches, or this policy.
     * Allocates nothing when there are no routes.
     */
    public Policy forRequest(String method, URI uri) {
        if (routes.isEmpty()) {
            return this;
        }
        for (ScopedPolicy scoped : routes) {
            if (scoped.route().matches(method, uri)) {
                return scoped.policy();
            }
        }
        return this;
    }

    /** A copy with {@code rule} as the row for its status (or as its class's rule for a class rule). */
    public Policy withRule(Rule rule) {
        Objects.requireNonNull(rule, "rule");
        if (rule.wholeClass()) {
            Rule[] classes = classRules.clone();
            classes[rule.status() / 100] = rule;
            return new Policy(rows, classes, transportFailure, limits, redirectSafety, routes);
        }
        Rule[] copy = rows.clone();
        copy[rule.status()] = rule;
        return new Policy(copy, classRules, transportFailure, limits, redirectSafety, routes);
    }

    /**
     * A copy with a row for {@code status} made by {@code change} from the rule that applies to it
     * now. Unlike {@code withRule(rule(status).with...)}, this never changes a class rule: a status
     * without a row of its own gets one.
     */
    public Policy withRule(int status, UnaryOperator<Rule> change) {
        Rule current = rule(status);
        Rule base = current.wholeClass() ? current.forStatus(status, false) : current;
        Rule changed = Objects.requireNonNull(change.apply(base), "the changed rule");
        if (changed.status() != status || changed.wholeClass()) {
            throw new IllegalArgumentException("the change must keep the rule's status " + status + ", gave "
                    + changed.key());
        }
        return withRule(changed);
    }

    /**
     * A copy where the whole class of {@code template} (its status's first digit) follows the
     * template: every row of the class and the class rule take its handling, grade and words.
     */
    public Policy withClass(Rule template) {
        Objects.requireNonNull(template, "template");
        int statusClass = template.status() / 100;
        Rule[] copy = rows.clone();
        for (int status = statusClass * 100; status < statusClass * 100 + 100; status++) {
            if (copy[status] != null) {
                copy[status] = template.forStatus(status, false);
            }
        }
        Rule[] classes = classRules.clone();
        classes[statusClass] = template.forStatus(statusClass * 100, true);
        return new Policy(copy, classes, transportFailure, limits, redirectSafety, routes);
    }

    /** A copy without the row for {@code status}, so its class's rule applies to it. */
    public Policy withoutRow(int status) {
        if (!hasRow(status)) {
            return this;
        }
        Rule[] copy = rows.clone();
        copy[status] = null;
        return new Policy(copy, classRules, transportFailure, limits, redirectSafety, routes);
    }

    /** A copy with another rule for transport failures. */
    public Policy withTransportFailureRule(Rule rule) {
        return new Policy(rows, classRules, Objects.requireNonNull(rule, "rule"), limits, redirectSafety, routes);
    }

    public Policy withLimits(Limits newLimits) {
        return new Policy(rows, classRules, transportFailure, Objects.requireNonNull(newLimits, "limits"),
                redirectSafety, routes);
    }

    /** A copy with limits derived from the current ones, e.g. {@code l -> l.withMaxAttempts(3)}. */
    public Policy withLimits(UnaryOperator<Limits> change) {
        return withLimits(change.apply(limits));
    }

    public Policy withRedirectSafety(RedirectSafety safety) {
        return new Policy(rows, classRules, transportFailure, limits, Objects.requireNonNull(safety, "safety"),
                routes);
    }

    /**
     * A copy with a route scope added after the existing ones: requests that match {@code route}
     * follow {@code change} applied to this policy (without its routes).
     */
    public Policy withRoute(Route route, UnaryOperator<Policy> change) {
        Objects.requireNonNull(route, "route");
        Policy base = withoutRoutes();
        Policy scoped = Objects.requireNonNull(change.apply(base), "the route's policy").withoutRoutes();
        List<ScopedPolicy> list = new ArrayList<>(routes);
        list.add(new ScopedPolicy(route, scoped));
        return new Policy(rows, classRules, transportFailure, limits, redirectSafety, List.copyOf(list));
    }

    /** A copy with no route scopes. */
    public Policy withoutRoutes() {
        return routes.isEmpty() ? this
                : new Policy(rows, classRules, transportFailure, limits, redirectSafety, List.of());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Policy that
                && Arrays.equals(rows, that.rows)
                && Arrays.equals(classRules, that.classRules)
                && transportFailure.equals(that.transportFailure)
                && limits.equals(that.limits)
                && redirectSafety.equals(that.redirectSafety)
                && routes.equals(that.routes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(rows), Arrays.hashCode(classRules), transportFailure, limits,
                redirectSafety, routes);
    }

    @Override
    public String toString() {
        return "Policy[" + rows().size() + " rows, " + limits + ", " + redirectSafety + ", "
                + routes.size() + " routes]";
    }

    /**
     * A route and the complete policy that applies to requests in it.
     *
     * @param route  which requests
     * @param policy the policy for them (it has no routes of its own)
     */
    public record ScopedPolicy(Route route, Policy policy) {
        public ScopedPolicy {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(policy, "policy");
        }
    }
}
