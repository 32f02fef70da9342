package io.statuspolicy.feign;

import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.ConformanceSuite;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole conformance suite through the Feign decorator, over the two Feign clients that matter:
 * {@code Client.Default} (HttpURLConnection) and feign-okhttp's {@code OkHttpClient}. SYNC is
 * {@code Client.execute}, ASYNC is {@code AsyncClient.execute}. The scenarios a client cannot pass
 * are listed with their reasons (the README's "Known limits").
 */
class FeignConformanceTest {
    static final String HTTP_URL_CONNECTION_DRAINS = "HttpURLConnection hands a closed, unfinished body to its "
            + "keep-alive cleaner, which reads the rest (up to http.KeepAlive.remainingData) instead of closing the "
            + "connection; Feign's Response gives no way to disconnect it";
    static final String NO_ABORT = "a Feign Response cannot abort its exchange: closing the body from the deadline "
            + "timer's thread does not stop the connection while the caller's thread is blocked reading it";

    @Nested
    class OverClientDefault extends ConformanceSuite {
        @RegisterExtension
        final KnownLimits limits = new KnownLimits(Map.of(
                "aConnectionClosedBeforeTheRequestIsReadIsRetriedForGet", "HttpURLConnection silently sends a "
                        + "body-less request again when its connection closes before a response; there is no "
                        + "switch for it (sun.net.http.retryPost covers POST only)",
                "aDrippingDiscardedBodyDoesNotHoldTheCall", HTTP_URL_CONNECTION_DRAINS,
                "theDeadlineCoversADrippingBody", HTTP_URL_CONNECTION_DRAINS,
                "callsCancelledAtOnceLeaveNoExchangeRunning", HTTP_URL_CONNECTION_DRAINS));

        @Override
        protected ClientUnderTest client(ClientSettings settings) {
            return new FeignClientUnderTest(settings, FeignClientUnderTest.Delegate.DEFAULT);
        }
    }

    @Nested
    class OverOkHttp extends ConformanceSuite {
        @RegisterExtension
        final KnownLimits limits = new KnownLimits(Map.of(
                "a411IsResentOnceWithAContentLength", "feign-okhttp sends every byte[] body with its length, so "
                        + "there is no first attempt without Content-Length to repair",
                "theDeadlineCoversADrippingBody", NO_ABORT));

        @Override
        protected ClientUnderTest client(ClientSettings settings) {
            return new FeignClientUnderTest(settings, FeignClientUnderTest.Delegate.OKHTTP);
        }
    }
}
