package io.statuspolicy.decision;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.policy.Policy;
import java.net.URI;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** A decider on a hand-moved clock (2026-11-25T12:00:00Z) with a seeded random source. */
final class Fixture {
    static final long NOW = 1_795_608_000_000L;

    final MutableClock clock = new MutableClock(NOW);
    final Decider decider;

    Fixture() {
        this(Policy.guideline(), RetryBudget.unlimited());
    }

    Fixture(Policy policy) {
        this(policy, RetryBudget.unlimited());
    }

    Fixture(Policy policy, RetryBudget budget) {
        RandomGenerator random = new SplittableRandom(42);
        decider = new Decider(policy, clock, random, budget);
    }

    static RequestFacts get(String uri) {
        return RequestFacts.of("GET", URI.create(uri));
    }

    static RequestFacts post(String uri) {
        return RequestFacts.of("POST", URI.create(uri)).withBody(true, true);
    }

    Decision decide(RequestFacts request, TestResponse response) {
        return decider.decide(request, response, decider.start(request));
    }
}
