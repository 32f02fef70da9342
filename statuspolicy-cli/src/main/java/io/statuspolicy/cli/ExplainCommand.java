package io.statuspolicy.cli;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.decision.AttemptState;
import io.statuspolicy.decision.Conditional;
import io.statuspolicy.decision.Decider;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.RequestFacts;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.policy.Grade;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.HttpStatus;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Rule;
import io.statuspolicy.testing.FakeClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statuspolicy explain STATUS}: the rule for a status in words, then what the client
 * would do when every attempt gets that status, computed by the core's decision function with
 * a synthetic response (nominal waits: jitter off, no real time passes).
 */
@Command(name = "explain",
        header = "Explain the rule for one status and what the client would do.",
        mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = "Explain the rule for a status (100-599, or \"transport\" for no response at all) and show "
            + "what the client would do if every attempt got that status.")
final class ExplainCommand implements Callable<Integer> {
    /** The exit codes {@code explain --help} lists. */
    static final String EXIT_CODES = """
              0  explained
              2  bad usage (not a status) or a bad policy file""";

    private static final URI EXAMPLE = URI.create("https://api.example/resource");
    private static final int MAX_STEPS = 30;

    @Parameters(arity = "1..*", paramLabel = "STATUS",
            description = "a status from 100 to 599, or transport; several are explained one after another")
    List<String> statuses;

    /** The status being explained. */
    private String status;

    @Option(names = "--method", paramLabel = "M", defaultValue = "GET",
            description = "the request's method (default: ${DEFAULT-VALUE}); POST, PUT and PATCH carry a body")
    String method;

    @Option(names = "--idempotency-key", description = "the request carries an Idempotency-Key")
    boolean idempotencyKey;

    @Option(names = "--retry-after", paramLabel = "SECONDS", description = "the response carries Retry-After: SECONDS")
    Long retryAfter;

    @Option(names = "--await-resource", paramLabel = "SECONDS", converter = Arguments.SecondsConverter.class,
            description = "the request awaits a 404 for this long")
    Duration awaitResource;

    @Mixin
    PolicyOption policyOption;

    @Override
    public Integer call() {
        Policy policy = policyOption.policy();
        StringBuilder out = new StringBuilder();
        for (String each : statuses) {
            status = each;
            out.append(out.length() == 0 ? "" : "\n").append(explain(policy));
        }
        System.out.print(out);
        System.out.flush();
        return ExitCodes.OK;
    }

    /** The whole explanation. */
    String explain(Policy policy) {
        boolean transport = status.equalsIgnoreCase("transport");
        int code = transport ? 0 : parseStatus(status);
        String verb = method.toUpperCase(Locale.ROOT);
        Policy scoped = policy.forRequest(verb, EXAMPLE);
        Rule rule = transport ? scoped.transportFailureRule() : scoped.rule(code);
        StringBuilder out = new StringBuilder();
        String subject = transport ? "No response (transport failure)" : HttpStatus.describe(code);
        out.append(subject).append('\n');
        if (!transport && rule.wholeClass()) {
            out.append("  no row of its own: the ").append(rule.title()).append(" class rule applies\n");
        }
        out.append("  rule:    ").append(rule.says()).append('\n');
        out.append("  meaning: ").append(rule.description()).append('\n');
        out.append("  source:  ").append(TableCommand.source(rule)).append(" (").append(rule.provenance().name()
                .toLowerCase(Locale.ROOT)).append(")\n");
        String retries = retries(rule, scoped);
        if (retries != null) {
            out.append("  retries: ").append(retries).append('\n');
        }
        out.append('\n').append("What the client does with ").append(verb).append(' ').append(EXAMPLE);
        if (idempotencyKey) {
            out.append(" (with an Idempotency-Key)");
        }
        out.append(transport ? ", when no attempt gets a response:\n" : ", when every attempt gets " + code + ":\n");
        for (String line : walk(policy, code, transport, verb, Conditional.NONE)) {
            out.append("  ").append(line).append('\n');
        }
        if (code == 304) {
            // Which 304 it is depends on who made the request conditional (RFC 9110 §15.4.5).
            out.append("\nWith --state-dir DIR and a stored copy (the cache's own If-None-Match):\n");
            for (String line : walk(policy, code, false, verb, Conditional.BY_CACHE)) {
                out.append("  ").append(line).append('\n');
            }
            out.append("\nWith your own -H 'If-None-Match: ...' (your copy is current; -o FILE is left as it is):\n");
            for (String line : walk(policy, code, false, verb, Conditional.BY_CALLER)) {
                out.append("  ").append(line).append('\n');
            }
        }
        out.append(notes(rule, verb));
        return out.toString();
    }

    /** Each decision, attempt by attempt, until the call ends or leaves this status. */
    List<String> walk(Policy policy, int code, boolean transport, String verb, Conditional conditional) {
        FakeClock clock = new FakeClock(); // stands still until the walk moves it by each wait
        Decider decider = new Decider(policy, clock, new Midpoint(), RetryBudget.unlimited());
        RequestFacts facts = RequestFacts.of(verb, EXAMPLE).withIdempotencyKey(idempotencyKey)
                .withOriginCredentials(true);
        if (verb.equals("POST") || verb.equals("PUT") || verb.equals("PATCH")) {
            facts = facts.withBody(true, code != 411); // a streamed body shows the 411 repair
        }
        if (awaitResource != null) {
            facts = facts.withAwaitResource(awaitResource);
        }
        if (conditional != Conditional.NONE) {
            facts = facts.withConditional(conditional, conditional == Conditional.BY_CACHE);
        }
        ResponseFacts response = synthetic(code);
        AttemptState state = decider.start(facts);
        List<String> lines = new java.util.ArrayList<>();
        for (int step = 1; step <= MAX_STEPS; step++) {
            Decision decision = transport
                    ? decider.decide(facts, new TransportFailure(TransportFailure.Kind.CONNECTION_LOST, null), state)
                    : decider.decide(facts, response, state);
            lines.add("request " + step + ": " + decision.explain());
            if (decision instanceof Decision.Fail fail) {
                lines.add("=> stops; the command line exits with " + fail.category().exitCode() + " ("
                        + fail.category().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
                return lines;
            }
            if (decision.isFinal()) {
                int exit = ExitCodes.of(decision, code);
                lines.add(exit == ExitCodes.OK ? "=> returns the response; the command line exits with 0"
                        : "=> ends the call with this response, which is not a success; the command line exits with "
                        + exit);
                return lines;
            }
            if (decision instanceof Decision.FollowRedirect) {
                lines.add("=> follows the redirect; what happens next depends on the new location's answer");
                return lines;
            }
            if (decision instanceof Decision.Retry retry) {
                clock.advance(Duration.ofMillis(retry.delayMillis()));
            }
            if (decision instanceof Decision.ResendWithContentLength) {
                facts = facts.withContentLengthSent(true);
            }
            state = state.after(decision);
        }
        lines.add("=> (stopped showing after " + MAX_STEPS + " requests)");
        return lines;
    }

    /**
     * The retries the rule allows, in words, or null where retrying does not arise. Says
     * "none" for the rows that never repeat, and names the condition for the rows that repeat
     * only under one (Retry-After, an awaited resource, a credential source).
     */
    static String retries(Rule rule, Policy scoped) {
        String limit = rule.maxRetries() == Rule.POLICY_LIMIT
                ? "as many as the attempt limit allows (" + scoped.limits().maxAttempts() + " attempts in all)"
                : "at most " + rule.maxRetries();
        String post = rule.requestNotProcessed()
                ? "; the status shows the server did not act, so even a POST may be repeated" : "";
        if (rule.grade() == Grade.MUST_NOT_RETRY || rule.handling() == Handling.FAIL
                || rule.handling() == Handling.NOT_USED) {
            return "none (" + rule.grade().word() + ")";
        }
        return switch (rule.handling()) {
            case RETRY -> limit + post;
            case RETRY_ONLY_AFTER_RETRY_AFTER -> "only when the response carries a Retry-After that fits the time left; "
                    + "then " + limit + post;
            case AWAIT_RESOURCE -> "none, unless the caller awaits the resource (--await-resource SECONDS): then "
                    + "until it appears or the window closes";
            case REFRESH_CREDENTIALS -> "at most 1, with fresh credentials from --auth-command (-H Authorization, -u "
                    + "and user:password@ cannot be refreshed: the first refusal ends the call)";
            case REFRESH_PROXY_CREDENTIALS -> "none here: proxy authentication is not supported by the command line";
            case RESEND_WITH_CONTENT_LENGTH -> "at most 1, resent with a Content-Length" + post;
            default -> null;
        };
    }

    private String notes(Rule rule, String verb) {
        StringBuilder out = new StringBuilder();
        if (rule.handling() == Handling.AWAIT_RESOURCE && awaitResource == null) {
            out.append("\nWith --await-resource SECONDS the client keeps trying until the resource appears or the "
                    + "window closes (exit 4).\n");
        }
        if (rule.mayRepeat() && !idempotencyKey && !rule.requestNotProcessed()
                && !List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE").contains(verb)) {
            out.append("\nA ").append(verb).append(" is repeated only with an Idempotency-Key (--idempotency-key) "
                    + "or when marked retry-safe (--retry-safe) (RFC 9110 §9.2.2).\n");
        }
        if (rule.handling() == Handling.RETRY_ONLY_AFTER_RETRY_AFTER && retryAfter == null) {
            out.append("\nTry --retry-after SECONDS to see the retry a Retry-After allows.\n");
        }
        out.append("\n(Waits are the policy's nominal ones: jitter is left out here and varies them in real calls.)\n");
        return out.toString();
    }

    private ResponseFacts synthetic(int code) {
        List<String> location = List.of("/elsewhere");
        List<String> after = retryAfter == null ? List.of() : List.of(Long.toString(retryAfter));
        return new ResponseFacts() {
            @Override
            public int status() {
                return code;
            }

            @Override
            public List<String> headerValues(String name) {
                if (name.equalsIgnoreCase("Location") && code / 100 == 3) {
                    return location;
                }
                return name.equalsIgnoreCase("Retry-After") ? after : List.of();
            }
        };
    }

    static int parseStatus(String text) {
        int code;
        try {
            code = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ExitCodes.UsageException("STATUS: expected a status from 100 to 599 or transport, found \""
                    + text + "\"");
        }
        if (!HttpStatus.isValid(code)) {
            throw new ExitCodes.UsageException("STATUS: expected a status from 100 to 599, found " + code);
        }
        return code;
    }

    /** Jitter's midpoint: every wait is the nominal one. */
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
