package io.statuspolicy.engine;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Supplies the value of {@code Authorization} (or, for a proxy, {@code Proxy-Authorization})
 * and renews it when the server refuses it (401, 403, 407).
 *
 * <p>The engine asks {@link #current} at the start of every call (so a source that rotates its
 * value on its own is followed), only for the origin the call started at; after a redirect to
 * another origin it never asks again in that call. Concurrent calls refused with the same value
 * trigger one {@link #refresh}, not one each; a refresh runs on the engine's refresh threads
 * (never the common pool) and each call waits for it no longer than its own deadline, so a
 * source may block (a token endpoint, a vault).
 *
 * <p>Implementations must be thread-safe.
 */
public interface CredentialSource {

    /** The value to send to {@code uri}, or null to send none. */
    String current(URI uri) throws IOException;

    /**
     * Renews the credentials after {@code refused} was refused for {@code uri}.
     *
     * @return the new value; returning {@code refused} again (or null) means nothing better is
     *         available, and the call ends with the refusal
     */
    String refresh(URI uri, String refused) throws IOException;

    /** Always the same value; a refresh cannot renew it. */
    static CredentialSource fixed(String value) {
        Objects.requireNonNull(value, "value");
        return new CredentialSource() {
            @Override
            public String current(URI uri) {
                return value;
            }

            @Override
            public String refresh(URI uri, String refused) {
                return value;
            }

            @Override
            public String toString() {
                return "CredentialSource.fixed(***)";
            }
        };
    }

    /**
     * Asks {@code supplier} for the current value and again for a refresh (for example a token
     * cache that fetches a new token when asked).
     */
    static CredentialSource fromSupplier(Supplier<String> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return new CredentialSource() {
            private volatile String last;

            @Override
            public String current(URI uri) {
                String value = last;
                if (value == null) {
                    value = supplier.get();
                    last = value;
                }
                return value;
            }

            @Override
            public String refresh(URI uri, String refused) {
                String value = supplier.get();
                last = value;
                return value;
            }

            @Override
            public String toString() {
                return "CredentialSource.fromSupplier(" + supplier.getClass().getName() + ")";
            }
        };
    }
}
