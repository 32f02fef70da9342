package io.statuspolicy.spring.boot;

import io.statuspolicy.spring.StatusPolicySpring;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Every {@code WebClient} the application builds through Boot's {@code WebClient.Builder} follows
 * the policy: a {@link WebClientCustomizer} puts the non-blocking filter first (captured request
 * bodies encoded with the builder's own codecs), and Reactor Netty's own retry-once is switched
 * off in the connector Boot builds ({@code HttpClient.disableRetry(true)}: by default it resends a
 * request of any method once when its connection closes before the response). Redirects are
 * Boot's {@code spring.http.clients.redirects}, which the starter defaults to {@code dont-follow}
 * and checks at start-up, as for RestClient. Only with spring-boot-webclient (and, for the
 * connector, Reactor Netty) on the class path; {@code statuspolicy.enabled=false} switches it off.
 */
@AutoConfiguration(after = StatusPolicyAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.webclient.WebClientCustomizer",
        "org.springframework.web.reactive.function.client.WebClient"})
@ConditionalOnProperty(prefix = "statuspolicy", name = "enabled", havingValue = "true", matchIfMissing = true)
public class StatusPolicyWebClientAutoConfiguration {

    @Bean
    @ConditionalOnBean(StatusPolicySpring.class)
    WebClientCustomizer statusPolicyWebClientCustomizer(StatusPolicySpring policy, Environment environment) {
        RedirectsOff.check(environment);
        return policy::installFilter;
    }

    /** Reactor Netty's retry-once off in the connector Boot builds for it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"reactor.netty.http.client.HttpClient",
            "org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer"})
    static class ReactorNetty {
        @Bean
        ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> statusPolicyReactorNettyRetryOff() {
            return builder -> builder.withHttpClientCustomizer(client -> client.disableRetry(true));
        }
    }
}
