package io.statuspolicy.spring.boot;

import io.statuspolicy.config.PolicyFile;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.spring.StatusPolicySpring;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Every {@code RestClient} and {@code RestTemplate} the application builds through Boot's builders
 * follows the policy, and so does every Feign client when statuspolicy-feign is present.
 *
 * <ul>
 *   <li>a {@link Policy} bean from {@code statuspolicy.policy-file} (the guideline without one) and
 *       a {@link PolicyEngine} bean over it, with every {@link PolicyListener} bean and, when the
 *       application has a {@code MeterRegistry} and statuspolicy-micrometer, the meters listener
 *       (unless one of the listener beans already is one: meters are never counted twice);
 *       each one only when the application defines none of its own; every
 *       {@link PolicyEngineCustomizer} bean adjusts the engine's builder (stores, credentials);</li>
 *   <li>a {@code RestClientCustomizer} and a {@code RestTemplateCustomizer} that put the interceptor
 *       first; they refuse to start while {@code spring.http.clients.redirects} lets the request
 *       factory follow redirects itself ({@link RedirectsOff} defaults it to {@code dont-follow});</li>
 *   <li>Apache HttpClient 5's retries, redirects and authentication switched off in the request
 *       factory Boot builds for it ({@link ApacheSwitchedOff});</li>
 *   <li>a Feign {@code Capability} bean (Spring Cloud OpenFeign adds capability beans to every
 *       client) when statuspolicy-feign is on the class path.</li>
 * </ul>
 *
 * <p>{@code statuspolicy.enabled=false} switches all of it off.
 */
@AutoConfiguration
@ConditionalOnClass(PolicyEngine.class)
@ConditionalOnProperty(prefix = "statuspolicy", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(StatusPolicyProperties.class)
public class StatusPolicyAutoConfiguration {
    static final String MICROMETER_LISTENER = "io.statuspolicy.micrometer.MicrometerPolicyListener";
    static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    @Bean
    @ConditionalOnMissingBean
    public Policy statusPolicy(StatusPolicyProperties properties, ResourceLoader resources) {
        String location = properties.getPolicyFile();
        if (location == null || location.isBlank()) {
            return Policy.guideline();
        }
        Resource file = resources.getResource(location);
        if (!file.exists()) {
            throw new IllegalStateException("statuspolicy.policy-file: no policy file at " + location);
        }
        try (InputStream in = file.getInputStream()) {
            return PolicyFile.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), location);
        } catch (IOException e) {
            throw new IllegalStateException("statuspolicy.policy-file: cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    public PolicyEngine statusPolicyEngine(Policy policy, ObjectProvider<PolicyListener> listeners,
            ObjectProvider<PolicyEngineCustomizer> customizers, BeanFactory beans) {
        PolicyEngine.Builder builder = PolicyEngine.builder().policy(policy);
        java.util.List<PolicyListener> own = listeners.orderedStream().toList();
        own.forEach(builder::listener);
        ClassLoader loader = getClass().getClassLoader();
        boolean metersOfItsOwn = own.stream().anyMatch(l -> l.getClass().getName().equals(MICROMETER_LISTENER));
        if (!metersOfItsOwn && ClassUtils.isPresent(MICROMETER_LISTENER, loader)
                && ClassUtils.isPresent(METER_REGISTRY, loader)) {
            // Looked up when the engine is made, not by condition, so auto-configuration order does not matter.
            Meters.listener(beans).ifPresent(builder::listener);
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    public StatusPolicySpring statusPolicySpring(PolicyEngine engine) {
        return StatusPolicySpring.with(engine);
    }

    /** The interceptor on every RestClient.Builder and RestTemplateBuilder Boot hands out. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RestClientCustomizer.class)
    static class RestClients {
        @Bean
        RestClientCustomizer statusPolicyRestClientCustomizer(StatusPolicySpring policy, Environment environment) {
            RedirectsOff.check(environment);
            return builder -> builder.requestInterceptors(policy::addFirst);
        }

        @Bean
        RestTemplateCustomizer statusPolicyRestTemplateCustomizer(StatusPolicySpring policy, Environment environment) {
            RedirectsOff.check(environment);
            return template -> policy.addFirst(template.getInterceptors());
        }
    }

    /** Apache HttpClient 5's own retries, redirects and authentication off, when Boot builds its factory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.apache.hc.client5.http.impl.classic.HttpClientBuilder",
            "org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer"})
    static class Apache {
        @Bean
        ApacheSwitchedOff statusPolicyApacheSwitchedOff() {
            return new ApacheSwitchedOff();
        }
    }

    /** The Feign capability, for Spring Cloud OpenFeign (which adds capability beans to each client) or your own builders. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"feign.Capability", "io.statuspolicy.feign.StatusPolicyFeign"})
    static class Feign {
        @Bean
        @ConditionalOnMissingBean(name = "statusPolicyFeignCapability")
        feign.Capability statusPolicyFeignCapability(PolicyEngine engine) {
            return io.statuspolicy.feign.StatusPolicyFeign.with(engine).capability();
        }
    }
}
