package io.statuspolicy.okhttp;

import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.ConformanceSuite;

/** The whole conformance suite through OkHttp: SYNC is {@code execute()}, ASYNC is {@code enqueue()}. */
class OkHttpConformanceTest extends ConformanceSuite {
    @Override
    protected ClientUnderTest client(ClientSettings settings) {
        return new OkHttpClientUnderTest(settings);
    }
}
