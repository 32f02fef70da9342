package io.statuspolicy.spring.boot;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.decision.AttemptState;
import io.statuspolicy.decision.Decider;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.RequestFacts;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.RedirectStore;
import io.statuspolicy.policy.HttpStatus;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Rule;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The actuator endpoint {@code statuspolicy}: the policy table of the application and of each
 * named client, budget use per origin, the learned permanent redirects (URIs without query or
 * user info; the principal shown only as "with credentials"), {@code explain} of one status, and
 * forgetting learned redirects. Like every endpoint but {@code health}, it is not exposed over
 * HTTP unless {@code management.endpoints.web.exposure.include} names it.
 *
 * <ul>
 *   <li>{@code GET /actuator/statuspolicy}: everything above but explanations;</li>
 *   <li>{@code GET /actuator/statuspolicy/503?client=payments}: what the policy does on a 503, for a
 *       GET and for a POST without an idempotency key, as the decision function explains it;</li>
 *   <li>{@code DELETE /actuator/statuspolicy?uri=https://api.example/old&client=payments}: forgets the
 *       redirects learned from that URI (every principal's); without {@code uri}, all of them.</li>
 * </ul>
 */
@Endpoint(id = "statuspolicy")
public class StatusPolicyEndpoint {
    /** The most origins and redirects listed per client, so a large store makes no large answer. */
    static final int LIST_LIMIT = 200;
    static final String APPLICATION = "application";
    private static final URI EXAMPLE = URI.create("https://api.example/resource");

    private final StatusPolicyClients clients;

    public StatusPolicyEndpoint(StatusPolicyClients clients) {
        this.clients = clients;
    }

    @ReadOperation
    public Map<String, Object> statusPolicy() {
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> all = new LinkedHashMap<>();
        all.put(APPLICATION, describe(clients.applicationEngine()));
        clients.names().forEach(name -> all.put(name, describe(clients.engine(name))));
        result.put("clients", all);
        return result;
    }

    @ReadOperation
    public Map<String, Object> explain(@Selector int status, @Nullable String client) {
        if (!HttpStatus.isValid(status)) {
            throw new IllegalArgumentException("a status from 100 to 599, was " + status);
        }
        PolicyEngine engine = engineOf(client);
        Policy policy = engine.policy();
        Rule rule = policy.rule(status);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("client", client == null ? APPLICATION : client);
        result.put("status", HttpStatus.describe(status));
        result.put("rule", rule(rule));
        result.put("GET", firstDecision(policy, "GET", status));
        result.put("POST", firstDecision(policy, "POST", status));
        return result;
    }

    @DeleteOperation
    public Map<String, Object> forgetRedirects(@Nullable String uri, @Nullable String client) {
        RedirectStore store = engineOf(client).redirectStore();
        int forgotten = 0;
        for (String key : store.entries(Integer.MAX_VALUE).keySet()) {
            if (uri == null || fromUri(key).equals(withoutFragment(uri))) {
                store.forget(key);
                forgotten++;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("client", client == null ? APPLICATION : client);
        result.put("forgotten", forgotten);
        return result;
    }

    private PolicyEngine engineOf(@Nullable String client) {
        if (client == null || client.equals(APPLICATION)) {
            return clients.applicationEngine();
        }
        if (!clients.hasOwnPolicy(client)) {
            throw new IllegalArgumentException("no client named " + client + " has a policy of its own; the names are "
                    + clients.names());
        }
        return clients.engine(client);
    }

    private static Map<String, Object> describe(PolicyEngine engine) {
        Policy policy = engine.policy();
        Map<String, Object> result = new LinkedHashMap<>();
        var limits = policy.limits();
        Map<String, Object> limitMap = new LinkedHashMap<>();
        limitMap.put("maxAttempts", limits.maxAttempts());
        limitMap.put("deadline", limits.deadline().toString());
        limitMap.put("retryAfterCap", limits.retryAfterCap().toString());
        limitMap.put("maxRedirects", limits.maxRedirects());
        limitMap.put("retryBudget", limits.retryBudget().toString());
        limitMap.put("circuitBreaker", limits.circuitBreaker().toString());
        result.put("limits", limitMap);
        List<Object> table = new ArrayList<>();
        policy.table().forEach(rule -> table.add(rule(rule)));
        result.put("rules", table);
        List<String> routes = new ArrayList<>();
        policy.routes().forEach(scoped -> routes.add(scoped.route().toString()));
        result.put("routes", routes);
        long now = engine.clock().millis();
        Map<String, Object> budgets = new LinkedHashMap<>();
        engine.decider().budget().usage(now, LIST_LIMIT).forEach((origin, usage) -> budgets.put(origin, Map.of(
                "requests", usage.requests(), "retries", usage.retries(),
                "retriesAvailable", usage.retriesAvailable())));
        result.put("budget", budgets);
        List<Object> redirects = new ArrayList<>();
        engine.redirectStore().entries(LIST_LIMIT).forEach((key, moved) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("from", redact(fromUri(key)));
            entry.put("to", redact(moved.target().toString()));
            entry.put("status", moved.status());
            entry.put("withCredentials", key.contains(" principal="));
            entry.put("expires", Instant.ofEpochMilli(moved.expiresAtMillis()).toString());
            redirects.add(entry);
        });
        result.put("learnedRedirects", redirects);
        return result;
    }

    private static Map<String, Object> rule(Rule rule) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("key", rule.key());
        map.put("title", rule.title());
        map.put("handling", rule.handling().name());
        map.put("grade", rule.grade().name());
        map.put("maxRetries", rule.maxRetries() == Rule.POLICY_LIMIT ? "policy" : rule.maxRetries());
        map.put("says", rule.says());
        map.put("provenance", rule.provenance().name());
        return map;
    }

    /** What the decision function says to the first response with this status, in its own words. */
    private static String firstDecision(Policy policy, String method, int status) {
        Decider decider = new Decider(policy, java.time.Clock.systemUTC(), new Midpoint(), RetryBudget.unlimited());
        RequestFacts facts = RequestFacts.of(method, EXAMPLE).withOriginCredentials(true);
        if (!method.equals("GET")) {
            facts = facts.withBody(true, true);
        }
        AttemptState state = decider.start(facts);
        Decision decision = decider.decide(facts, new Synthetic(status), state);
        return decision.explain();
    }

    /** The URI of a redirect store key: {@code "MOVED <uri>[ principal=<digest>]"}. */
    static String fromUri(String key) {
        String rest = key.startsWith("MOVED ") ? key.substring(6) : key;
        int principal = rest.indexOf(" principal=");
        return principal < 0 ? rest : rest.substring(0, principal);
    }

    private static String withoutFragment(String uri) {
        int hash = uri.indexOf('#');
        return hash < 0 ? uri : uri.substring(0, hash);
    }

    /** Scheme, host, port and path only: a query or user info may carry a secret. */
    static String redact(String uri) {
        try {
            URI parsed = URI.create(uri);
            String query = parsed.getRawQuery() == null ? "" : "?***";
            String port = parsed.getPort() < 0 ? "" : ":" + parsed.getPort();
            return parsed.getScheme() + "://" + parsed.getHost() + port
                    + (parsed.getRawPath() == null ? "" : parsed.getRawPath()) + query;
        } catch (IllegalArgumentException e) {
            return "(not a URI)";
        }
    }

    /** A response of one status, with a Location for a redirect and nothing else. */
    private record Synthetic(int status) implements ResponseFacts {
        @Override
        public List<String> headerValues(String name) {
            return name.equalsIgnoreCase("Location") && status / 100 == 3 ? List.of("/elsewhere") : List.of();
        }
    }

    /** Jitter at its middle, so an explanation reads the same every time. */
    private static final class Midpoint implements RandomGenerator {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public double nextDouble() {
            return 0.5;
        }
    }
}
