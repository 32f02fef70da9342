package io.statuspolicy.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.micrometer.MicrometerPolicyListener;
import java.util.Optional;
import org.springframework.beans.factory.BeanFactory;

/** Loaded only when Micrometer and statuspolicy-micrometer are on the class path. */
final class Meters {
    private Meters() {
    }

    /**
     * The meters listener over the application's {@code MeterRegistry}, when it has exactly one (or
     * a primary one), tagged {@code client.name} = {@code clientName}.
     */
    static Optional<PolicyListener> listener(BeanFactory beans, String clientName) {
        MeterRegistry registry = beans.getBeanProvider(MeterRegistry.class).getIfAvailable();
        return registry == null ? Optional.empty()
                : Optional.of(MicrometerPolicyListener.builder(registry).clientName(clientName).build());
    }

    /** Gauges the engine's retry budget per origin, when {@code listener} is the meters listener. */
    static void watchBudget(PolicyListener listener, io.statuspolicy.engine.PolicyEngine engine) {
        if (listener instanceof MicrometerPolicyListener meters) {
            meters.watchRetryBudget(engine.decider().budget(), engine.clock());
        }
    }
}
