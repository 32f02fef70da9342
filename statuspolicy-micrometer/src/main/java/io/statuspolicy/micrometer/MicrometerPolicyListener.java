package io.statuspolicy.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.FailureReason;
import io.statuspolicy.event.AttemptType;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Records what the policy does as Micrometer meters. Add it to an engine (or an adapter's
 * builder) with {@code .listener(MicrometerPolicyListener.builder(registry).clientName("billing").build())}.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags besides {@code client.name}</th></tr>
 *   <tr><td>{@value PolicyMeters#CALLS}</td><td>timer, one per logical call, waits included</td>
 *       <td>{@code http.request.method}, {@code server.address}, {@code kind} (Resilience4j Retry's
 *       four values), {@code outcome}, {@code failure.category}, {@code rule}</td></tr>
 *   <tr><td>{@value PolicyMeters#ATTEMPTS}</td><td>counter, one per request sent</td>
 *       <td>{@code http.request.method}, {@code server.address}, {@code attempt.type}</td></tr>
 *   <tr><td>{@value PolicyMeters#DECISIONS}</td><td>counter</td>
 *       <td>{@code server.address}, {@code decision}, {@code rule}, {@code grade}, {@code reason},
 *       {@code http.response.status_code}, {@code error.type}</td></tr>
 *   <tr><td>{@value PolicyMeters#WAITS}</td><td>timer</td><td>{@code basis}</td></tr>
 *   <tr><td>{@value PolicyMeters#CACHE_REQUESTS}</td><td>counter</td><td>{@code result} ({@code hit})</td></tr>
 *   <tr><td>{@value PolicyMeters#CREDENTIAL_REFRESHES}</td><td>counter</td>
 *       <td>{@code result} ({@code renewed}, {@code not_renewed})</td></tr>
 *   <tr><td>{@value PolicyMeters#HOST_CHECKS}</td><td>counter, an attempt that met a hold</td>
 *       <td>{@code server.address}, {@code check} ({@code wait}, {@code probe}, {@code await_probe},
 *       {@code refuse}); an origin not held counts nothing</td></tr>
 *   <tr><td>{@value PolicyMeters#CIRCUIT_TRANSITIONS}</td><td>counter</td>
 *       <td>{@code server.address}, {@code from}, {@code to} ({@code closed}, {@code open},
 *       {@code half_open})</td></tr>
 *   <tr><td>{@value PolicyMeters#CIRCUIT_STATE}</td><td>gauge per origin: 0 closed, 1 half-open,
 *       2 open</td><td>{@code server.address}</td></tr>
 * </table>
 *
 * <p>HTTP tags use OpenTelemetry's attribute names; there is never a URI or path tag, and at most
 * {@link Builder#maxServerAddresses} distinct {@code server.address} values are recorded (later
 * hosts are tagged {@value PolicyMeters#OTHER}). Thread-safe: one instance serves concurrent calls.
 */
public final class MicrometerPolicyListener implements PolicyListener {
    private final MeterRegistry registry;
    private final String clientName;
    private final ServerAddresses addresses;
    /** The circuit state gauges' values, one per {@code server.address} tag (bounded as the tags are). */
    private final java.util.concurrent.ConcurrentMap<String, java.util.concurrent.atomic.AtomicInteger> circuits =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The budget watched by {@link #watchRetryBudget}, and the origins that have its gauge. */
    private volatile io.statuspolicy.budget.RetryBudget budget;
    private volatile java.time.Clock budgetClock;
    private final java.util.Set<String> budgetOrigins = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int maxServerAddresses;

    private MicrometerPolicyListener(Builder builder) {
        this.maxServerAddresses = builder.maxServerAddresses;
        this.registry = builder.registry;
        this.clientName = builder.clientName;
        this.addresses = new ServerAddresses(builder.maxServerAddresses);
    }

    /** A builder recording into {@code registry}; the client name defaults to {@code "default"}. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public void attemptStarted(PolicyEvent.AttemptStarted event) {
        Tags tags = Tags.of(PolicyMeters.CLIENT_NAME, clientName,
                PolicyMeters.METHOD, PolicyTagValues.method(event.method()),
                PolicyMeters.SERVER_ADDRESS, address(event.uri()),
                PolicyMeters.ATTEMPT_TYPE, PolicyTagValues.lower(event.type()));
        Counter.builder(PolicyMeters.ATTEMPTS).description("Requests sent, by why they were sent")
                .tags(tags).register(registry).increment();
        if (event.type() == AttemptType.CREDENTIALS) {
            credentialRefresh("renewed");
        }
        if (budget != null && event.type() == AttemptType.ORIGINAL) {
            gaugeBudget(event.uri());
        }
    }

    /**
     * Watches {@code budget} (an engine's, {@code engine.decider().budget()}): for each origin
     * this listener sees a call to, the gauge {@value PolicyMeters#BUDGET_AVAILABLE} (tags
     * {@code client.name}, {@code server.address}, {@code server.port}) reads how many retries it
     * allows now. Bounded like {@code server.address}: origins beyond the bound get no gauge.
     *
     * @return this listener
     */
    public MicrometerPolicyListener watchRetryBudget(io.statuspolicy.budget.RetryBudget budget, java.time.Clock clock) {
        this.budgetClock = Objects.requireNonNull(clock, "clock");
        this.budget = Objects.requireNonNull(budget, "budget");
        return this;
    }

    private void gaugeBudget(URI uri) {
        String address = address(uri);
        if (PolicyMeters.OTHER.equals(address) || budgetOrigins.size() >= maxServerAddresses) {
            return;
        }
        String origin;
        try {
            origin = io.statuspolicy.budget.RetryBudget.keyOf(uri);
        } catch (RuntimeException e) {
            return; // not an origin a budget keeps (no host)
        }
        if (!budgetOrigins.add(origin)) {
            return;
        }
        io.statuspolicy.budget.RetryBudget watched = budget;
        java.time.Clock clock = budgetClock;
        int port = origin.lastIndexOf(':') > origin.indexOf("://") + 2
                ? Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1)) : -1;
        io.micrometer.core.instrument.Gauge.builder(PolicyMeters.BUDGET_AVAILABLE, watched, b -> {
                    io.statuspolicy.budget.RetryBudget.Usage usage = b.usage(origin, clock.millis());
                    return usage == null ? Double.NaN : usage.retriesAvailable();
                })
                .description("Retries the retry budget allows now")
                .tags(PolicyMeters.CLIENT_NAME, clientName, PolicyMeters.SERVER_ADDRESS, address,
                        PolicyMeters.SERVER_PORT, Integer.toString(port))
                .register(registry);
    }

    @Override
    public void decisionMade(PolicyEvent.DecisionMade event) {
        Decision decision = event.decision();
        Tags tags = Tags.of(PolicyMeters.CLIENT_NAME, clientName,
                PolicyMeters.SERVER_ADDRESS, address(event.uri()),
                PolicyMeters.DECISION, PolicyTagValues.decision(decision),
                PolicyMeters.RULE, PolicyTagValues.rule(decision),
                PolicyMeters.GRADE, PolicyTagValues.grade(decision),
                PolicyMeters.REASON, PolicyTagValues.reason(decision),
                PolicyMeters.STATUS_CODE, PolicyTagValues.status(decision),
                PolicyMeters.ERROR_TYPE, PolicyTagValues.errorType(decision));
        Counter.builder(PolicyMeters.DECISIONS).description("Decisions of the policy, by rule and reason")
                .tags(tags).register(registry).increment();
        if (decision instanceof Decision.UseCachedCopy) {
            Counter.builder(PolicyMeters.CACHE_REQUESTS).description("Conditional requests answered from the store")
                    .tags(PolicyMeters.CLIENT_NAME, clientName, PolicyMeters.RESULT, "hit")
                    .register(registry).increment();
        } else if (decision instanceof Decision.Fail fail
                && fail.reason() == FailureReason.CREDENTIALS_NOT_RENEWED) {
            credentialRefresh("not_renewed");
        }
    }

    @Override
    public void waiting(PolicyEvent.Waiting event) {
        Timer.builder(PolicyMeters.WAITS).description("Time waited before a next request")
                .tags(PolicyMeters.CLIENT_NAME, clientName, PolicyMeters.BASIS, PolicyTagValues.basis(event.decision()))
                .register(registry).record(Duration.ofMillis(event.delayMillis()));
    }

    @Override
    public void callFinished(PolicyEvent.CallFinished event) {
        Decision decision = event.decision();
        Tags tags = Tags.of(PolicyMeters.CLIENT_NAME, clientName,
                PolicyMeters.METHOD, PolicyTagValues.method(event.method()),
                PolicyMeters.SERVER_ADDRESS, address(event.uri()),
                PolicyMeters.KIND, PolicyTagValues.kind(decision, event.retries()),
                PolicyMeters.OUTCOME, PolicyTagValues.outcome(decision),
                PolicyMeters.FAILURE_CATEGORY, PolicyTagValues.failureCategory(decision),
                PolicyMeters.RULE, decision == null ? PolicyTagValues.NONE : PolicyTagValues.rule(decision));
        Timer.builder(PolicyMeters.CALLS).description("Logical calls, from the first request to the end, waits included")
                .tags(tags).register(registry).record(Duration.ofMillis(Math.max(0, event.durationMillis())));
    }

    @Override
    public void hostChecked(PolicyEvent.HostChecked event) {
        String check;
        if (event.check() instanceof io.statuspolicy.decision.HostCheck.Wait) {
            check = "wait";
        } else if (event.check() instanceof io.statuspolicy.decision.HostCheck.Probe) {
            check = "probe";
        } else if (event.check() instanceof io.statuspolicy.decision.HostCheck.AwaitProbe) {
            check = "await_probe";
        } else if (event.check() instanceof io.statuspolicy.decision.HostCheck.Refuse) {
            check = "refuse";
        } else {
            return; // not held: nothing to count on the hot path
        }
        Counter.builder(PolicyMeters.HOST_CHECKS).description("Attempts that met a hold on their origin")
                .tags(PolicyMeters.CLIENT_NAME, clientName, PolicyMeters.SERVER_ADDRESS, address(event.uri()),
                        PolicyMeters.CHECK, check)
                .register(registry).increment();
    }

    @Override
    public void circuitChanged(PolicyEvent.CircuitChanged event) {
        String address = address(URI.create(event.origin()));
        Counter.builder(PolicyMeters.CIRCUIT_TRANSITIONS).description("Circuit breaker transitions")
                .tags(PolicyMeters.CLIENT_NAME, clientName, PolicyMeters.SERVER_ADDRESS, address,
                        PolicyMeters.FROM, PolicyTagValues.lower(event.from()),
                        PolicyMeters.TO, PolicyTagValues.lower(event.to()))
                .register(registry).increment();
        circuits.computeIfAbsent(address, key -> {
            java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
            io.micrometer.core.instrument.Gauge.builder(PolicyMeters.CIRCUIT_STATE, state, Number::doubleValue)
                    .description("Circuit state per origin: 0 closed, 1 half-open, 2 open")
                    .tags(PolicyMeters.CLIENT_NAME, clientName, PolicyMeters.SERVER_ADDRESS, key)
                    .register(registry);
            return state;
        }).set(event.to() == io.statuspolicy.decision.CircuitState.OPEN ? 2
                : event.to() == io.statuspolicy.decision.CircuitState.HALF_OPEN ? 1 : 0);
    }

    /** A shared store began to be skipped (one per outage, so the count stays small). */
    @Override
    public void storeDegraded(PolicyEvent.StoreDegraded event) {
        Counter.builder(PolicyMeters.STORE_ERRORS).description("Outages of a shared store; calls went on with local state")
                .tags(PolicyMeters.CLIENT_NAME, clientName, PolicyMeters.STORE, event.store())
                .register(registry).increment();
    }

    private void credentialRefresh(String result) {
        Counter.builder(PolicyMeters.CREDENTIAL_REFRESHES).description("Credential refreshes after a refusal")
                .tags(PolicyMeters.CLIENT_NAME, clientName, PolicyMeters.RESULT, result)
                .register(registry).increment();
    }

    private String address(URI uri) {
        return addresses.tagFor(uri);
    }

    @Override
    public String toString() {
        return "MicrometerPolicyListener[" + clientName + "]";
    }

    /**
     * Builds a {@link MicrometerPolicyListener}. Defaults: client name {@code "default"}, at most 100
     * {@code server.address} values. Not thread-safe.
     */
    public static final class Builder {
        private final MeterRegistry registry;
        private String clientName = "default";
        private int maxServerAddresses = 100;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The {@code client.name} tag: the Feign client, HTTP service group or named client. */
        public Builder clientName(String value) {
            Objects.requireNonNull(value, "clientName");
            if (value.isBlank()) {
                throw new IllegalArgumentException("clientName must not be blank");
            }
            this.clientName = value;
            return this;
        }

        /** How many distinct hosts get a {@code server.address} value of their own (1 to 10 000). */
        public Builder maxServerAddresses(int value) {
            if (value < 1 || value > 10_000) {
                throw new IllegalArgumentException("maxServerAddresses must be 1 to 10000, was " + value);
            }
            this.maxServerAddresses = value;
            return this;
        }

        public MicrometerPolicyListener build() {
            return new MicrometerPolicyListener(this);
        }
    }
}
