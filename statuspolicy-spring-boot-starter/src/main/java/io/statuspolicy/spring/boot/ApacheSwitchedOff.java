package io.statuspolicy.spring.boot;

import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.boot.http.client.HttpComponentsClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;

/**
 * Apache HttpClient 5 under the request factory Boot builds does nothing the policy decides:
 * no automatic retries (it would resend a 429 or a 503 once, for any method, after its own
 * reading of {@code Retry-After}), no redirect handling, no authentication of its own. Loaded only
 * when HttpClient 5 is on the class path; applied by Boot only to its HttpComponents builder.
 */
final class ApacheSwitchedOff implements ClientHttpRequestFactoryBuilderCustomizer<HttpComponentsClientHttpRequestFactoryBuilder> {
    @Override
    public HttpComponentsClientHttpRequestFactoryBuilder customize(HttpComponentsClientHttpRequestFactoryBuilder builder) {
        return builder.withHttpClientCustomizer(ApacheSwitchedOff::switchOff)
                .withDefaultRequestConfigCustomizer(config -> config.setAuthenticationEnabled(false));
    }

    static void switchOff(HttpClientBuilder client) {
        client.disableAutomaticRetries().disableRedirectHandling().disableAuthCaching();
    }
}
