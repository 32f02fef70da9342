/**
 * Pure HTTP parsing helpers used by the decision engine: HTTP-dates (RFC 9110 §5.6.7),
 * {@code Retry-After} (RFC 9110 §10.2.3), {@code Location} resolution with redirect-target
 * safety checks (RFC 3986 §5.2, RFC 9110 §10.2.2 and §4.2.4), origins (RFC 9110 §4.3.1) and
 * redaction of secrets for logs.
 *
 * <p>Every type here is stateless or immutable, thread-safe, free of I/O and free of clocks:
 * the current time is always a parameter. Parsers of values received from the network never
 * throw on bad input; they return an "invalid" or "rejected" result that says why.
 */
package io.statuspolicy.http;
