/**
 * Benchmarks of statuspolicy, not published: {@code overhead} (A0, JMH over a stub transport),
 * {@code loopback} (A1, a real client against a server in another process) and {@code storm}
 * (B, a retry-storm simulation in virtual time). Figures and commands: docs/benchmarks.md.
 */
package io.statuspolicy.benchmarks;
