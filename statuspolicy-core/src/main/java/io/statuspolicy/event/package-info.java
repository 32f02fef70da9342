/** Listener and events through which executors report attempts, decisions, waits and outcomes. */
package io.statuspolicy.event;
