package io.statuspolicy.apache5;

import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.ConformanceSuite;

/** The whole conformance suite, both modes, against the classic client with the policy installed. */
class Apache5ClassicConformanceTest extends ConformanceSuite {
    @Override
    protected ClientUnderTest client(ClientSettings settings) {
        return new Apache5ClassicClientUnderTest(settings);
    }
}
