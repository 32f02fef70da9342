package io.statuspolicy.testing.conformance;

/** Which of an executor's paths a scenario goes through. Every scenario runs through both. */
public enum Mode {
    /** The blocking call (for java.net.http: {@code send}). */
    SYNC,
    /** The asynchronous call (for java.net.http: {@code sendAsync}). */
    ASYNC
}
