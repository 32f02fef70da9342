package io.statuspolicy.benchmarks.storm;

import io.statuspolicy.benchmarks.stub.VirtualTime;
import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.decision.AttemptState;
import io.statuspolicy.decision.Decider;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.RequestFacts;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.policy.Policy;
import java.net.URI;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Our executor's loop, as statuspolicy-jdk's {@code Call} runs it, over simulated attempts:
 * {@link Decider#start}, the budget records the request, each outcome goes to
 * {@link Decider#decide}, a {@link Decision.Retry} is recorded in the budget, moves the
 * {@link AttemptState} on and waits its delay; anything else ends the request. The policy, the
 * decision, the backoff and the budget are the real ones.
 */
final class PolicyStrategy implements Strategy {
    static final URI TARGET = URI.create("http://service.test/items");
    private static final RequestFacts GET = RequestFacts.of("GET", TARGET);
    private static final TransportFailure TIMEOUT =
            new TransportFailure(TransportFailure.Kind.RESPONSE_TIMEOUT, "simulated attempt timeout");

    private final String name;
    private final Policy policy;
    private final boolean budget;

    PolicyStrategy(String name, Policy policy, boolean budget) {
        this.name = name;
        this.policy = policy;
        this.budget = budget;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        var limits = policy.limits();
        return "Policy.guideline(): " + limits.maxAttempts() + " attempts, backoff " + limits.backoff().initialDelay()
                .toMillis() + " ms x" + limits.backoff().multiplier() + " +-" + Math.round(limits.backoff().jitter() * 100)
                + " %, Retry-After honoured" + (budget ? ", retry budget " + Math.round(limits.retryBudget().ratio() * 100)
                + " % + " + limits.retryBudget().minRetries() + " per " + limits.retryBudget().window().toSeconds()
                + " s per client" : ", budget off");
    }

    @Override
    public ClientRetries forClient(VirtualTime clock, RandomGenerator random) {
        RetryBudget retries = budget ? RetryBudget.of(policy.limits().retryBudget()) : RetryBudget.unlimited();
        Decider decider = new Decider(policy, clock, random, retries);
        String host = RetryBudget.keyOf(TARGET);
        return () -> {
            AttemptState first = decider.start(GET);
            retries.recordRequest(host, first.startMillis());
            return new Execution() {
                private AttemptState state = first;

                @Override
                public long after(Outcome outcome) {
                    Decision decision = outcome.timedOut()
                            ? decider.decide(GET, TIMEOUT, state)
                            : decider.decide(GET, new SimulatedResponse(outcome), state);
                    if (decision instanceof Decision.Retry retry) {
                        retries.recordRetry(host, clock.millis());
                        state = state.after(retry);
                        return retry.delayMillis() * 1000;
                    }
                    return STOP;
                }
            };
        };
    }

    /** The status and the {@code Retry-After} field, as a response's head. */
    private record SimulatedResponse(Outcome outcome) implements ResponseFacts {
        @Override
        public int status() {
            return outcome.status();
        }

        @Override
        public List<String> headerValues(String name) {
            return outcome.retryAfterSeconds() > 0 && name.equalsIgnoreCase("Retry-After")
                    ? List.of(Integer.toString(outcome.retryAfterSeconds())) : List.of();
        }
    }
}
