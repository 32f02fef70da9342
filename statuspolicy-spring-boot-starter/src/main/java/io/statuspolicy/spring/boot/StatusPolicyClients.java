package io.statuspolicy.spring.boot;

import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.spring.StatusPolicySpring;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.springframework.web.client.RestClient;

/**
 * The application's policy and the policies of its named clients ({@code statuspolicy.clients.<name>}):
 * a Feign client's name, an HTTP service group's name, or a name you give a {@code RestClient}
 * ({@link #install(String, RestClient.Builder)}). A name without a policy of its own gets the
 * application's. Each named client has an engine of its own, made like the application's (the
 * same listeners and {@link PolicyEngineCustomizer}s; meters tagged {@code client.name} with its
 * name) the first time it is asked for.
 *
 * <p>Thread-safe.
 */
public final class StatusPolicyClients {
    private final PolicyEngine applicationEngine;
    private final Map<String, Policy> policies;
    private final BiFunction<String, Policy, PolicyEngine> engineMaker;
    private final Map<String, PolicyEngine> engines = new ConcurrentHashMap<>();

    StatusPolicyClients(PolicyEngine applicationEngine, Map<String, Policy> policies,
            BiFunction<String, Policy, PolicyEngine> engineMaker) {
        this.applicationEngine = Objects.requireNonNull(applicationEngine, "applicationEngine");
        this.policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
        this.engineMaker = engineMaker;
    }

    /** The names that have a policy of their own, in the order they were configured. */
    public Set<String> names() {
        return policies.keySet();
    }

    /** Whether {@code name} has a policy of its own. */
    public boolean hasOwnPolicy(String name) {
        return name != null && policies.containsKey(name);
    }

    /** The policy a client of this name follows (the application's when it has none of its own). */
    public Policy policy(String name) {
        Policy own = name == null ? null : policies.get(name);
        return own != null ? own : applicationEngine.policy();
    }

    /** The engine a client of this name uses (the application's when it has no policy of its own). */
    public PolicyEngine engine(String name) {
        if (!hasOwnPolicy(name)) {
            return applicationEngine;
        }
        return engines.computeIfAbsent(name, key -> engineMaker.apply(key, policies.get(key)));
    }

    /** The application's engine. */
    public PolicyEngine applicationEngine() {
        return applicationEngine;
    }

    /** The Spring adapter over {@link #engine(String)}. */
    public StatusPolicySpring spring(String name) {
        return StatusPolicySpring.with(engine(name));
    }

    /**
     * {@code builder} with this name's policy in place of the application's (which Boot's builder
     * already carries): {@code clients.install("payments", restClientBuilder).baseUrl(...).build()}.
     */
    public RestClient.Builder install(String name, RestClient.Builder builder) {
        return spring(name).install(builder);
    }

    @Override
    public String toString() {
        return "StatusPolicyClients" + policies.keySet();
    }
}
