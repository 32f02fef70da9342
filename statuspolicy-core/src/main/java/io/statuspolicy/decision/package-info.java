/**
 * The decision function: {@link io.statuspolicy.decision.Decider} maps a request's facts, a
 * response (or a transport failure) and the attempt state to a
 * {@link io.statuspolicy.decision.Decision}. Pure but for the injected clock, random source and
 * (read-only) retry budget; executors carry the decisions out.
 */
package io.statuspolicy.decision;
