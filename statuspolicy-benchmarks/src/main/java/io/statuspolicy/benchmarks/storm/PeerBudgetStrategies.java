package io.statuspolicy.benchmarks.storm;

import io.statuspolicy.benchmarks.stub.VirtualTime;
import io.statuspolicy.policy.Backoff;
import java.util.ArrayDeque;
import java.util.random.RandomGenerator;

/**
 * The retry limiters users would otherwise pick (issue 11), each with its authors' defaults, per
 * client as they are in their libraries, retrying what the other peers retry (timeouts, 429, 503)
 * and never reading {@code Retry-After}:
 * <ul>
 *   <li>{@code aws-sdk-v2-standard}: the AWS SDK for Java v2 standard retry mode: 3 attempts,
 *       exponential backoff from 100 ms with full jitter up to 20 s, a token bucket of 500 per
 *       client, 5 tokens per retry and 10 per retry of a timeout, 1 back per success;</li>
 *   <li>{@code finagle-budget}: Finagle's {@code RetryBudget()} defaults (TTL 10 s, 10 retries/s
 *       minimum, 20 % of requests), each request depositing and each retry withdrawing over the
 *       TTL, on our backoff schedule and 4 attempts (Finagle leaves the backoff to the caller).</li>
 * </ul>
 */
final class PeerBudgetStrategies {
    private PeerBudgetStrategies() {
    }

    static Strategy awsStandard() {
        return new Strategy() {
            @Override
            public String name() {
                return "aws-sdk-v2-standard";
            }

            @Override
            public String description() {
                return "AWS SDK v2 standard mode: 3 attempts, 100 ms x2 full jitter up to 20 s, token bucket 500,"
                        + " 5 per retry, 10 per timeout retry, 1 back per success";
            }

            @Override
            public ClientRetries forClient(VirtualTime clock, RandomGenerator random) {
                long[] tokens = {500};
                return () -> new Execution() {
                    private int attempts = 1;

                    @Override
                    public long after(Outcome outcome) {
                        if (outcome.success() || !outcome.retryable()) {
                            if (outcome.success()) {
                                tokens[0] = Math.min(500, tokens[0] + 1);
                            }
                            return STOP;
                        }
                        int cost = outcome.timedOut() ? 10 : 5;
                        if (attempts >= 3 || tokens[0] < cost) {
                            return STOP;
                        }
                        tokens[0] -= cost;
                        long ceiling = Math.min(20_000, 100L << attempts);
                        attempts++;
                        return (long) (random.nextDouble() * ceiling) * 1000;
                    }
                };
            }
        };
    }

    static Strategy finagle() {
        return new Strategy() {
            @Override
            public String name() {
                return "finagle-budget";
            }

            @Override
            public String description() {
                return "Finagle RetryBudget() defaults (TTL 10 s, 10 retries/s minimum, 20 %), our backoff, 4 attempts";
            }

            @Override
            public ClientRetries forClient(VirtualTime clock, RandomGenerator random) {
                LeakyBudget budget = new LeakyBudget(clock);
                Backoff backoff = Backoff.DEFAULT;
                return () -> {
                    budget.deposit();
                    return new Execution() {
                        private int attempts = 1;

                        @Override
                        public long after(Outcome outcome) {
                            if (!outcome.retryable() || attempts >= 4 || !budget.tryWithdraw()) {
                                return STOP;
                            }
                            long delay = backoff.delayMillis(attempts, random.nextDouble());
                            attempts++;
                            return delay * 1000;
                        }
                    };
                };
            }
        };
    }

    /**
     * Finagle's token budget: every request deposits 1, a retry withdraws 1 / 0.2 = 5, deposits
     * expire after the TTL, and a reserve of 10 retries/s × 10 s is always there.
     */
    private static final class LeakyBudget {
        private static final long TTL_MICROS = 10_000_000;
        private static final int WITHDRAW = 5;
        private static final long RESERVE = 10L * 10 * WITHDRAW;
        private final VirtualTime clock;
        private final ArrayDeque<long[]> deposits = new ArrayDeque<>(); // {time, +amount or -amount}
        private long balance;

        LeakyBudget(VirtualTime clock) {
            this.clock = clock;
        }

        void deposit() {
            expire();
            deposits.add(new long[] {clock.nowMicros(), 1});
            balance += 1;
        }

        boolean tryWithdraw() {
            expire();
            if (balance + RESERVE < WITHDRAW) {
                return false;
            }
            deposits.add(new long[] {clock.nowMicros(), -WITHDRAW});
            balance -= WITHDRAW;
            return true;
        }

        private void expire() {
            long oldest = clock.nowMicros() - TTL_MICROS;
            while (!deposits.isEmpty() && deposits.peekFirst()[0] <= oldest) {
                balance -= deposits.pollFirst()[1];
            }
        }
    }
}
