package io.statuspolicy.engine;

import io.statuspolicy.decision.HostHold;
import java.util.concurrent.CompletableFuture;

/**
 * Where a client keeps its host holds (issue 11): the {@code Retry-After} of a 503 holds the
 * origin, of a 429 the origin for one principal, for every call of the client until it ends;
 * then one call goes as the probe and the others wait for its answer. The engine computes the
 * keys (the origin, or the origin and a digest of the credentials) and asks the
 * {@link io.statuspolicy.decision.Decider} what a hold means; the store only keeps holds and the
 * probe slot, atomically per key.
 *
 * <p>The default, {@link #inMemory(int)}, holds one client's state; a shared implementation (a
 * Redis one, issue 12) may back it for a fleet, as long as every method returns quickly and a
 * failure reads as "no hold" (the store is never a dependency of a call). A hold read from
 * such a store is still capped by the policy's {@code retryAfterCap}.
 *
 * <p>Implementations are thread-safe and bounded.
 */
public interface HoldStore {

    /** How long a probe may stay unanswered before another call may probe instead (10 s). */
    long PROBE_LEASE_MILLIS = 10_000;

    /**
     * The hold on {@code key} at {@code nowMillis}, with {@link HostHold#probing()} telling whether
     * a probe is in flight; null when there is none (never held, or released after a probe's
     * success, or expired: a hold whose probe never succeeded lapses {@link #PROBE_LEASE_MILLIS}
     * after it ended).
     */
    HostHold get(String key, long nowMillis);

    /** Holds {@code key} as {@code hold} says; an existing hold that ends later stays as it is. */
    void hold(String key, HostHold hold, long nowMillis);

    /**
     * Claims the one probe of {@code key}'s ended hold: true for exactly one caller until that
     * probe ends (or its lease of {@link #PROBE_LEASE_MILLIS} runs out); false when the hold has
     * not ended, another probe is in flight, or there is no hold any more.
     */
    boolean claimProbe(String key, long nowMillis);

    /**
     * The probe claimed on {@code key} answered: {@code released} (a success) lifts the hold for
     * everyone; otherwise the slot is free for the next single probe. Wakes the calls waiting.
     */
    void probeEnded(String key, boolean released, long nowMillis);

    /** Completes when the probe in flight on {@code key} ends; already complete when there is none. */
    CompletableFuture<Void> whenProbeEnds(String key);

    /**
     * Whether the store certainly holds nothing, so a call computes no key (checked before every
     * attempt, without a lock). False when it cannot tell cheaply.
     */
    default boolean isEmpty() {
        return false;
    }

    /** An in-memory store of at most {@code maxKeys} holds (a new hold beyond that is not kept). */
    static HoldStore inMemory(int maxKeys) {
        return new InMemoryHoldStore(maxKeys);
    }
}
