/** The per-host retry budget that keeps an outage from multiplying the traffic sent to a host. */
package io.statuspolicy.budget;
