package io.statuspolicy.spring;

import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.ConformanceSuite;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole conformance suite through the interceptor, over a real {@code RestClient} on
 * {@code JdkClientHttpRequestFactory}. SYNC is the blocking call; ASYNC is the same call on an
 * executor thread (RestClient has no asynchronous API; see {@link RestClientUnderTest}). The
 * scenarios an interceptor cannot pass are listed with their reasons (the README's "Known limits").
 */
class RestClientConformanceTest extends ConformanceSuite {
    @RegisterExtension
    final KnownLimits limits = new KnownLimits(Map.of(
            "a411IsResentOnceWithAContentLength", "Spring buffers the body for its interceptors and sets its "
                    + "Content-Length before the first one runs, so no attempt goes out without one",
            "theDeadlineCoversSlowHeaders", "an interceptor cannot bound a pending attempt: Spring gives it no "
                    + "per-request timeout and no abort before the head arrives (the request factory's read "
                    + "timeout is the only bound there)"));

    @Override
    protected ClientUnderTest client(ClientSettings settings) {
        return new RestClientUnderTest(settings);
    }
}
