package io.statuspolicy.testing.conformance;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A credential source for conformance runs, independent of any client: it hands out the
 * current {@code Authorization} value, renews it on request, and counts the renewals. Adapters
 * connect it to their client's credential mechanism.
 */
public final class TestCredentials {
    private final UnaryOperator<String> renew;
    private final AtomicInteger refreshes = new AtomicInteger();
    private volatile String current;
    private volatile long refreshDelayMillis;
    private volatile boolean failCurrent;

    /**
     * @param initial the first value
     * @param renew   maps a refused value to the next one
     */
    public TestCredentials(String initial, UnaryOperator<String> renew) {
        this.current = Objects.requireNonNull(initial, "initial");
        this.renew = Objects.requireNonNull(renew, "renew");
    }

    /** "Bearer T1", renewed to "Bearer T2", "Bearer T3", ... */
    public static TestCredentials bearerTokens() {
        return new TestCredentials("Bearer T1", refused -> "Bearer T" + (Integer.parseInt(refused.substring(8)) + 1));
    }

    /** A source that can never renew: a refresh returns the same value. */
    public static TestCredentials fixed(String value) {
        return new TestCredentials(value, refused -> refused);
    }

    /** The value to send now; throws when {@link #failCurrent} was set. */
    public String current() {
        if (failCurrent) {
            throw new java.io.UncheckedIOException(new java.io.IOException("the credential store is unreachable"));
        }
        return current;
    }

    /** The source rotates on its own (a token renewed in the background): {@link #current()} returns {@code value}. */
    public TestCredentials rotate(String value) {
        this.current = Objects.requireNonNull(value, "value");
        return this;
    }

    /** Makes {@link #current()} fail, as a credential store that cannot be reached does. */
    public TestCredentials failCurrent() {
        this.failCurrent = true;
        return this;
    }

    /** Renews after {@code refused} was refused (slowly, if {@link #slowRefresh} was set). */
    public String refresh(String refused) {
        refreshes.incrementAndGet();
        long delay = refreshDelayMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String next = renew.apply(refused);
        current = next;
        return next;
    }

    /** Makes each refresh take {@code millis} of real time, so concurrent refusals overlap. */
    public TestCredentials slowRefresh(long millis) {
        this.refreshDelayMillis = millis;
        return this;
    }

    /** How many refreshes were asked for. */
    public int refreshes() {
        return refreshes.get();
    }
}
