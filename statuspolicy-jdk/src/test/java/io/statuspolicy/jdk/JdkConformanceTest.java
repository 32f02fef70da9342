package io.statuspolicy.jdk;

import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.ConformanceSuite;

/** The whole conformance suite, sync and async, against {@link PolicyHttpClient}. */
class JdkConformanceTest extends ConformanceSuite {
    @Override
    protected ClientUnderTest client(ClientSettings settings) {
        return new JdkClientUnderTest(settings);
    }
}
