package io.statuspolicy.benchmarks.storm;

import java.util.Arrays;

/**
 * What one {@link Simulation} measured. Per phase (before, during, after the outage), logical
 * requests are attributed to the phase they started in: their attempts as the server counted
 * them, their outcome, their latency. The time series (attempts arriving at the server,
 * successful completions, queue length) are per bucket of {@link StormConfig#bucketMillis()}.
 */
public final class StormResult {
    public static final String[] PHASES = {"before", "during", "after"};

    private final StormConfig config;
    private final Outage outage;
    private final Strategy strategy;
    private final Phase[] phases;
    private final long[] attemptsPerBucket;
    private final long[] successesPerBucket;
    private final int[] queuePerBucket;
    private final double recoverySeconds;

    private StormResult(Builder b) {
        this.config = b.config;
        this.outage = b.outage;
        this.strategy = b.strategy;
        this.phases = new Phase[3];
        for (int i = 0; i < 3; i++) {
            this.phases[i] = new Phase(b, i);
        }
        this.attemptsPerBucket = b.attemptsPerBucket;
        this.successesPerBucket = b.successesPerBucket;
        this.queuePerBucket = b.queuePerBucket;
        this.recoverySeconds = recovery(b);
    }

    public StormConfig config() {
        return config;
    }

    public Outage outage() {
        return outage;
    }

    public Strategy strategy() {
        return strategy;
    }

    /** 0 before, 1 during, 2 after. */
    public Phase phase(int index) {
        return phases[index];
    }

    public long[] attemptsPerBucket() {
        return attemptsPerBucket.clone();
    }

    public long[] successesPerBucket() {
        return successesPerBucket.clone();
    }

    public int[] queuePerBucket() {
        return queuePerBucket.clone();
    }

    /**
     * Seconds from the end of the outage to the start of the first one-second window from which
     * goodput stays at or above 80 % of the goodput before the outage, to the end of the run;
     * {@code Double.POSITIVE_INFINITY} if it never does. 80 %: one-second windows of Poisson
     * arrivals vary by about 4 %, so a lower bar never trips on noise alone.
     */
    public double recoverySeconds() {
        return recoverySeconds;
    }

    /** Early retries in every phase: retries sent before the Retry-After the server gave. */
    public long earlyRetries() {
        long sum = 0;
        for (Phase phase : phases) {
            sum += phase.earlyRetries;
        }
        return sum;
    }

    private static double recovery(Builder b) {
        int perSecond = 1000 / b.config.bucketMillis();
        int beforeBuckets = (int) ((b.outageStart - b.start) / 1000 / b.config.bucketMillis());
        int firstAfter = (int) ((b.outageEnd - b.start) / 1000 / b.config.bucketMillis());
        int total = b.successesPerBucket.length;
        double baseline = 0;
        for (int i = 0; i < beforeBuckets; i++) {
            baseline += b.successesPerBucket[i];
        }
        baseline = baseline / beforeBuckets * perSecond;
        int windows = (total - firstAfter) / perSecond;
        double[] goodput = new double[windows];
        for (int w = 0; w < windows; w++) {
            for (int k = 0; k < perSecond; k++) {
                goodput[w] += b.successesPerBucket[firstAfter + w * perSecond + k];
            }
        }
        int recovered = windows;
        for (int w = windows - 1; w >= 0; w--) {
            if (goodput[w] >= 0.8 * baseline) {
                recovered = w;
            } else {
                break;
            }
        }
        return recovered >= windows ? Double.POSITIVE_INFINITY : recovered;
    }

    /** The figures of one phase. */
    public static final class Phase {
        public final long requests;
        public final long attempts;
        public final long successes;
        public final long rescued;
        public final long earlyRetries;
        public final long wasted;
        public final double seconds;
        public final double p50Millis;
        public final double p99Millis;

        Phase(Builder b, int index) {
            this.requests = b.requests[index];
            this.attempts = b.attempts[index];
            this.successes = b.successes[index];
            this.rescued = b.rescued[index];
            this.earlyRetries = b.early[index];
            this.wasted = b.wasted[index];
            this.seconds = index == 0 ? (b.outageStart - b.start) / 1e6
                    : index == 1 ? (b.outageEnd - b.outageStart) / 1e6 : (b.end - b.outageEnd) / 1e6;
            long[] sorted = Arrays.copyOf(b.latencies[index], b.latencyCount[index]);
            Arrays.sort(sorted);
            this.p50Millis = percentile(sorted, 0.50) / 1000.0;
            this.p99Millis = percentile(sorted, 0.99) / 1000.0;
        }

        /** Attempts the server saw per logical request. */
        public double amplification() {
            return requests == 0 ? Double.NaN : (double) attempts / requests;
        }

        /** Successful logical requests per second of the phase. */
        public double goodput() {
            return successes / seconds;
        }

        public double successShare() {
            return requests == 0 ? Double.NaN : (double) successes / requests;
        }

        /** Share of the logical requests that succeeded only thanks to a retry. */
        public double rescuedShare() {
            return requests == 0 ? Double.NaN : (double) rescued / requests;
        }

        private static double percentile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    /** Collects the figures while a simulation runs. */
    static final class Builder {
        final StormConfig config;
        final Outage outage;
        final Strategy strategy;
        final long start;
        final long outageStart;
        final long outageEnd;
        final long end;
        final long[] requests = new long[3];
        final long[] attempts = new long[3];
        final long[] successes = new long[3];
        final long[] rescued = new long[3];
        final long[] early = new long[3];
        final long[] wasted = new long[3];
        final long[][] latencies = {new long[1024], new long[1024], new long[1024]};
        final int[] latencyCount = new int[3];
        final long[] attemptsPerBucket;
        final long[] successesPerBucket;
        final int[] queuePerBucket;

        Builder(StormConfig config, Outage outage, Strategy strategy, long start, long outageStart, long outageEnd,
                long end) {
            this.config = config;
            this.outage = outage;
            this.strategy = strategy;
            this.start = start;
            this.outageStart = outageStart;
            this.outageEnd = outageEnd;
            this.end = end;
            int buckets = (int) ((end - start) / 1000 / config.bucketMillis());
            this.attemptsPerBucket = new long[buckets];
            this.successesPerBucket = new long[buckets];
            this.queuePerBucket = new int[buckets];
        }

        private int phase(long micros) {
            return micros < outageStart ? 0 : micros < outageEnd ? 1 : 2;
        }

        private int bucket(long micros) {
            long index = (micros - start) / 1000 / config.bucketMillis();
            return index < attemptsPerBucket.length ? (int) index : -1;
        }

        void requestStarted(long startMicros) {
            requests[phase(startMicros)]++;
        }

        void attemptArrived(long nowMicros, long requestStartMicros) {
            attempts[phase(requestStartMicros)]++;
            int bucket = bucket(nowMicros);
            if (bucket >= 0) {
                attemptsPerBucket[bucket]++;
            }
        }

        void earlyRetry(long requestStartMicros) {
            early[phase(requestStartMicros)]++;
        }

        void wasted(long requestStartMicros) {
            wasted[phase(requestStartMicros)]++;
        }

        void requestFinished(long startMicros, long endMicros, boolean success, int attemptCount) {
            if (!success) {
                return;
            }
            int phase = phase(startMicros);
            successes[phase]++;
            if (attemptCount > 1) {
                rescued[phase]++;
            }
            if (latencyCount[phase] == latencies[phase].length) {
                latencies[phase] = Arrays.copyOf(latencies[phase], latencies[phase].length * 2);
            }
            latencies[phase][latencyCount[phase]++] = endMicros - startMicros;
            int bucket = bucket(endMicros);
            if (bucket >= 0) {
                successesPerBucket[bucket]++;
            }
        }

        void queueSample(long atMicros, int length) {
            int bucket = bucket(atMicros);
            if (bucket >= 0) {
                queuePerBucket[bucket] = length;
            }
        }

        StormResult build() {
            return new StormResult(this);
        }
    }
}
