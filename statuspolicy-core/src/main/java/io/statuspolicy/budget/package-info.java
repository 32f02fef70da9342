/** The retry budget, kept per key (an origin, or a host), that keeps an outage from multiplying the traffic sent there. */
package io.statuspolicy.budget;
