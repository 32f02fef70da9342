package io.statuspolicy.benchmarks.storm;

/**
 * The simulated system. Defaults: 16 workers at 20 ms mean service (exponential), so 800
 * requests/s of capacity; a queue of 1000, which at full capacity is 1.25 s of waiting, longer
 * than the clients' 1 s attempt timeout (a full queue serves only requests whose callers have
 * left); 50 clients offering 560 requests/s in all (70 %); 1 ms each way on the network;
 * rejecting a request (queue full, throttled) or answering it with an error during an outage
 * costs a worker 1 ms. Phases: 10 s before, the outage's own length, 30 s after.
 *
 * @param workers           requests served at once
 * @param meanServiceMillis mean service time of a normal request
 * @param queueCapacity     requests waiting at most; beyond, rejected with 503
 * @param clients           independent clients (each its own retry state and budget)
 * @param offeredPerSecond  logical requests per second, all clients together (Poisson)
 * @param attemptTimeoutMillis how long a client waits for one attempt's response
 * @param oneWayMicros      network latency each way
 * @param errorCostMicros   worker time to reject or to answer with an error
 * @param beforeSeconds     the phase before the outage
 * @param afterSeconds      the phase after the outage
 * @param bucketMillis      the time-series resolution
 * @param seed              the random seed (runs are deterministic)
 */
public record StormConfig(
        int workers,
        double meanServiceMillis,
        int queueCapacity,
        int clients,
        double offeredPerSecond,
        long attemptTimeoutMillis,
        long oneWayMicros,
        long errorCostMicros,
        int beforeSeconds,
        int afterSeconds,
        int bucketMillis,
        long seed) {

    public static final StormConfig DEFAULT = new StormConfig(16, 20.0, 1000, 50, 560.0, 1000, 1000, 1000,
            10, 30, 500, 20261125L);

    /** Requests per second the workers can serve with normal service times. */
    public double capacityPerSecond() {
        return workers * 1000.0 / meanServiceMillis;
    }

    public StormConfig withClients(int value) {
        return new StormConfig(workers, meanServiceMillis, queueCapacity, value, offeredPerSecond,
                attemptTimeoutMillis, oneWayMicros, errorCostMicros, beforeSeconds, afterSeconds, bucketMillis, seed);
    }

    public StormConfig withOffered(double value) {
        return new StormConfig(workers, meanServiceMillis, queueCapacity, clients, value,
                attemptTimeoutMillis, oneWayMicros, errorCostMicros, beforeSeconds, afterSeconds, bucketMillis, seed);
    }

    public StormConfig withPhases(int before, int after) {
        return new StormConfig(workers, meanServiceMillis, queueCapacity, clients, offeredPerSecond,
                attemptTimeoutMillis, oneWayMicros, errorCostMicros, before, after, bucketMillis, seed);
    }

    public StormConfig withSeed(long value) {
        return new StormConfig(workers, meanServiceMillis, queueCapacity, clients, offeredPerSecond,
                attemptTimeoutMillis, oneWayMicros, errorCostMicros, beforeSeconds, afterSeconds, bucketMillis, value);
    }
}
