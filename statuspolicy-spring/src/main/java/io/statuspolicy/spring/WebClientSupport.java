package io.statuspolicy.spring;

import io.statuspolicy.engine.PolicyEngine;
import java.lang.reflect.Field;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ClientCodecConfigurer;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;

/** What {@link StatusPolicySpring} does for WebClient, kept apart so that it loads without WebFlux. */
final class WebClientSupport {
    private WebClientSupport() {
    }

    static ExchangeFilterFunction filter(PolicyEngine engine, long bufferLimit, long requestLimit,
            Supplier<List<HttpMessageWriter<?>>> writers) {
        return new PolicyFilter(engine, bufferLimit, requestLimit, writers);
    }

    /** The message writers of {@code strategies}, or the defaults. */
    static Supplier<List<HttpMessageWriter<?>>> writers(ExchangeStrategies strategies) {
        ExchangeStrategies chosen = strategies == null ? Defaults.STRATEGIES : strategies;
        return chosen::messageWriters;
    }

    private static final class Defaults {
        static final ExchangeStrategies STRATEGIES = ExchangeStrategies.withDefaults();
    }

    static WebClient.Builder install(WebClient.Builder builder, PolicyEngine engine, long bufferLimit,
            long requestLimit) {
        // The codecs the builder ends up with (its own and those configured after this call) encode
        // the captured request bodies: read from its configurer once the client is built.
        ConfigurerHolder holder = new ConfigurerHolder();
        builder.codecs(holder::set);
        ExchangeFilterFunction filter = new PolicyFilter(engine, bufferLimit, requestLimit, holder);
        return builder.filters(filters -> {
            if (filters.stream().noneMatch(PolicyFilter.class::isInstance)) {
                filters.add(0, filter);
            }
        });
    }

    /** The message writers of the builder's codec configurer, read when first needed. */
    private static final class ConfigurerHolder implements Supplier<List<HttpMessageWriter<?>>> {
        private volatile ClientCodecConfigurer configurer;
        private volatile List<HttpMessageWriter<?>> writers;
        private volatile ClientCodecConfigurer readFrom;

        void set(ClientCodecConfigurer value) {
            configurer = value;
        }

        @Override
        public List<HttpMessageWriter<?>> get() {
            ClientCodecConfigurer current = configurer;
            if (current == null) {
                return Defaults.STRATEGIES.messageWriters();
            }
            if (readFrom != current) {
                writers = List.copyOf(current.getWriters());
                readFrom = current;
            }
            return writers;
        }
    }

    static ReactorClientHttpConnector connector(reactor.netty.http.client.HttpClient client) {
        return new ReactorClientHttpConnector(switchedOff(client));
    }

    /** Reactor Netty's own retry-once off, and its redirect following (off by default) kept off. */
    static reactor.netty.http.client.HttpClient switchedOff(reactor.netty.http.client.HttpClient client) {
        return client.disableRetry(true).followRedirect(false);
    }

    static <C extends ClientHttpConnector> C checked(C connector) {
        if (connector instanceof ReactorClientHttpConnector reactor) {
            Object client = field(ReactorClientHttpConnector.class, "httpClient", reactor);
            if (client instanceof reactor.netty.http.client.HttpClient http) {
                if (!http.configuration().isRetryDisabled()) {
                    throw new IllegalArgumentException("the Reactor Netty HttpClient under this connector retries "
                            + "once on its own when a connection closes before the response, for any method: build "
                            + "it with HttpClient.disableRetry(true) (StatusPolicySpring.connector does); the policy "
                            + "decides every retry");
                }
                if (http.configuration().followRedirectPredicate() != null) {
                    throw new IllegalArgumentException("the Reactor Netty HttpClient under this connector follows "
                            + "redirects: build it with followRedirect(false) (Reactor Netty's default), or with "
                            + "Spring Boot set spring.http.clients.redirects=dont-follow; the policy decides every redirect");
                }
            }
        } else if (connector instanceof JdkClientHttpConnector jdk) {
            Object client = field(JdkClientHttpConnector.class, "httpClient", jdk);
            if (client instanceof java.net.http.HttpClient http
                    && http.followRedirects() != java.net.http.HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("the HttpClient under this JdkClientHttpConnector follows "
                        + "redirects (followRedirects " + http.followRedirects() + "): build it with "
                        + "HttpClient.Builder.followRedirects(HttpClient.Redirect.NEVER), or with Spring Boot set "
                        + "spring.http.clients.redirects=dont-follow; the policy decides every redirect");
            }
        }
        return connector;
    }

    private static Object field(Class<?> type, String name, Object target) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // cannot tell: let it pass, as documented
        }
    }
}
