package io.statuspolicy.engine;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One {@link CredentialSource} as the engine uses it: the current value is always the source's
 * own (so its rotation is followed), and a refusal is renewed once per scope however many calls
 * were refused with the same value at the same time: the first refused call starts the refresh,
 * the others wait for its result, and a call refused with a value that was already renewed gets
 * the renewal without another refresh. A failed refresh (an exception or an {@code Error}) is
 * reported to every waiter, and the next refusal starts a new one. Waiting is the caller's
 * business: the result is a future, so every waiter bounds its wait by its own deadline.
 *
 * <p>Thread-safe.
 */
final class SingleFlightCredentials {
    private final CredentialSource source;
    private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();

    SingleFlightCredentials(CredentialSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    CredentialSource source() {
        return source;
    }

    /** The value to send to {@code uri} now: always asked of the source. */
    String current(URI uri) throws java.io.IOException {
        return source.current(uri);
    }

    /**
     * The renewal of {@code refused} for {@code uri}, shared by every call in {@code scope} refused
     * with the same value while it runs; started on {@code executor} when none is running.
     */
    CompletableFuture<String> refresh(String scope, URI uri, String refused, Executor executor) {
        while (true) {
            Flight running = flights.get(scope);
            if (running != null && Objects.equals(running.refused, refused)
                    && !running.result.isCompletedExceptionally()) {
                return running.result; // in flight, or already renewed: no second refresh for one refusal
            }
            Flight mine = new Flight(refused);
            boolean won = running == null ? flights.putIfAbsent(scope, mine) == null
                    : flights.replace(scope, running, mine);
            if (!won) {
                continue;
            }
            try {
                executor.execute(() -> mine.run(uri));
            } catch (RuntimeException rejected) {
                mine.result.completeExceptionally(rejected);
            }
            mine.result.whenComplete((value, error) -> {
                if (error != null) {
                    flights.remove(scope, mine); // the next refusal tries again
                }
            });
            return mine.result;
        }
    }

    @Override
    public String toString() {
        return "single-flight " + source;
    }

    /** One refresh in progress. */
    private final class Flight {
        final String refused;
        final CompletableFuture<String> result = new CompletableFuture<>();

        Flight(String refused) {
            this.refused = refused;
        }

        void run(URI uri) {
            try {
                result.complete(source.refresh(uri, refused));
            } catch (Throwable t) { // an Error too: no waiter may wait for good
                result.completeExceptionally(t);
            }
        }
    }
}
