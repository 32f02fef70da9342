package io.statuspolicy.event;

import java.util.Objects;

/** Guards a listener: whatever it throws (short of a VirtualMachineError) is dropped. */
final class SafeListener implements PolicyListener {
    private final PolicyListener delegate;

    SafeListener(PolicyListener delegate) {
        this.delegate = Objects.requireNonNull(delegate, "listener");
    }

    @Override
    public void attemptStarted(PolicyEvent.AttemptStarted event) {
        try {
            delegate.attemptStarted(event);
        } catch (RuntimeException | LinkageError | AssertionError ignored) {
            // A listener must never change the call's outcome.
        }
    }

    @Override
    public void decisionMade(PolicyEvent.DecisionMade event) {
        try {
            delegate.decisionMade(event);
        } catch (RuntimeException | LinkageError | AssertionError ignored) {
            // A listener must never change the call's outcome.
        }
    }

    @Override
    public void waiting(PolicyEvent.Waiting event) {
        try {
            delegate.waiting(event);
        } catch (RuntimeException | LinkageError | AssertionError ignored) {
            // A listener must never change the call's outcome.
        }
    }

    @Override
    public void hostChecked(PolicyEvent.HostChecked event) {
        try {
            delegate.hostChecked(event);
        } catch (RuntimeException | LinkageError | AssertionError ignored) {
            // A listener must never change the call's outcome.
        }
    }

    @Override
    public void circuitChanged(PolicyEvent.CircuitChanged event) {
        try {
            delegate.circuitChanged(event);
        } catch (RuntimeException | LinkageError | AssertionError ignored) {
            // A listener must never change the call's outcome.
        }
    }

    @Override
    public void storeDegraded(PolicyEvent.StoreDegraded event) {
        try {
            delegate.storeDegraded(event);
        } catch (RuntimeException | LinkageError | AssertionError ignored) {
            // A listener must never change what a store does.
        }
    }

    @Override
    public void storeRecovered(PolicyEvent.StoreRecovered event) {
        try {
            delegate.storeRecovered(event);
        } catch (RuntimeException | LinkageError | AssertionError ignored) {
            // A listener must never change what a store does.
        }
    }

    @Override
    public void gaveUp(PolicyEvent.GaveUp event) {
        try {
            delegate.gaveUp(event);
        } catch (RuntimeException | LinkageError | AssertionError ignored) {
            // A listener must never change the call's outcome.
        }
    }

    @Override
    public void callFinished(PolicyEvent.CallFinished event) {
        try {
            delegate.callFinished(event);
        } catch (RuntimeException | LinkageError | AssertionError ignored) {
            // A listener must never change the call's outcome.
        }
    }

    @Override
    public String toString() {
        return "safe(" + delegate + ")";
    }
}
