package io.statuspolicy.cli;

import io.statuspolicy.policy.Backoff;
import io.statuspolicy.policy.Limits;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.PolicyTable;
import io.statuspolicy.policy.Rule;
import io.statuspolicy.policy.RetryBudgetSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code statuspolicy table}: the whole policy, as text, Markdown or JSON. */
final class TableCommand implements Callable<Integer> {

    /** The output formats. */
    enum Format { text, markdown, json }

    /** The exit codes {@code table --help} lists. */
    static final String EXIT_CODES = """
              0  the table was printed
              2  bad usage or a bad policy file""";

    // The options, set by picocli as the model below binds them.
    Format format;
    Integer width;
    final PolicyOption policyOption = new PolicyOption();

    /** The command's model for picocli, built in code rather than read from annotations (see {@link Specs}). */
    static CommandSpec spec(TableCommand command) {
        CommandSpec spec = Specs.command(command, "table");
        spec.usageMessage().width(100)
                .header("Print the whole policy as a table (text, Markdown or JSON).")
                .description("Print the whole policy: a row per status and class, the transport rule, and the limits.");
        spec.addOption(Specs.option(command, "format", "--format").paramLabel("FORMAT").defaultValue("text")
                .description("text, markdown or json (default: ${DEFAULT-VALUE})").build());
        spec.addOption(Specs.option(command, "width", "--width").paramLabel("COLUMNS")
                .description("fit the text table to this many columns (default: the terminal's width, or 100)").build());
        spec.addOption(PolicyOption.option(command.policyOption));
        Specs.addHelpOptions(spec);
        return spec;
    }

    @Override
    public Integer call() {
        Policy policy = policyOption.policy();
        String text = switch (format) {
            case text -> text(policy, width != null ? Math.max(60, width) : Terminal.width());
            case markdown -> truthful(PolicyTable.markdown(policy));
            case json -> json(policy) + "\n";
        };
        System.out.print(text);
        System.out.flush();
        return ExitCodes.OK;
    }

    /**
     * The rules as a table fitted to {@code columns} (cells wrap at word boundaries), then the
     * limits as the core words them. The rows are the core's {@code PolicyTable} columns.
     */
    static String text(Policy policy, int columns) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Status", "Handling", "Retry", "Source", "What the client does"));
        for (Rule rule : policy.table()) {
            rows.add(row(rule.title(), rule));
        }
        rows.add(row("transport failure", policy.transportFailureRule()));
        StringBuilder out = new StringBuilder(TextTable.render(rows, columns));
        // The core's own text: the rows, a blank line, then the limits and routes.
        String core = truthful(PolicyTable.text(policy));
        int limits = core.indexOf("\n\n");
        for (String line : core.substring(limits + 1).split("\n", -1)) {
            out.append(line.isEmpty() ? "" : String.join("\n  ", TextTable.wrap(line, columns - 2))).append('\n');
        }
        return out.toString().stripTrailing() + "\n";
    }

    private static List<String> row(String title, Rule rule) {
        String handling = rule.handling().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        String source = rule.provenance() == io.statuspolicy.policy.Provenance.GUIDELINE ? "guideline" : source(rule);
        return List.of(title, handling, rule.grade().word(), source, rule.description());
    }

    /** The core's rendering, with the references to a file the repository lacks replaced (see {@link #source}). */
    static String truthful(String table) {
        return table.replace("GUIDELINE.md, ", "statuspolicy: ").replace("GUIDELINE.md", "statuspolicy");
    }

    /** The policy as one JSON object: rules, transport rule, limits, redirect safety, routes. */
    static String json(Policy policy) {
        List<String> rules = new ArrayList<>();
        for (Rule rule : policy.table()) {
            rules.add(rule(rule));
        }
        Limits limits = policy.limits();
        Backoff backoff = limits.backoff();
        RetryBudgetSettings budget = limits.retryBudget();
        String limitsJson = Json.object().field("maxAttempts", limits.maxAttempts())
                .raw("backoff", Json.object().field("initialDelayMillis", backoff.initialDelay().toMillis())
                        .raw("multiplier", number(backoff.multiplier()))
                        .field("maxDelayMillis", backoff.maxDelay().toMillis())
                        .raw("jitter", number(backoff.jitter())).end())
                .field("retryAfterCapMillis", limits.retryAfterCap().toMillis())
                .field("deadlineMillis", limits.deadline().toMillis())
                .field("maxRedirects", limits.maxRedirects())
                .field("awaitResourceMillis", limits.awaitResource().toMillis())
                .raw("retryBudget", Json.object().field("enabled", budget.enabled()).raw("ratio", number(budget.ratio()))
                        .field("minRetries", budget.minRetries()).field("windowMillis", budget.window().toMillis()).end())
                .end();
        List<String> routes = policy.routes().stream().map(r -> Json.quote(r.route().toString())).toList();
        return Json.object()
                .raw("rules", "[" + String.join(",", rules) + "]")
                .raw("transport", rule(policy.transportFailureRule()))
                .raw("limits", limitsJson)
                .raw("redirectSafety", Json.object()
                        .field("allowHttpsToHttp", policy.redirectSafety().allowHttpsToHttp())
                        .field("followUnsafeMethodsAcrossOrigins",
                                policy.redirectSafety().followUnsafeMethodsAcrossOrigins()).end())
                .raw("routes", "[" + String.join(",", routes) + "]")
                .end();
    }

    /**
     * Where a rule comes from, as shown. The core's data cites "GUIDELINE.md" for the rows the
     * product adds (the transport rule), a file this repository does not have: those rows are
     * statuspolicy's own decisions, and are shown so.
     */
    static String source(Rule rule) {
        String reference = rule.reference();
        if (reference.startsWith("GUIDELINE.md")) {
            String rest = reference.substring("GUIDELINE.md".length()).replaceFirst("^[,;:]\\s*", "");
            return "statuspolicy" + (rest.isEmpty() ? "" : ": " + rest);
        }
        return reference;
    }

    private static String rule(Rule rule) {
        return Json.object().field("key", rule.key()).field("title", rule.title()).field("class", rule.wholeClass())
                .field("handling", rule.handling().name()).field("grade", rule.grade().name())
                .field("provenance", rule.provenance().name()).field("reference", source(rule))
                .field("description", rule.description())
                .raw("maxRetries", rule.maxRetries() == Rule.POLICY_LIMIT ? "null" : Integer.toString(rule.maxRetries()))
                .field("requestNotProcessed", rule.requestNotProcessed()).end();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
