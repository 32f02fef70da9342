/**
 * Test fixtures for statuspolicy, its adapters and its users: {@link io.statuspolicy.testing.ScriptedServer}
 * (a real local HTTP or HTTPS server answering from a per-path script, with socket faults),
 * {@link io.statuspolicy.testing.TestCertificates}, {@link io.statuspolicy.testing.FakeClock},
 * {@link io.statuspolicy.testing.FakeSleeper} and {@link io.statuspolicy.testing.RecordingListener}.
 */
package io.statuspolicy.testing;
