package io.statuspolicy.benchmarks.storm;

import java.util.random.RandomGenerator;

/**
 * How a client repeats a logical request. Each simulated client gets its own
 * {@link ClientRetries} (its own state, and for us its own retry budget, as separate service
 * instances would have).
 */
public interface Strategy {

    /** {@link Execution#after} returns this to end the logical request. */
    long STOP = -1;

    /** Short name for tables and plots. */
    String name();

    /** One line: what it does, with its numbers. */
    String description();

    /** The retry state of one client; {@code clock} is the simulation's, {@code random} this client's. */
    ClientRetries forClient(io.statuspolicy.benchmarks.stub.VirtualTime clock, RandomGenerator random);

    /** Starts logical requests for one client. */
    interface ClientRetries {
        /** A logical request starts now; its first attempt is sent at once. */
        Execution start();
    }

    /** One logical request. */
    interface Execution {
        /**
         * Before the first attempt (now): the wait in microseconds before it is sent (a host hold),
         * 0 to send at once, or {@link #STOP} to end the request without sending (an open circuit,
         * a hold beyond the deadline). Added in issue 11; by default 0.
         */
        default long beforeFirst() {
            return 0;
        }

        /**
         * The attempt's outcome arrived (now, on the simulation's clock).
         *
         * @return the wait in microseconds before the next attempt, or {@link #STOP}
         */
        long after(Outcome outcome);
    }
}
