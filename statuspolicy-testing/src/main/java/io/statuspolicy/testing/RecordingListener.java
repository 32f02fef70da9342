package io.statuspolicy.testing;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PolicyListener} that keeps every event it hears, in the order heard, for assertions.
 * Thread-safe: concurrent calls may report to one listener; each accessor returns a snapshot.
 */
public final class RecordingListener implements PolicyListener {

    private final List<PolicyEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void attemptStarted(PolicyEvent.AttemptStarted event) {
        events.add(Objects.requireNonNull(event, "event"));
    }

    @Override
    public void decisionMade(PolicyEvent.DecisionMade event) {
        events.add(Objects.requireNonNull(event, "event"));
    }

    @Override
    public void waiting(PolicyEvent.Waiting event) {
        events.add(Objects.requireNonNull(event, "event"));
    }

    @Override
    public void hostChecked(PolicyEvent.HostChecked event) {
        events.add(event);
    }

    @Override
    public void circuitChanged(PolicyEvent.CircuitChanged event) {
        events.add(event);
    }

    @Override
    public void storeDegraded(PolicyEvent.StoreDegraded event) {
        events.add(event);
    }

    @Override
    public void storeRecovered(PolicyEvent.StoreRecovered event) {
        events.add(event);
    }

    @Override
    public void gaveUp(PolicyEvent.GaveUp event) {
        events.add(Objects.requireNonNull(event, "event"));
    }

    @Override
    public void callFinished(PolicyEvent.CallFinished event) {
        events.add(Objects.requireNonNull(event, "event"));
    }

    /** Every event heard so far, in order. */
    public List<PolicyEvent> events() {
        return List.copyOf(events);
    }

    /** The events of one type, in order, for example {@code events(PolicyEvent.Waiting.class)}. */
    public <T extends PolicyEvent> List<T> events(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The decision of each {@link PolicyEvent.DecisionMade}, in order. */
    public List<Decision> decisions() {
        return events(PolicyEvent.DecisionMade.class).stream().map(PolicyEvent.DecisionMade::decision).toList();
    }

    /** The one-line {@link Decision#explain() explanation} of each decision, in order. */
    public List<String> explanations() {
        return decisions().stream().map(Decision::explain).toList();
    }

    /** Forgets every event heard so far. */
    public void clear() {
        events.clear();
    }

    @Override
    public String toString() {
        return "RecordingListener[" + events.size() + " events]";
    }
}
