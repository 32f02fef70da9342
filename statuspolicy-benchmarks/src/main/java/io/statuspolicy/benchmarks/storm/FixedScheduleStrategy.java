package io.statuspolicy.benchmarks.storm;

import io.statuspolicy.benchmarks.stub.VirtualTime;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A plain retry loop: up to {@code maxAttempts}, retrying timeouts, 429 and 503, waiting what
 * the schedule says and never reading {@code Retry-After} (as none of the peers' defaults do).
 */
final class FixedScheduleStrategy implements Strategy {

    /** The wait before retry number {@code retry} (1 for the first), in milliseconds. */
    @FunctionalInterface
    interface Schedule {
        long delayMillis(int retry, RandomGenerator random);
    }

    private final String name;
    private final String description;
    private final int maxAttempts;
    private final Schedule schedule;

    FixedScheduleStrategy(String name, String description, int maxAttempts, Schedule schedule) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public ClientRetries forClient(VirtualTime clock, RandomGenerator random) {
        return () -> new Execution() {
            private int attempts = 1;

            @Override
            public long after(Outcome outcome) {
                if (!outcome.retryable() || attempts >= maxAttempts) {
                    return STOP;
                }
                long delay = Math.max(0, schedule.delayMillis(attempts, random));
                attempts++;
                return delay * 1000;
            }
        };
    }
}
