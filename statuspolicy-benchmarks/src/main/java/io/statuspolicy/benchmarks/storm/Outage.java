package io.statuspolicy.benchmarks.storm;

/**
 * What goes wrong during the middle phase, and for how long.
 *
 * @param name            short name, used in tables and file names
 * @param description     one line for the tables
 * @param seconds         length of the outage phase
 * @param kind            what the server does meanwhile
 * @param retryAfterSeconds the {@code Retry-After} the server sends with its errors, or 0 for none
 * @param parameter       the kind's number: throttle rate (requests/s), failure share, service factor
 */
public record Outage(String name, String description, int seconds, Kind kind, int retryAfterSeconds,
        double parameter) {

    /** What the server does during the outage. */
    public enum Kind {
        /** Every request is answered with 503 at once (error cost only). */
        DOWN,
        /** Requests beyond a rate are answered with 429 at once; the rest are served. */
        THROTTLE,
        /** A share of requests is served and then fails with 503 (full cost). */
        RANDOM_FAILURES,
        /** Service takes {@code parameter} times longer: capacity drops below the load. */
        SLOW
    }

    public static Outage hard503() {
        return new Outage("hard-503", "every request answered 503, no Retry-After, for 20 s", 20, Kind.DOWN, 0, 0);
    }

    public static Outage retryAfter503() {
        return new Outage("503-retry-after", "every request answered 503 with Retry-After: 5, for 20 s", 20, Kind.DOWN,
                5, 0);
    }

    public static Outage throttle429() {
        return new Outage("429-throttle", "beyond 300 requests/s answered 429 with Retry-After: 1, for 20 s", 20,
                Kind.THROTTLE, 1, 300);
    }

    public static Outage blip() {
        return new Outage("blip", "every request answered 503, no Retry-After, for 1 s", 1, Kind.DOWN, 0, 0);
    }

    public static Outage randomFailures() {
        return new Outage("random-3pct", "3 % of requests served, then 503, for 20 s", 20, Kind.RANDOM_FAILURES, 0,
                0.03);
    }

    public static Outage latencySpike() {
        return new Outage("latency-spike", "service 4x slower (capacity 200/s for 560/s offered), for 10 s", 10,
                Kind.SLOW, 0, 4.0);
    }

    /** Every outage, in the order of the tables. */
    public static java.util.List<Outage> all() {
        return java.util.List.of(hard503(), retryAfter503(), throttle429(), blip(), randomFailures(), latencySpike());
    }

    public Outage withSeconds(int value) {
        return new Outage(name, description, value, kind, retryAfterSeconds, parameter);
    }
}
