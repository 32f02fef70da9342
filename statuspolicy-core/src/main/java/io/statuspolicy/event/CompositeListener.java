package io.statuspolicy.event;

import java.util.List;

/** Tells several (already guarded) listeners, in order. */
final class CompositeListener implements PolicyListener {
    private final List<PolicyListener> listeners;

    CompositeListener(List<PolicyListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void attemptStarted(PolicyEvent.AttemptStarted event) {
        listeners.forEach(l -> l.attemptStarted(event));
    }

    @Override
    public void decisionMade(PolicyEvent.DecisionMade event) {
        listeners.forEach(l -> l.decisionMade(event));
    }

    @Override
    public void waiting(PolicyEvent.Waiting event) {
        listeners.forEach(l -> l.waiting(event));
    }

    @Override
    public void hostChecked(PolicyEvent.HostChecked event) {
        listeners.forEach(l -> l.hostChecked(event));
    }

    @Override
    public void circuitChanged(PolicyEvent.CircuitChanged event) {
        listeners.forEach(l -> l.circuitChanged(event));
    }

    @Override
    public void storeDegraded(PolicyEvent.StoreDegraded event) {
        listeners.forEach(l -> l.storeDegraded(event));
    }

    @Override
    public void storeRecovered(PolicyEvent.StoreRecovered event) {
        listeners.forEach(l -> l.storeRecovered(event));
    }

    @Override
    public void gaveUp(PolicyEvent.GaveUp event) {
        listeners.forEach(l -> l.gaveUp(event));
    }

    @Override
    public void callFinished(PolicyEvent.CallFinished event) {
        listeners.forEach(l -> l.callFinished(event));
    }
}
