package io.statuspolicy.config;

import static io.statuspolicy.config.NodeReader.describe;
import static io.statuspolicy.config.NodeReader.isNull;
import static io.statuspolicy.config.NodeReader.quote;

import io.statuspolicy.config.NodeReader.Entry;
import io.statuspolicy.policy.Backoff;
import io.statuspolicy.policy.Grade;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Limits;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Provenance;
import io.statuspolicy.policy.RedirectSafety;
import io.statuspolicy.policy.CircuitBreakerSettings;
import io.statuspolicy.policy.RetryBudgetSettings;
import io.statuspolicy.policy.Route;
import io.statuspolicy.policy.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Turns policy-file text into a {@link Policy}. {@link NodeReader} composes the text into a node
 * tree (every node keeps its line and column) and reads keys and scalars; this class gives them
 * their meaning, and hands every value to the core's validating constructors, so that a refused
 * value becomes a {@link PolicyFileException} at the node that gave it.
 *
 * <p>One instance reads one text; not thread-safe, and not meant to be kept.
 */
final class PolicyReader {

    /** {@code redis} is read by {@link RedisSectionReader}, not into the policy. */
    static final List<String> TOP_KEYS = List.of("limits", "redirectSafety", "rules", "routes", "redis");
    static final List<String> ROUTE_KEYS = List.of("route", "limits", "redirectSafety", "rules");
    static final List<String> LIMITS_KEYS = List.of("maxAttempts", "backoff", "retryAfterCap", "deadline",
            "maxRedirects", "awaitResource", "retryBudget", "hostHolds", "circuitBreaker");
    static final List<String> BACKOFF_KEYS = List.of("initialDelay", "multiplier", "maxDelay", "jitter");
    static final List<String> BUDGET_KEYS = List.of("enabled", "ratio", "minRetries", "window", "credit");
    static final List<String> BREAKER_KEYS = List.of("enabled", "failures", "openFor");
    static final List<String> SAFETY_KEYS = List.of("allowHttpsToHttp", "followUnsafeMethodsAcrossOrigins",
            "targetFilter");
    static final List<String> RULE_KEYS = List.of("handling", "grade", "description", "descriptionSv",
            "maxRetries", "requestNotProcessed", "reference", "provenance");
    /** The transport rule may also be re-keyed to another status (it is 503 in the guideline). */
    static final List<String> TRANSPORT_KEYS = concat(List.of("status"), RULE_KEYS);
    /** A class entry may keep the class's rows and change only the rule for its other statuses. */
    static final String KEEP_ROWS = "keepRows";
    static final List<String> CLASS_KEYS = concat(RULE_KEYS, List.of(KEEP_ROWS));

    /** The value of a status entry that removes the status's own row, so its class rule applies. */
    static final String CLASS_RULE = "class-rule";
    /** The value of {@code maxRetries} that means {@link Rule#POLICY_LIMIT}. */
    static final String POLICY_LIMIT = "policy";
    static final String TRANSPORT = "transport";

    private static final String STATUS_KEY_EXPECTED =
            "a status from 100 to 599, a class from 1xx to 5xx, or " + TRANSPORT;

    private final NodeReader nodes;

    private PolicyReader(String source) {
        this.nodes = new NodeReader(source);
    }

    static Policy read(String yaml, String source) {
        return read(yaml, source, Policy.guideline());
    }

    static Policy read(String yaml, String source, Policy start) {
        return new PolicyReader(source).readDocument(yaml, start);
    }

    private Policy readDocument(String yaml, Policy start) {
        Optional<Node> root = nodes.compose(yaml);
        if (root.isEmpty() || isNull(root.get())) {
            return start;
        }
        Node document = root.get();
        if (!(document instanceof MappingNode)) {
            throw nodes.error(document, "", "a mapping with the keys " + String.join(", ", TOP_KEYS),
                    describe(document), null);
        }
        Map<String, Entry> top = nodes.entries(document, "", TOP_KEYS);
        Policy base = applySections(start, top);
        Entry routes = top.get("routes");
        return routes == null ? base : readRoutes(routes, base);
    }

    // ---------------------------------------------------------------- sections

    /** Applies limits, redirectSafety and rules (whichever are present) to {@code policy}. */
    private Policy applySections(Policy policy, Map<String, Entry> sections) {
        Policy result = policy;
        Entry limits = sections.get("limits");
        if (limits != null) {
            result = result.withLimits(readLimits(limits, result.limits()));
        }
        Entry safety = sections.get("redirectSafety");
        if (safety != null) {
            result = result.withRedirectSafety(readSafety(safety, result.redirectSafety()));
        }
        Entry rules = sections.get("rules");
        if (rules != null) {
            result = readRules(rules, result);
        }
        return result;
    }

    private Policy readRoutes(Entry routes, Policy base) {
        if (isNull(routes.value())) {
            return base;
        }
        if (!(routes.value() instanceof SequenceNode list)) {
            throw nodes.error(routes.value(), routes.path(), "a list of routes, each a mapping with the keys "
                    + String.join(", ", ROUTE_KEYS), describe(routes.value()), null);
        }
        Policy result = base;
        List<Node> items = list.getValue();
        for (int i = 0; i < items.size(); i++) {
            String path = routes.path() + "[" + i + "]";
            Node item = items.get(i);
            if (!(item instanceof MappingNode)) {
                throw nodes.error(item, path, "a mapping with the keys " + String.join(", ", ROUTE_KEYS),
                        describe(item), null);
            }
            Map<String, Entry> sections = nodes.entries(item, path, ROUTE_KEYS);
            Entry routeEntry = sections.get("route");
            if (routeEntry == null) {
                throw nodes.error(item, path + ".route", "a route such as \"GET /cases/{id}\"", "nothing", null);
            }
            Route route = route(routeEntry);
            result = result.withRoute(route, scoped -> applySections(scoped, sections));
        }
        return result;
    }

    private Route route(Entry entry) {
        String text = nodes.scalar(entry, "a route such as \"GET /cases/{id}\"");
        try {
            return Route.parse(text);
        } catch (IllegalArgumentException e) {
            throw nodes.error(entry.value(), entry.path(), e.getMessage(), describe(entry.value()), e);
        }
    }

    private Limits readLimits(Entry section, Limits current) {
        Draft draft = new Draft();
        for (Entry entry : nodes.entries(section.value(), section.path(), LIMITS_KEYS).values()) {
            draft.put(entry, switch (entry.name()) {
                case "maxAttempts", "maxRedirects" -> nodes.wholeNumber(entry,
                        entry.name().equals("maxAttempts") ? "a whole number >= 1" : "a whole number >= 0");
                case "backoff" -> readBackoff(entry, current.backoff());
                case "retryBudget" -> readBudget(entry, current.retryBudget());
                case "hostHolds" -> nodes.bool(entry);
                case "circuitBreaker" -> readBreaker(entry, current.circuitBreaker());
                default -> nodes.duration(entry);
            });
        }
        return build(draft, section, d -> new Limits(
                d.get("maxAttempts", current.maxAttempts()),
                d.get("backoff", current.backoff()),
                d.get("retryAfterCap", current.retryAfterCap()),
                d.get("deadline", current.deadline()),
                d.get("maxRedirects", current.maxRedirects()),
                d.get("awaitResource", current.awaitResource()),
                d.get("retryBudget", current.retryBudget()),
                d.get("hostHolds", current.hostHolds()),
                d.get("circuitBreaker", current.circuitBreaker())));
    }

    private CircuitBreakerSettings readBreaker(Entry section, CircuitBreakerSettings current) {
        Draft draft = new Draft();
        for (Entry entry : nodes.entries(section.value(), section.path(), BREAKER_KEYS).values()) {
            draft.put(entry, switch (entry.name()) {
                case "enabled" -> nodes.bool(entry);
                case "failures" -> nodes.wholeNumber(entry, "a whole number from 1 to 10000");
                default -> nodes.duration(entry);
            });
        }
        return build(draft, section, d -> new CircuitBreakerSettings(
                d.get("enabled", current.enabled()),
                d.get("failures", current.failures()),
                d.get("openFor", current.openFor())));
    }

    private Backoff readBackoff(Entry section, Backoff current) {
        Draft draft = new Draft();
        for (Entry entry : nodes.entries(section.value(), section.path(), BACKOFF_KEYS).values()) {
            draft.put(entry, switch (entry.name()) {
                case "multiplier" -> nodes.number(entry, "a number >= 1");
                case "jitter" -> nodes.number(entry, "a number from 0 to 1");
                default -> nodes.duration(entry);
            });
        }
        return build(draft, section, d -> {
            Duration initial = d.get("initialDelay", current.initialDelay());
            // As Backoff.withInitialDelay does: a larger initial delay lifts the old maxDelay with it,
            // unless the file sets maxDelay too.
            Duration max = d.has("maxDelay") ? d.get("maxDelay", current.maxDelay())
                    : current.maxDelay().compareTo(initial) < 0 ? initial : current.maxDelay();
            return new Backoff(initial, d.get("multiplier", current.multiplier()), max,
                    d.get("jitter", current.jitter()));
        });
    }

    private RetryBudgetSettings readBudget(Entry section, RetryBudgetSettings current) {
        Draft draft = new Draft();
        for (Entry entry : nodes.entries(section.value(), section.path(), BUDGET_KEYS).values()) {
            draft.put(entry, switch (entry.name()) {
                case "enabled" -> nodes.bool(entry);
                case "ratio" -> nodes.number(entry, "a number from 0 to 1000");
                case "minRetries" -> nodes.wholeNumber(entry, "a whole number >= 0");
                case "credit" -> nodes.number(entry, "a number from 0 to 1000");
                default -> nodes.duration(entry);
            });
        }
        return build(draft, section, d -> new RetryBudgetSettings(
                d.get("enabled", current.enabled()),
                d.get("ratio", current.ratio()),
                d.get("minRetries", current.minRetries()),
                d.get("window", current.window()),
                d.get("credit", current.credit())));
    }

    private RedirectSafety readSafety(Entry section, RedirectSafety current) {
        RedirectSafety result = current;
        for (Entry entry : nodes.entries(section.value(), section.path(), SAFETY_KEYS).values()) {
            switch (entry.name()) {
                case "allowHttpsToHttp" -> result = result.withAllowHttpsToHttp(nodes.bool(entry));
                case "followUnsafeMethodsAcrossOrigins" ->
                        result = result.withFollowUnsafeMethodsAcrossOrigins(nodes.bool(entry));
                default -> result = result.withTargetFilter(
                        nodes.enumValue(entry, io.statuspolicy.policy.RedirectTargetFilter.class));
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- rules

    /**
     * Class entries first (each is {@link Policy#withClass}, which rewrites the rows of its class,
     * or with {@code keepRows: true} just {@link Policy#withRule} of the class rule), then status
     * entries, then the transport rule, whatever their order in the file: the result
     * does not depend on how the mapping happens to be ordered.
     */
    private Policy readRules(Entry section, Policy policy) {
        Map<Integer, Entry> classes = new TreeMap<>();
        Map<Integer, Entry> statuses = new TreeMap<>();
        Entry transport = null;
        for (Entry entry : nodes.entries(section.value(), section.path(), null).values()) {
            String key = entry.name();
            if (key.equals(TRANSPORT)) {
                transport = entry;
            } else if (key.matches("[1-5]xx")) {
                classes.put(key.charAt(0) - '0', entry);
            } else if (key.matches("[1-5][0-9][0-9]")) {
                statuses.put(Integer.parseInt(key), entry);
            } else {
                throw nodes.error(entry.key(), entry.path(), STATUS_KEY_EXPECTED, quote(key), null);
            }
        }
        Policy result = policy;
        for (Map.Entry<Integer, Entry> c : classes.entrySet()) {
            Rule template = editRule(c.getValue(), result.classRule(c.getKey()), CLASS_KEYS);
            result = keepRows(c.getValue()) ? result.withRule(template) : result.withClass(template);
        }
        for (Map.Entry<Integer, Entry> s : statuses.entrySet()) {
            int status = s.getKey();
            Entry entry = s.getValue();
            if (entry.value() instanceof ScalarNode scalar && !isNull(scalar)) {
                if (!scalar.getValue().equalsIgnoreCase(CLASS_RULE)) {
                    throw nodes.error(scalar, entry.path(), "a mapping of rule fields (" + String.join(", ", RULE_KEYS)
                            + ") or " + CLASS_RULE, describe(scalar), null);
                }
                result = result.withoutRow(status);
            } else {
                Rule start = result.hasRow(status) ? result.rule(status)
                        : result.classRule(status / 100).forStatus(status, false);
                result = result.withRule(editRule(entry, start, RULE_KEYS));
            }
        }
        if (transport != null) {
            result = result.withTransportFailureRule(editRule(transport, result.transportFailureRule(),
                    TRANSPORT_KEYS));
        }
        return result;
    }

    private boolean keepRows(Entry classEntry) {
        Entry flag = nodes.entries(classEntry.value(), classEntry.path(), CLASS_KEYS).get(KEEP_ROWS);
        return flag != null && nodes.bool(flag);
    }

    /**
     * The rule {@code current} with the entry's fields changed. Like every {@code Rule.with...}
     * method, a change makes the rule the user's ({@link Provenance#USER}) unless the entry names
     * a provenance itself; an empty entry leaves the rule as it is.
     */
    private Rule editRule(Entry section, Rule current, List<String> allowed) {
        Draft draft = new Draft();
        for (Entry entry : nodes.entries(section.value(), section.path(), allowed).values()) {
            if (entry.name().equals(KEEP_ROWS)) {
                continue; // not a field of the rule; see keepRows
            }
            draft.put(entry, switch (entry.name()) {
                case "status" -> ruleStatus(entry);
                case "handling" -> nodes.enumValue(entry, Handling.class);
                case "grade" -> nodes.enumValue(entry, Grade.class);
                case "provenance" -> nodes.enumValue(entry, Provenance.class);
                case "description", "reference" -> nodes.scalar(entry, "text");
                case "descriptionSv" -> isNull(entry.value()) ? NO_VALUE : nodes.scalar(entry, "text or null");
                case "requestNotProcessed" -> nodes.bool(entry);
                default -> maxRetries(entry);
            });
        }
        boolean edited = draft.size() > (draft.has("provenance") ? 1 : 0);
        return build(draft, section, d -> {
            RuleKey key = d.get("status", new RuleKey(current.status(), current.wholeClass()));
            Object swedish = d.get("descriptionSv", current.descriptionSv());
            return new Rule(key.status(), key.wholeClass(),
                    d.get("handling", current.handling()),
                    d.get("grade", current.grade()),
                    d.get("provenance", edited ? Provenance.USER : current.provenance()),
                    d.get("reference", current.reference()),
                    d.get("description", current.description()),
                    swedish == NO_VALUE ? null : (String) swedish,
                    d.get("requestNotProcessed", current.requestNotProcessed()),
                    d.get("maxRetries", current.maxRetries()));
        });
    }

    /**
     * What a rule is keyed by.
     *
     * @param status     the status, or the class's x00
     * @param wholeClass whether it is a class rule
     */
    private record RuleKey(int status, boolean wholeClass) {
    }

    /** A status such as 503, or a class such as 5xx. */
    private RuleKey ruleStatus(Entry entry) {
        String text = nodes.scalar(entry, "a status from 100 to 599 or a class from 1xx to 5xx");
        if (text.matches("[1-5][0-9][0-9]")) {
            return new RuleKey(Integer.parseInt(text), false);
        }
        if (text.matches("[1-5]xx")) {
            return new RuleKey((text.charAt(0) - '0') * 100, true);
        }
        throw nodes.error(entry.value(), entry.path(), "a status from 100 to 599 or a class from 1xx to 5xx",
                describe(entry.value()), null);
    }

    private int maxRetries(Entry entry) {
        String expected = "a whole number >= 0 or " + POLICY_LIMIT;
        String text = nodes.scalar(entry, expected);
        if (text.equalsIgnoreCase(POLICY_LIMIT)) {
            return Rule.POLICY_LIMIT;
        }
        int value = nodes.wholeNumber(entry, expected);
        if (value < 0) {
            throw nodes.error(entry.value(), entry.path(), expected, describe(entry.value()), null);
        }
        return value;
    }

    // ---------------------------------------------------------------- building values

    /** Stands for an explicit null (a Swedish description removed). */
    private static final Object NO_VALUE = new Object();

    /** The fields a mapping gives, in file order, with the nodes they came from. */
    private static final class Draft {
        private final List<Entry> entries = new ArrayList<>();
        private final List<Object> values = new ArrayList<>();

        void put(Entry entry, Object value) {
            entries.add(entry);
            values.add(value);
        }

        int size() {
            return entries.size();
        }

        boolean has(String name) {
            return entries.stream().anyMatch(e -> e.name().equals(name));
        }

        @SuppressWarnings("unchecked")
        <V> V get(String name, V fallback) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).name().equals(name)) {
                    return (V) values.get(i);
                }
            }
            return fallback;
        }

        Draft prefix(int count) {
            Draft draft = new Draft();
            draft.entries.addAll(entries.subList(0, count));
            draft.values.addAll(values.subList(0, count));
            return draft;
        }
    }

    /**
     * Builds the value through the core's validating constructor. When the core refuses it, the
     * blame goes to the first field (in file order) whose addition makes the value invalid, so
     * the error points at a line the user wrote.
     */
    private <T> T build(Draft draft, Entry section, Function<Draft, T> constructor) {
        try {
            return constructor.apply(draft);
        } catch (IllegalArgumentException refused) {
            for (int count = 1; count <= draft.size(); count++) {
                try {
                    constructor.apply(draft.prefix(count));
                } catch (IllegalArgumentException e) {
                    Entry culprit = draft.entries.get(count - 1);
                    throw nodes.error(culprit.value(), culprit.path(), e.getMessage(), describe(culprit.value()), e);
                }
            }
            throw nodes.error(section.value(), section.path(), refused.getMessage(), describe(section.value()),
                    refused);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
