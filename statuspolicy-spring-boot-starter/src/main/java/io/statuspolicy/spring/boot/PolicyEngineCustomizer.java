package io.statuspolicy.spring.boot;

import io.statuspolicy.engine.PolicyEngine;

/**
 * Changes the {@link PolicyEngine.Builder} the starter builds its engine with, after the policy and
 * the listeners are set: stores (a shared Redis one, a file-backed redirect store), a credential
 * source, a retry budget. Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface PolicyEngineCustomizer {

    /** Adjusts {@code builder}; called once, while the engine bean is made. */
    void customize(PolicyEngine.Builder builder);
}
