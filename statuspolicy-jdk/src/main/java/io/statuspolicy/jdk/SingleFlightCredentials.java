package io.statuspolicy.jdk;

import io.statuspolicy.http.Origin;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Wraps a {@link CredentialSource} so that a refusal is renewed once per origin, however many
 * calls were refused with the same value at the same time: the first caller refreshes, the
 * others wait for its result; a caller whose refused value was already replaced gets the new
 * value without another refresh. A failed refresh is reported to every waiter.
 */
final class SingleFlightCredentials implements CredentialSource {
    private final CredentialSource source;
    private final ConcurrentHashMap<Origin, PerOrigin> origins = new ConcurrentHashMap<>();

    SingleFlightCredentials(CredentialSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public String current(URI uri) throws IOException {
        PerOrigin state = origins.get(Origin.of(uri));
        String renewed = state == null ? null : state.renewed();
        return renewed != null ? renewed : source.current(uri);
    }

    @Override
    public String refresh(URI uri, String refused) throws IOException {
        return origins.computeIfAbsent(Origin.of(uri), ignored -> new PerOrigin()).refresh(uri, refused);
    }

    @Override
    public String toString() {
        return "single-flight " + source;
    }

    /** The refresh state of one origin. */
    private final class PerOrigin {
        private String replaced;
        private String renewed;
        private CompletableFuture<String> inFlight;
        private String inFlightFor;

        synchronized String renewed() {
            return renewed;
        }

        String refresh(URI uri, String refused) throws IOException {
            CompletableFuture<String> flight;
            boolean leader = false;
            synchronized (this) {
                if (renewed != null && !Objects.equals(refused, renewed)) {
                    return renewed; // the refused value was replaced already; try the newer one
                }
                if (inFlight != null && Objects.equals(inFlightFor, refused)) {
                    flight = inFlight;
                } else {
                    flight = new CompletableFuture<>();
                    inFlight = flight;
                    inFlightFor = refused;
                    leader = true;
                }
            }
            if (leader) {
                try {
                    String value = source.refresh(uri, refused);
                    synchronized (this) {
                        replaced = refused;
                        renewed = value;
                        inFlight = null;
                    }
                    flight.complete(value);
                } catch (IOException | RuntimeException e) {
                    synchronized (this) {
                        inFlight = null;
                    }
                    flight.completeExceptionally(e);
                    throw e;
                }
            }
            try {
                return flight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while another call refreshed the credentials");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new IOException("the credential refresh failed: " + cause.getMessage(), cause);
            }
        }

        @Override
        public synchronized String toString() {
            return "renewed " + (replaced == null ? "nothing" : "a refused value");
        }
    }
}
