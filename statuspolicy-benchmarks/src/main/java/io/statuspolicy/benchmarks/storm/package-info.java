/**
 * B: a retry-storm simulation in virtual time. A server with a bounded queue and a fixed number
 * of workers, many clients with Poisson arrivals, an outage in the middle of the run, and a
 * retry strategy per client. Our strategy runs the real {@code Decider}, {@code RetryBudget} and
 * {@code Backoff} on a virtual clock; the peers run their libraries' default schedules, read
 * from the libraries' own default configurations.
 */
package io.statuspolicy.benchmarks.storm;
