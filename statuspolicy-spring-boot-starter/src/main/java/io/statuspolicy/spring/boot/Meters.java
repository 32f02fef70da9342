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

    /** The meters listener over the application's {@code MeterRegistry}, when it has exactly one (or a primary one). */
    static Optional<PolicyListener> listener(BeanFactory beans) {
        MeterRegistry registry = beans.getBeanProvider(MeterRegistry.class).getIfAvailable();
        return registry == null ? Optional.empty() : Optional.of(MicrometerPolicyListener.builder(registry).build());
    }
}
