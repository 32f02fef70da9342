package io.statuspolicy.benchmarks.storm;

import io.statuspolicy.benchmarks.stub.VirtualTime;
import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.decision.AttemptState;
import io.statuspolicy.decision.Circuit;
import io.statuspolicy.decision.CircuitState;
import io.statuspolicy.decision.Decider;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.HostCheck;
import io.statuspolicy.decision.HostHold;
import io.statuspolicy.decision.RequestFacts;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.policy.Policy;
import java.net.URI;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Our engine's loop over simulated attempts: {@link Decider#start}, the budget records the
 * request, the client's host state is checked before the first attempt
 * ({@link Decider#beforeAttempt}: a host hold delays it, an open circuit refuses it), each outcome
 * goes to {@link Decider#decide}, a {@link Decision.Retry} is recorded in the budget, moves the
 * {@link AttemptState} on and waits its delay (or the rest of the client's hold, if longer);
 * anything else ends the request, and a success is recorded in the budget. A {@code Retry-After}
 * on a 503 or 429 holds the client ({@link Decider#holdAfter}); the circuit follows
 * {@link Decider#circuitAfter}. The policy, the decisions, the backoff and the budget are the real
 * ones. Not modelled: the single probe after a hold (every held request goes when it ends).
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
                + " %, Retry-After honoured" + (!budget ? ", budget off" : limits.retryBudget().banked()
                ? ", retry budget banking " + Math.round(limits.retryBudget().ratio() * 100) + " % of successes (a success's"
                + " retries given back), at most "
                + limits.retryBudget().credit() + " per request of the last " + limits.retryBudget().window().toSeconds()
                + " s, " + limits.retryBudget().minRetries() + " to start, per client"
                : ", retry budget " + Math.round(limits.retryBudget().ratio() * 100)
                + " % + " + limits.retryBudget().minRetries() + " per " + limits.retryBudget().window().toSeconds()
                + " s per client (sliding window)") + (limits.hostHolds() ? ", host holds" : "")
                + (limits.circuitBreaker().enabled() ? ", circuit breaker after " + limits.circuitBreaker().failures()
                + " failed calls, open " + limits.circuitBreaker().openFor().toMillis() + " ms" : "");
    }

    @Override
    public ClientRetries forClient(VirtualTime clock, RandomGenerator random) {
        RetryBudget retries = budget ? RetryBudget.of(policy.limits().retryBudget()) : RetryBudget.unlimited();
        Decider decider = new Decider(policy, clock, random, retries);
        String host = RetryBudget.keyOf(TARGET);
        HostHold[] hold = new HostHold[1];
        Circuit[] circuit = new Circuit[1];
        return () -> {
            AttemptState first = decider.start(GET);
            retries.recordRequest(host, first.startMillis());
            return new Execution() {
                private AttemptState state = first;
                private boolean probe;

                @Override
                public long beforeFirst() {
                    HostCheck check = decider.beforeAttempt(GET, state, hold[0], circuit[0]);
                    if (check instanceof HostCheck.Refuse) {
                        return STOP;
                    }
                    if (check instanceof HostCheck.Probe && circuit[0] != null
                            && circuit[0].state() != CircuitState.CLOSED) {
                        probe = true;
                        circuit[0] = circuit[0].halfOpen(clock.millis());
                    }
                    return check instanceof HostCheck.Wait wait ? wait.delayMillis() * 1000 : 0;
                }

                @Override
                public long after(Outcome outcome) {
                    Decision decision = outcome.timedOut()
                            ? decider.decide(GET, TIMEOUT, state)
                            : decider.decide(GET, new SimulatedResponse(outcome), state);
                    if (!outcome.timedOut()) {
                        HostHold made = decider.holdAfter(GET, new SimulatedResponse(outcome));
                        if (made != null && (hold[0] == null || made.untilMillis() > hold[0].untilMillis())) {
                            hold[0] = made;
                        }
                    }
                    if (decision instanceof Decision.Retry retry) {
                        retries.recordRetry(host, clock.millis());
                        state = state.after(retry);
                        long held = hold[0] == null ? 0 : hold[0].untilMillis() - clock.millis();
                        return Math.max(retry.delayMillis(), held) * 1000;
                    }
                    if (!outcome.timedOut() && outcome.status() < 500 && outcome.status() != 429) {
                        retries.recordSuccess(host, state.retries(), clock.millis()); // as the engine does when it delivers
                    }
                    if (policy.limits().circuitBreaker().enabled()) {
                        circuit[0] = decider.circuitAfter(GET, circuit[0], decision, probe);
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
