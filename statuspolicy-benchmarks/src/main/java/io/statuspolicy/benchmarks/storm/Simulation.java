package io.statuspolicy.benchmarks.storm;

import io.statuspolicy.benchmarks.stub.VirtualTime;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One run: a server, {@link StormConfig#clients()} clients using one {@link Strategy}, and one
 * {@link Outage} between the phases. Discrete events in virtual time (microseconds); the
 * strategies' clocks are the same virtual time, so a policy's waits, deadlines, Retry-After and
 * budget windows all run on it. Deterministic for a given seed.
 *
 * <p>The server: {@code workers} serve a FIFO queue of at most {@code queueCapacity}. A request
 * that finds the queue full is rejected with 503 at once, and rejecting it costs a worker
 * {@code errorCostMicros}; so does every error answer during an outage. A request whose client
 * has given up (the attempt timed out) is still served in full when its turn comes: the server
 * cannot know. The server counts every attempt that arrives, and checks each retry against the
 * {@code Retry-After} it last sent for that logical request.
 */
public final class Simulation {
    private final StormConfig config;
    private final Outage outage;
    private final Strategy strategy;
    private final VirtualTime clock;
    private final SplittableRandom random;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final ArrayDeque<Attempt> queue = new ArrayDeque<>();
    private final Map<Long, Long> notBeforeMicros = new HashMap<>();
    private final StormResult.Builder result;
    private final long start;
    private final long outageStart;
    private final long outageEnd;
    private final long end;
    private long sequence;
    private long nextRequestId;
    private int busy;
    private long errorDebtMicros;
    private double throttleTokens;
    private long throttleRefilledMicros;

    public Simulation(StormConfig config, Outage outage, Strategy strategy) {
        this.config = config;
        this.outage = outage;
        this.strategy = strategy;
        this.clock = new VirtualTime();
        this.random = new SplittableRandom(config.seed());
        this.start = clock.nowMicros();
        this.outageStart = start + config.beforeSeconds() * 1_000_000L;
        this.outageEnd = outageStart + outage.seconds() * 1_000_000L;
        this.end = outageEnd + config.afterSeconds() * 1_000_000L;
        this.result = new StormResult.Builder(config, outage, strategy, start, outageStart, outageEnd, end);
    }

    /** Runs to the end of the last phase, then lets requests in flight finish (no new arrivals). */
    public StormResult run() {
        double perClient = config.offeredPerSecond() / config.clients();
        for (int i = 0; i < config.clients(); i++) {
            Client client = new Client(strategy.forClient(clock, random.split()), random.split(), perClient);
            client.scheduleNextArrival(start);
        }
        for (long t = start; t < end; t += config.bucketMillis() * 1000L) {
            long at = t;
            schedule(at, () -> result.queueSample(at, queue.size()));
        }
        long drainUntil = end + 180_000_000L;
        while (!events.isEmpty()) {
            Event event = events.poll();
            if (event.time > drainUntil) {
                break;
            }
            clock.advanceTo(event.time);
            event.action.run();
        }
        return result.build();
    }

    // ---- clients -----------------------------------------------------------------------------

    private final class Client {
        private final Strategy.ClientRetries retries;
        private final SplittableRandom arrivals;
        private final double meanGapMicros;

        Client(Strategy.ClientRetries retries, SplittableRandom arrivals, double perSecond) {
            this.retries = retries;
            this.arrivals = arrivals;
            this.meanGapMicros = 1_000_000.0 / perSecond;
        }

        void scheduleNextArrival(long after) {
            long at = after + Math.round(-Math.log(1 - arrivals.nextDouble()) * meanGapMicros);
            if (at < end) {
                schedule(at, () -> {
                    begin();
                    scheduleNextArrival(at);
                });
            }
        }

        void begin() {
            Request request = new Request(nextRequestId++, clock.nowMicros(), retries.start());
            result.requestStarted(request.startMicros);
            long wait = request.execution.beforeFirst();
            if (wait == Strategy.STOP) {
                result.requestFinished(request.startMicros, clock.nowMicros(), false, 0);
            } else if (wait > 0) {
                schedule(clock.nowMicros() + wait, () -> send(request));
            } else {
                send(request);
            }
        }
    }

    private static final class Request {
        final long id;
        final long startMicros;
        final Strategy.Execution execution;
        int attempts;

        Request(long id, long startMicros, Strategy.Execution execution) {
            this.id = id;
            this.startMicros = startMicros;
            this.execution = execution;
        }
    }

    private static final class Attempt {
        final Request request;
        final int number;
        final long sentMicros;
        boolean settled;

        Attempt(Request request, int number, long sentMicros) {
            this.request = request;
            this.number = number;
            this.sentMicros = sentMicros;
        }
    }

    private void send(Request request) {
        request.attempts++;
        Attempt attempt = new Attempt(request, request.attempts, clock.nowMicros());
        schedule(attempt.sentMicros + config.oneWayMicros(), () -> arrive(attempt));
        schedule(attempt.sentMicros + config.attemptTimeoutMillis() * 1000, () -> {
            if (!attempt.settled) {
                attempt.settled = true;
                outcome(attempt, Outcome.TIMED_OUT);
            }
        });
    }

    /** The client learns the attempt's outcome: the strategy decides what follows. */
    private void outcome(Attempt attempt, Outcome outcome) {
        Request request = attempt.request;
        long now = clock.nowMicros();
        long wait = request.execution.after(outcome);
        if (wait == Strategy.STOP) {
            result.requestFinished(request.startMicros, now, outcome.success(), request.attempts);
            return;
        }
        schedule(now + wait, () -> send(request));
    }

    private void answer(Attempt attempt, int status, int retryAfterSeconds) {
        long now = clock.nowMicros();
        if (retryAfterSeconds > 0) {
            // The client reads it one way later; no retry may leave before that plus the wait.
            notBeforeMicros.put(attempt.request.id, now + config.oneWayMicros() + retryAfterSeconds * 1_000_000L);
        }
        schedule(now + config.oneWayMicros(), () -> {
            if (!attempt.settled) {
                attempt.settled = true;
                outcome(attempt, new Outcome(status, retryAfterSeconds));
            } else {
                result.wasted(attempt.request.startMicros);
            }
        });
    }

    // ---- the server --------------------------------------------------------------------------

    private void arrive(Attempt attempt) {
        long now = clock.nowMicros();
        result.attemptArrived(now, attempt.request.startMicros);
        if (attempt.number > 1) {
            Long notBefore = notBeforeMicros.get(attempt.request.id);
            if (notBefore != null && attempt.sentMicros < notBefore) {
                result.earlyRetry(attempt.request.startMicros);
            }
        }
        boolean during = now >= outageStart && now < outageEnd;
        if (during && outage.kind() == Outage.Kind.THROTTLE && !takeThrottleToken(now)) {
            errorDebtMicros += config.errorCostMicros();
            answer(attempt, 429, outage.retryAfterSeconds());
            dispatch();
            return;
        }
        if (queue.size() >= config.queueCapacity()) {
            errorDebtMicros += config.errorCostMicros();
            answer(attempt, 503, 0);
            dispatch();
            return;
        }
        queue.addLast(attempt);
        dispatch();
    }

    private boolean takeThrottleToken(long now) {
        double rate = outage.parameter();
        throttleTokens = Math.min(rate / 10, throttleTokens + (now - throttleRefilledMicros) * rate / 1_000_000.0);
        throttleRefilledMicros = now;
        if (throttleTokens >= 1) {
            throttleTokens -= 1;
            return true;
        }
        return false;
    }

    /** Gives idle workers the error work owed, then queued requests. */
    private void dispatch() {
        long now = clock.nowMicros();
        while (busy < config.workers()) {
            if (errorDebtMicros > 0) {
                long work = errorDebtMicros;
                errorDebtMicros = 0;
                busy++;
                schedule(now + work, this::workerFree);
                continue;
            }
            Attempt next = queue.pollFirst();
            if (next == null) {
                return;
            }
            busy++;
            serve(next, now);
        }
    }

    private void serve(Attempt attempt, long now) {
        boolean during = now >= outageStart && now < outageEnd;
        double mean = config.meanServiceMillis() * 1000;
        if (during && outage.kind() == Outage.Kind.SLOW) {
            mean *= outage.parameter();
        }
        if (during && outage.kind() == Outage.Kind.DOWN) {
            schedule(now + config.errorCostMicros(), () -> {
                answer(attempt, 503, outage.retryAfterSeconds());
                workerFree();
            });
            return;
        }
        long service = Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * mean));
        boolean fails = during && outage.kind() == Outage.Kind.RANDOM_FAILURES && random.nextDouble() < outage.parameter();
        schedule(now + service, () -> {
            answer(attempt, fails ? 503 : 200, 0);
            workerFree();
        });
    }

    private void workerFree() {
        busy--;
        dispatch();
    }

    // ---- events ------------------------------------------------------------------------------

    private void schedule(long time, Runnable action) {
        events.add(new Event(time, sequence++, action));
    }

    private record Event(long time, long sequence, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
