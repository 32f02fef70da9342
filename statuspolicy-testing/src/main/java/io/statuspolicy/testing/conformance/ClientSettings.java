package io.statuspolicy.testing.conformance;

import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.RedirectStore;
import io.statuspolicy.engine.ResponseStore;

import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.time.Sleeper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/**
 * How a scenario wants the client under test configured.
 *
 * @param policy        the policy
 * @param clock         the clock (a fake one, or real time)
 * @param sleeper       how to wait (a fake one that moves the fake clock, or real time)
 * @param random        the jitter source
 * @param listener      a listener to attach
 * @param credentials   the origin credential source, or null for none
 * @param responseCache keep responses with validators for conditional requests (in memory)
 * @param stateDirectory when not null, keep redirect memory and the response cache in files here
 * @param sslContext    trust for the scenario's HTTPS servers
 */
public record ClientSettings(Policy policy, Clock clock, Sleeper sleeper, RandomGenerator random,
        PolicyListener listener, TestCredentials credentials, boolean responseCache, Path stateDirectory,
        SSLContext sslContext) {

    public ClientSettings withPolicy(Policy value) {
        return new ClientSettings(value, clock, sleeper, random, listener, credentials, responseCache, stateDirectory,
                sslContext);
    }

    public ClientSettings withCredentials(TestCredentials value) {
        return new ClientSettings(policy, clock, sleeper, random, listener, value, responseCache, stateDirectory,
                sslContext);
    }

    public ClientSettings withResponseCache(boolean value) {
        return new ClientSettings(policy, clock, sleeper, random, listener, credentials, value, stateDirectory,
                sslContext);
    }

    public ClientSettings withStateDirectory(Path value) {
        return new ClientSettings(policy, clock, sleeper, random, listener, credentials, responseCache, value,
                sslContext);
    }

    /** Real time instead of the fake clock and sleeper (for deadline, interrupt and cancel scenarios). */
    public ClientSettings withRealTime() {
        return new ClientSettings(policy, Clock.systemUTC(), Sleeper.system(), random, listener, credentials,
                responseCache, stateDirectory, sslContext);
    }

    /**
     * An engine builder configured as these settings say: policy, time, jitter, listener, the
     * credentials, and the stores (files under the state directory, or an in-memory response
     * cache). Every adapter's conformance client starts from it and adds its client.
     */
    public PolicyEngine.Builder engine() {
        PolicyEngine.Builder builder = PolicyEngine.builder()
                .policy(policy)
                .clock(clock)
                .sleeper(sleeper)
                .random(random);
        if (listener != null) {
            builder.listener(listener);
        }
        if (credentials != null) {
            TestCredentials source = credentials;
            builder.credentials(new CredentialSource() {
                @Override
                public String current(java.net.URI uri) {
                    return source.current();
                }

                @Override
                public String refresh(java.net.URI uri, String refused) {
                    return source.refresh(refused);
                }
            });
        }
        if (stateDirectory != null) {
            builder.redirectStore(RedirectStore.file(stateDirectory.resolve("redirects.properties"), 1000));
            builder.responseStore(ResponseStore.directory(stateDirectory.resolve("responses"), 1 << 26));
        } else if (responseCache) {
            builder.responseStore(ResponseStore.inMemory(1 << 24));
        }
        return builder;
    }
}
