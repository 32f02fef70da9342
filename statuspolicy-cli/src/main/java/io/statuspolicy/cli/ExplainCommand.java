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
        description = {"Explain the rule for a status (100-599, or \"transport\" for no response at all) and",
            "show what the client would do if every attempt got that status."})
final class ExplainCommand implements Callable<Integer> {
    private static final URI EXAMPLE = URI.create("https://api.example/resource");
    private static final int MAX_STEPS = 30;

    @Parameters(index = "0", paramLabel = "STATUS", description = "a status from 100 to 599, or transport")
    String status;

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
        System.out.print(explain(policy));
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
        out.append("  source:  ").append(rule.reference()).append(" (").append(rule.provenance().name().toLowerCase(
                Locale.ROOT)).append(")\n");
        if (rule.grade() != Grade.NOT_APPLICABLE) {
            out.append("  retries: ").append(rule.maxRetries() == Rule.POLICY_LIMIT
                    ? "as many as the attempt limit allows (" + scoped.limits().maxAttempts() + " attempts in all)"
                    : "at most " + rule.maxRetries()).append(rule.requestNotProcessed()
                    ? "; the status shows the server did not act, so even a POST may be repeated" : "").append('\n');
        }
        out.append('\n').append("What the client does with ").append(verb).append(' ').append(EXAMPLE);
        if (idempotencyKey) {
            out.append(" (with an Idempotency-Key)");
        }
        out.append(transport ? ", when no attempt gets a response:\n" : ", when every attempt gets " + code + ":\n");
        for (String line : walk(policy, code, transport, verb)) {
            out.append("  ").append(line).append('\n');
        }
        out.append(notes(rule, verb));
        return out.toString();
    }

    /** Each decision, attempt by attempt, until the call ends or leaves this status. */
    List<String> walk(Policy policy, int code, boolean transport, String verb) {
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
        if (code == 304) {
            facts = facts.withConditional(Conditional.BY_CACHE, true); // as with --state-dir and a stored copy
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
                lines.add("=> returns the response; the command line exits with "
                        + ExitCodes.of(decision, code));
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

    private String notes(Rule rule, String verb) {
        StringBuilder out = new StringBuilder();
        if (rule.handling() == Handling.AWAIT_RESOURCE && awaitResource == null) {
            out.append("\nWith --await-resource SECONDS the client keeps trying until the resource appears or the "
                    + "window closes (exit 4).\n");
        }
        if (rule.mayRepeat() && !idempotencyKey && !rule.requestNotProcessed()
                && !List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE").contains(verb)) {
            out.append("\nA ").append(verb).append(" is repeated only with an Idempotency-Key (--idempotency-key) "
                    + "(RFC 9110 §9.2.2).\n");
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
