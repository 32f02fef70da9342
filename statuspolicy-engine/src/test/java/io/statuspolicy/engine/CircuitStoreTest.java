package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.Circuit;
import io.statuspolicy.decision.CircuitState;
import org.junit.jupiter.api.Test;

/** The in-memory circuit store: atomic changes, closed circuits not kept, bounded with idle entries swept. */
class CircuitStoreTest {
    private static final long T = 1_000_000;

    @Test
    void aClosedCircuitWithoutFailuresIsNotKept() {
        CircuitStore store = CircuitStore.inMemory(10);
        Circuit open = new Circuit(CircuitState.OPEN, 5, T + 5_000, 503, T);
        assertThat(store.update("https://a.test:443", T, c -> open)).isEqualTo(open);
        assertThat(store.get("https://a.test:443")).isEqualTo(open);
        assertThat(store.update("https://a.test:443", T, c -> null)).isNull();
        assertThat(store.isEmpty()).isTrue();
    }

    @Test
    void manyOriginsStayBounded() {
        InMemoryCircuitStore store = new InMemoryCircuitStore(200);
        for (int i = 0; i < 50_000; i++) {
            long now = T + i * 10L;
            store.update("https://o" + i + ".test:443", now, c -> new Circuit(CircuitState.CLOSED, 1, 0, 500, now));
        }
        assertThat(store.keys()).isLessThanOrEqualTo(200);
    }
}
