package io.statuspolicy.config;

import io.statuspolicy.policy.Backoff;
import io.statuspolicy.policy.Limits;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.RedirectSafety;
import io.statuspolicy.policy.CircuitBreakerSettings;
import io.statuspolicy.policy.RetryBudgetSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@link Policy} as the difference from a base: the guideline at the top level, and the
 * file's own base policy inside each route. {@link PolicyReader} applies such a difference back
 * to the same base, which is what makes {@code read(write(p)).equals(p)} hold.
 *
 * <p>Stateless; the methods are pure functions of their arguments.
 */
final class PolicyWriter {

    private static final String HEADER = """
            # statuspolicy policy file, written by io.statuspolicy.config.PolicyFile.
            # It lists only what differs from the guideline (Policy.guideline()); everything else
            # follows the guideline. The format is described in statuspolicy-config/README.md.
            """;

    private PolicyWriter() {
    }

    static String write(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        Policy base = policy.withoutRoutes();
        StringBuilder body = new StringBuilder();
        sections(Policy.guideline(), base, "", body);
        if (!policy.routes().isEmpty()) {
            body.append("routes:\n");
            for (Policy.ScopedPolicy scoped : policy.routes()) {
                body.append("  - route: ").append(YamlText.quote(scoped.route().toString())).append('\n');
                sections(base, scoped.policy(), "    ", body);
            }
        }
        if (body.length() == 0) {
            return HEADER + "# No overrides: this policy is the guideline.\n";
        }
        return HEADER + "\n" + body;
    }

    /** The limits, redirectSafety and rules sections that turn {@code from} into {@code to}. */
    private static void sections(Policy from, Policy to, String indent, StringBuilder out) {
        Map<String, String> limits = limitsDiff(from.limits(), to.limits());
        block("limits", limits, indent, out);
        block("redirectSafety", safetyDiff(from.redirectSafety(), to.redirectSafety()), indent, out);
        block("rules", RuleDiff.rules(from, to), indent, out);
    }

    private static void block(String name, Map<String, String> entries, String indent, StringBuilder out) {
        if (entries.isEmpty()) {
            return;
        }
        out.append(indent).append(name).append(":\n");
        entries.forEach((key, value) -> out.append(indent).append("  ").append(key).append(": ").append(value)
                .append('\n'));
    }

    private static Map<String, String> limitsDiff(Limits from, Limits to) {
        Map<String, String> out = new LinkedHashMap<>();
        if (from.maxAttempts() != to.maxAttempts()) {
            out.put("maxAttempts", Integer.toString(to.maxAttempts()));
        }
        putFlow(out, "backoff", backoffDiff(from.backoff(), to.backoff()));
        putDuration(out, "retryAfterCap", from.retryAfterCap(), to.retryAfterCap());
        putDuration(out, "deadline", from.deadline(), to.deadline());
        if (from.maxRedirects() != to.maxRedirects()) {
            out.put("maxRedirects", Integer.toString(to.maxRedirects()));
        }
        putDuration(out, "awaitResource", from.awaitResource(), to.awaitResource());
        putFlow(out, "retryBudget", budgetDiff(from.retryBudget(), to.retryBudget()));
        if (from.hostHolds() != to.hostHolds()) {
            out.put("hostHolds", Boolean.toString(to.hostHolds()));
        }
        putFlow(out, "circuitBreaker", breakerDiff(from.circuitBreaker(), to.circuitBreaker()));
        return out;
    }

    private static Map<String, String> breakerDiff(CircuitBreakerSettings from, CircuitBreakerSettings to) {
        Map<String, String> out = new LinkedHashMap<>();
        if (from.enabled() != to.enabled()) {
            out.put("enabled", Boolean.toString(to.enabled()));
        }
        if (from.failures() != to.failures()) {
            out.put("failures", Integer.toString(to.failures()));
        }
        putDuration(out, "openFor", from.openFor(), to.openFor());
        return out;
    }

    private static Map<String, String> backoffDiff(Backoff from, Backoff to) {
        Map<String, String> out = new LinkedHashMap<>();
        putDuration(out, "initialDelay", from.initialDelay(), to.initialDelay());
        putNumber(out, "multiplier", from.multiplier(), to.multiplier());
        putDuration(out, "maxDelay", from.maxDelay(), to.maxDelay());
        putNumber(out, "jitter", from.jitter(), to.jitter());
        return out;
    }

    private static Map<String, String> budgetDiff(RetryBudgetSettings from, RetryBudgetSettings to) {
        Map<String, String> out = new LinkedHashMap<>();
        if (from.enabled() != to.enabled()) {
            out.put("enabled", Boolean.toString(to.enabled()));
        }
        putNumber(out, "ratio", from.ratio(), to.ratio());
        if (from.minRetries() != to.minRetries()) {
            out.put("minRetries", Integer.toString(to.minRetries()));
        }
        putDuration(out, "window", from.window(), to.window());
        putNumber(out, "credit", from.credit(), to.credit());
        return out;
    }

    private static Map<String, String> safetyDiff(RedirectSafety from, RedirectSafety to) {
        Map<String, String> out = new LinkedHashMap<>();
        if (from.allowHttpsToHttp() != to.allowHttpsToHttp()) {
            out.put("allowHttpsToHttp", Boolean.toString(to.allowHttpsToHttp()));
        }
        if (from.followUnsafeMethodsAcrossOrigins() != to.followUnsafeMethodsAcrossOrigins()) {
            out.put("followUnsafeMethodsAcrossOrigins", Boolean.toString(to.followUnsafeMethodsAcrossOrigins()));
        }
        if (from.targetFilter() != to.targetFilter()) {
            out.put("targetFilter", to.targetFilter().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        return out;
    }

    private static void putDuration(Map<String, String> out, String key, Duration from, Duration to) {
        if (!from.equals(to)) {
            out.put(key, Durations.format(to));
        }
    }

    /** Compared as records compare doubles, so even -0.0 against 0.0 is written. */
    private static void putNumber(Map<String, String> out, String key, double from, double to) {
        if (Double.compare(from, to) != 0) {
            out.put(key, Double.toString(to));
        }
    }

    private static void putFlow(Map<String, String> out, String key, Map<String, String> fields) {
        if (!fields.isEmpty()) {
            out.put(key, YamlText.flow(fields));
        }
    }
}
