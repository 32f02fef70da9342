package io.statuspolicy.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a policy as a table, so that documentation comes from the same data the engine runs
 * on. The README's guideline table is {@code PolicyTable.markdown(Policy.guideline())}.
 */
public final class PolicyTable {
    private static final String[] HEADER = {"Status", "Handling", "Retry", "Source", "What the client does"};

    private PolicyTable() {
    }

    /** The rules as a GitHub-flavoured Markdown table, then the limits as a list. */
    public static String markdown(Policy policy) {
        StringBuilder out = new StringBuilder();
        out.append('|').append(String.join("|", HEADER)).append("|\n");
        out.append("|---|---|---|---|---|\n");
        for (List<String> row : rows(policy)) {
            out.append('|');
            for (String cell : row) {
                out.append(cell.replace("|", "\\|")).append('|');
            }
            out.append('\n');
        }
        out.append('\n');
        for (String line : limits(policy)) {
            out.append("- ").append(line).append('\n');
        }
        if (!policy.routes().isEmpty()) {
            out.append("\nRoutes (first match wins):\n\n");
            for (Policy.ScopedPolicy route : policy.routes()) {
                out.append("- `").append(route.route()).append("`\n");
            }
        }
        return out.toString();
    }

    /** The rules as a plain-text table with aligned columns, then the limits. */
    public static String text(Policy policy) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(HEADER));
        rows.addAll(rows(policy));
        int[] width = new int[HEADER.length];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), width[i] + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n');
        for (String line : limits(policy)) {
            out.append(line).append('\n');
        }
        for (Policy.ScopedPolicy route : policy.routes()) {
            out.append("route ").append(route.route()).append('\n');
        }
        return out.toString();
    }

    /** One row per rule: class rules before their class's rows, the transport rule last. */
    static List<List<String>> rows(Policy policy) {
        List<List<String>> rows = new ArrayList<>();
        for (Rule rule : policy.table()) {
            rows.add(row(rule.title(), rule));
        }
        rows.add(row("transport failure", policy.transportFailureRule()));
        return rows;
    }

    private static List<String> row(String title, Rule rule) {
        String handling = rule.handling().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        String source = rule.provenance() == Provenance.GUIDELINE ? "guideline" : rule.reference();
        return List.of(title, handling, rule.grade().word(), source, rule.description());
    }

    private static List<String> limits(Policy policy) {
        Limits limits = policy.limits();
        Backoff backoff = limits.backoff();
        RetryBudgetSettings budget = limits.retryBudget();
        RedirectSafety safety = policy.redirectSafety();
        return List.of(
                "attempts: at most " + limits.maxAttempts() + " in total",
                "backoff: " + duration(backoff.initialDelay()) + " × " + number(backoff.multiplier())
                        + " per retry, at most " + duration(backoff.maxDelay()) + ", jitter ±"
                        + Math.round(backoff.jitter() * 100) + " %",
                "Retry-After: honoured up to " + duration(limits.retryAfterCap()) + "; longer fails at once",
                "deadline: " + duration(limits.deadline()) + " for the whole call",
                "redirects: at most " + limits.maxRedirects() + "; HTTPS to HTTP "
                        + (safety.allowHttpsToHttp() ? "allowed" : "refused")
                        + "; unsafe methods across origins "
                        + (safety.followUnsafeMethodsAcrossOrigins() ? "followed" : "refused"),
                "404: " + (limits.awaitResource().isZero() ? "not awaited unless a request or route asks"
                        : "awaited for " + duration(limits.awaitResource())),
                "retry budget: " + (!budget.enabled() ? "off" : budget.banked()
                        ? "per host, each success banks " + Math.round(budget.ratio() * 100) + " % of a retry (and gives "
                        + "back its own retries), the bank holding at most " + number(budget.credit())
                        + " per request of the last " + duration(budget.window()) + "; " + budget.minRetries()
                        + " to start with"
                        : "retries at most " + Math.round(budget.ratio() * 100) + " % of requests per host, plus "
                        + budget.minRetries() + ", over " + duration(budget.window())),
                "host holds: " + (limits.hostHolds() ? "a 503's Retry-After holds the origin, a 429's the origin for "
                        + "those credentials, for every call; one probe goes first when the hold ends" : "off"),
                "circuit breaker: " + (limits.circuitBreaker().enabled() ? "opens after "
                        + limits.circuitBreaker().failures() + " failed calls in a row to an origin, for "
                        + duration(limits.circuitBreaker().openFor()) + ", then one probe" : "off"));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** "500 ms", "10 s", "2 min". */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0 s";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return millis + " ms";
    }
}
