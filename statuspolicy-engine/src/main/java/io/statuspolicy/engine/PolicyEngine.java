package io.statuspolicy.engine;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.decision.Decider;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.time.Sleeper;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The one engine every client adapter runs: it carries out the policy's decisions for a call,
 * from the first attempt to the response or the failure, over any HTTP client that implements
 * {@link Transport}. It owns the decision function, the retry budget, the credential sources,
 * the redirect memory, the response store, the host holds and circuit breakers (issue 11), the
 * listeners, the clock and the sleeper; an adapter owns only its client.
 *
 * <pre>{@code
 * PolicyEngine engine = PolicyEngine.builder().policy(Policy.guideline()).build();
 * R response = engine.execute(spec, transport);                 // on the caller's thread
 * CompletableFuture<R> later = engine.executeAsync(spec, transport); // holds no thread while waiting
 * }</pre>
 *
 * <p>Both paths take the same steps and the same decisions ({@link Stage} names their order);
 * they differ only in how a step is carried out. Thread-safe; one instance serves a whole client.
 */
public final class PolicyEngine {
    private final Policy policy;
    private final Decider decider;
    private final SingleFlightCredentials credentials;
    private final SingleFlightCredentials proxyCredentials;
    private final RedirectStore redirectStore;
    private final ResponseStore responseStore;
    private final HoldStore holdStore;
    private final CircuitStore circuitStore;
    private final PolicyListener listener;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Executor executor;
    private final List<Stage> stageTrace;
    /** Whether nothing this engine holds for every call rules out the first-attempt fast path ({@link PlainStart}). */
    private final boolean plainStarts;
    /** The default clock when nobody listens: a fast-path call starts at the timer's last tick ({@link #startMillis}). */
    private final MonotonicClock recentStarts;

    private PolicyEngine(Builder builder) {
        this.policy = builder.policy;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        RetryBudget budget = builder.retryBudget != null ? builder.retryBudget
                : RetryBudget.of(policy.limits().retryBudget());
        this.decider = new Decider(policy, clock, builder.random, budget);
        this.credentials = builder.credentials == null ? null : new SingleFlightCredentials(builder.credentials);
        this.proxyCredentials = builder.proxyCredentials == null ? null
                : new SingleFlightCredentials(builder.proxyCredentials);
        this.redirectStore = builder.redirectStore;
        this.responseStore = builder.responseStore;
        this.holdStore = builder.holdStore;
        this.circuitStore = builder.circuitStore;
        this.listener = PolicyListener.composite(builder.listeners);
        this.executor = builder.executor != null ? builder.executor : RefreshThreads.EXECUTOR;
        this.stageTrace = builder.stageTrace;
        this.plainStarts = credentials == null && proxyCredentials == null && responseStore == null
                && stageTrace == null;
        this.recentStarts = listener == PolicyListener.NONE && clock instanceof MonotonicClock monotonic
                && monotonic.ticksWithTimer() ? monotonic : null;
    }

    private static final Clock MONOTONIC = MonotonicClock.system();

    /**
     * The default clock: UTC read once, then advanced by {@link System#nanoTime()}, so deadlines,
     * waits and budget windows never jump when the wall clock is stepped. Shared, thread-safe.
     */
    public static Clock monotonicClock() {
        return MONOTONIC;
    }

    /** A builder with the guideline, real time, no credentials and an in-memory redirect memory. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a call on the calling thread: each attempt is sent with {@link Transport#send}, waits
     * sleep on this thread, and the call returns the response or throws what it ended with.
     *
     * @throws PolicyException      when the policy gave up, or a transport failure was not recovered
     * @throws InterruptedException when the thread was interrupted: the exchange in flight is
     *                              aborted, no further attempt is made, and the interrupt flag stays set
     */
    public <R> R execute(CallSpec call, Transport<R> transport) throws IOException, InterruptedException {
        return new SyncDriver<>(this, call, transport).run();
    }

    /**
     * Runs a call without holding a thread while it waits. Cancelling the future at any moment
     * stops the call and aborts the exchange in flight.
     */
    public <R> CompletableFuture<R> executeAsync(CallSpec call, Transport<R> transport) {
        return new AsyncDriver<>(this, call, transport).start();
    }

    /** The policy this engine follows. */
    public Policy policy() {
        return policy;
    }

    /** The decision function, with this engine's clock, jitter and budget. */
    public Decider decider() {
        return decider;
    }

    /** The clock for deadlines, HTTP-dates and the budget. */
    public Clock clock() {
        return clock;
    }

    /** How waits happen. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** Where credential refreshes run, and what an adapter may use for its own asynchronous work. */
    public Executor executor() {
        return executor;
    }

    SingleFlightCredentials credentials() {
        return credentials;
    }

    SingleFlightCredentials proxyCredentials() {
        return proxyCredentials;
    }

    /** The store this engine remembers permanent redirects in (for inspection and {@link RedirectStore#forget}). */
    public RedirectStore redirectStore() {
        return redirectStore;
    }

    ResponseStore responseStore() {
        return responseStore;
    }

    HoldStore holdStore() {
        return holdStore;
    }

    CircuitStore circuitStore() {
        return circuitStore;
    }

    PolicyListener listener() {
        return listener;
    }

    List<Stage> stageTrace() {
        return stageTrace;
    }

    boolean plainStarts() {
        return plainStarts;
    }

    /**
     * When a call on the fast path starts, for its budget window and its deadline, and when its
     * first head completed it (the body's time left, the budget's credit): with the default
     * clock and nobody listening (no event carries the time), the deadline timer's last tick, at
     * most one tick old while the timer runs ({@link MonotonicClock#recentMillis}), where reading
     * the clock was a fifth of the JDK path's cost and 30 ns of OkHttp's; else the clock. A
     * deadline counts from {@link #deadlineBase}; a body's time left, counted from a head time a
     * tick old, may be a tick longer than it is, so a body read after the call returned may end
     * up to four ticks after the deadline (never before it).
     */
    long startMillis() {
        MonotonicClock recent = recentStarts;
        return recent != null ? recent.recentMillis() : clock.millis();
    }

    /**
     * What a call's deadline counts from when it started at {@code startMillis}
     * ({@link #startMillis}): one tick later when that may be a tick old, so that the call never
     * ends before its deadline (it may end up to a tick later, as the timer's deadlines may).
     */
    long deadlineBase(long startMillis) {
        return recentStarts != null ? startMillis + DeadlineTimer.TICK_MILLIS : startMillis;
    }

    @Override
    public String toString() {
        return "PolicyEngine[" + policy + "]";
    }

    /**
     * Builds a {@link PolicyEngine}. Defaults: the guideline, no credentials, an in-memory redirect
     * memory of 1000 entries, no response store, in-memory hold and circuit stores of 10 000
     * keys each, real time, no listener, threads of its own for credential refreshes. Not thread-safe; {@link #build} copies what it needs.
     */
    public static final class Builder {
        private Policy policy = Policy.guideline();
        private CredentialSource credentials;
        private CredentialSource proxyCredentials;
        private RedirectStore redirectStore = RedirectStore.inMemory(1000);
        private ResponseStore responseStore;
        private HoldStore holdStore = HoldStore.inMemory(10_000);
        private CircuitStore circuitStore = CircuitStore.inMemory(10_000);
        private final List<PolicyListener> listeners = new ArrayList<>();
        private Clock clock = MONOTONIC;
        private Sleeper sleeper = Sleeper.system();
        private RandomGenerator random = ThreadLocalJitter.INSTANCE;
        private RetryBudget retryBudget;
        private Executor executor;
        private List<Stage> stageTrace;

        private Builder() {
        }

        public Builder policy(Policy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** Supplies and refreshes {@code Authorization} for the origin each call starts at. */
        public Builder credentials(CredentialSource value) {
            this.credentials = value;
            return this;
        }

        /** Supplies and refreshes {@code Proxy-Authorization} (407). */
        public Builder proxyCredentials(CredentialSource value) {
            this.proxyCredentials = value;
            return this;
        }

        /** Where permanent redirects are remembered; {@link RedirectStore#none()} to forget them. */
        public Builder redirectStore(RedirectStore value) {
            this.redirectStore = Objects.requireNonNull(value, "redirectStore");
            return this;
        }

        /** Where responses with validators are kept for conditional requests; null for none. */
        public Builder responseStore(ResponseStore value) {
            this.responseStore = value;
            return this;
        }

        /**
         * Where host holds are kept (issue 11): by default in memory, 10 000 keys, for this engine.
         * Pass a shared one to make several engines (or, with a shared implementation, a fleet)
         * hold off together. Added in issue 11.
         */
        public Builder holdStore(HoldStore value) {
            this.holdStore = Objects.requireNonNull(value, "holdStore");
            return this;
        }

        /**
         * Where the per-origin circuit breakers are kept when the policy turns them on
         * ({@code limits.circuitBreaker}); by default in memory, 10 000 origins. Added in issue 11.
         */
        public Builder circuitStore(CircuitStore value) {
            this.circuitStore = Objects.requireNonNull(value, "circuitStore");
            return this;
        }

        /** Adds a listener; several are told in the order added, each guarded. */
        public Builder listener(PolicyListener value) {
            this.listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /**
         * The clock for deadlines, HTTP-dates and the budget (tests pass a fake one). By default
         * {@link #monotonicClock()}: UTC that never jumps.
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How waits happen (tests pass a fake one that moves the fake clock). */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /** The source of jitter (tests pass a seeded one). */
        public Builder random(RandomGenerator value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** The retry budget; by default one made from the policy's settings, for this engine. */
        public Builder retryBudget(RetryBudget value) {
            this.retryBudget = Objects.requireNonNull(value, "retryBudget");
            return this;
        }

        /** Where credential refreshes run (by default threads of the engine's own, never the common pool). */
        public Builder executor(Executor value) {
            this.executor = value;
            return this;
        }

        /** For tests of the stage order: every stage a call enters is appended to {@code trace}. */
        Builder stageTrace(List<Stage> trace) {
            this.stageTrace = trace;
            return this;
        }

        public PolicyEngine build() {
            return new PolicyEngine(this);
        }
    }

    /**
     * Where credential refreshes run by default: a credential source may block (a token endpoint,
     * a vault), so refreshes get threads of their own rather than the common pool, where one slow
     * refresh would hold up every other task of the JVM (on a 2-core machine the common pool has
     * one thread). Daemon threads, made on demand, at most 32, ended after 10 s idle; a refresh
     * that finds all 32 busy fails at once and the refusal is returned.
     */
    private static final class RefreshThreads {
        static final Executor EXECUTOR = make();

        private static Executor make() {
            java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(0, 32,
                    10, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
                    task -> {
                        Thread thread = new Thread(task, "statuspolicy-refresh-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            return pool;
        }
    }

    /** Jitter from the calling thread's {@link ThreadLocalRandom}: thread-safe without contention. */
    private enum ThreadLocalJitter implements RandomGenerator {
        INSTANCE;

        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public double nextDouble() {
            return ThreadLocalRandom.current().nextDouble();
        }
    }
}
