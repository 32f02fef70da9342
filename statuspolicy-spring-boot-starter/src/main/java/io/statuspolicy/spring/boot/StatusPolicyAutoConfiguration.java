package io.statuspolicy.spring.boot;

import io.statuspolicy.config.PolicyFile;
import io.statuspolicy.config.PolicyFileException;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.spring.StatusPolicySpring;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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
 *       {@link PolicyEngineCustomizer} bean adjusts the engine's builder (stores, credentials), and
 *       a single {@code CredentialSource} bean supplies and renews {@code Authorization};</li>
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
        Policy fromFile = readFile(resources, properties.getPolicyFile(), "statuspolicy.policy-file", Policy.guideline());
        return PolicyYaml.read(properties.tree(), "statuspolicy", fromFile);
    }

    @Bean
    @ConditionalOnMissingBean
    public PolicyEngine statusPolicyEngine(Policy policy, ObjectProvider<PolicyListener> listeners,
            ObjectProvider<PolicyEngineCustomizer> customizers, BeanFactory beans) {
        return engine("default", policy, listeners, customizers, beans);
    }

    /**
     * The policies of {@code statuspolicy.clients.<name>}, each read over the application's policy
     * when the context starts (so a bad value stops start-up), with their engines.
     */
    @Bean
    @ConditionalOnMissingBean
    public StatusPolicyClients statusPolicyClients(PolicyEngine engine, StatusPolicyProperties properties,
            ResourceLoader resources, ObjectProvider<PolicyListener> listeners,
            ObjectProvider<PolicyEngineCustomizer> customizers, BeanFactory beans) {
        Map<String, Policy> policies = new LinkedHashMap<>();
        properties.getClients().forEach((name, client) -> {
            String prefix = "statuspolicy.clients." + name;
            Policy base = readFile(resources, client.getPolicyFile(), prefix + ".policy-file", engine.policy());
            policies.put(name, PolicyYaml.read(client.tree(), prefix, base));
        });
        return new StatusPolicyClients(engine, policies,
                (name, policy) -> engine(name, policy, listeners, customizers, beans));
    }

    /**
     * An engine over {@code policy} with the application's listeners, meters (tagged
     * {@code client.name} = {@code clientName}, with the engine's retry budget gauged) and customizers.
     */
    private PolicyEngine engine(String clientName, Policy policy, ObjectProvider<PolicyListener> listeners,
            ObjectProvider<PolicyEngineCustomizer> customizers, BeanFactory beans) {
        PolicyEngine.Builder builder = PolicyEngine.builder().policy(policy);
        List<PolicyListener> own = listeners.orderedStream().toList();
        own.forEach(builder::listener);
        ClassLoader loader = getClass().getClassLoader();
        boolean metersOfItsOwn = own.stream().anyMatch(l -> l.getClass().getName().equals(MICROMETER_LISTENER));
        PolicyListener meters = null;
        if (!metersOfItsOwn && ClassUtils.isPresent(MICROMETER_LISTENER, loader)
                && ClassUtils.isPresent(METER_REGISTRY, loader)) {
            // Looked up when the engine is made, not by condition, so auto-configuration order does not matter.
            meters = Meters.listener(beans, clientName).orElse(null);
            if (meters != null) {
                builder.listener(meters);
            }
        }
        // A CredentialSource bean supplies Authorization and renews it after a 401 or 403.
        beans.getBeanProvider(io.statuspolicy.engine.CredentialSource.class).ifUnique(builder::credentials);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        PolicyEngine engine = builder.build();
        if (meters != null) {
            Meters.watchBudget(meters, engine);
        }
        return engine;
    }

    /** {@code base} changed by the policy file at {@code location}; {@code base} itself when there is none. */
    static Policy readFile(ResourceLoader resources, String location, String property, Policy base) {
        if (location == null || location.isBlank()) {
            return base;
        }
        Resource file = resources.getResource(location);
        if (!file.exists()) {
            throw new InvalidConfigurationPropertyValueException(property, location,
                    "no policy file there; give a Spring resource location such as classpath:statuspolicy.yaml "
                    + "or file:/etc/app/statuspolicy.yaml");
        }
        String text;
        try (InputStream in = file.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidConfigurationPropertyValueException(property, location, "cannot read it: " + e.getMessage());
        }
        try {
            return PolicyFile.read(text, location, base);
        } catch (PolicyFileException e) {
            throw new InvalidConfigurationPropertyValueException(property, location, e.getMessage());
        }
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

    /**
     * HTTP service groups ({@code @HttpExchange} interfaces): a group named in
     * {@code statuspolicy.clients} gets its own policy in place of the application's, which Boot's
     * RestClient customizers already put on every group (this configurer runs after them).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer")
    static class ServiceGroups {
        @Bean
        org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer statusPolicyServiceGroups(
                StatusPolicyClients clients) {
            return new ServiceGroupPolicies(clients);
        }
    }

    /**
     * The actuator endpoint {@code statuspolicy}, when the application has the actuator; exposed
     * over HTTP only when {@code management.endpoints.web.exposure.include} names it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
            "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
    static class Actuator {
        @Bean
        @ConditionalOnMissingBean
        @org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint(
                endpoint = StatusPolicyEndpoint.class)
        StatusPolicyEndpoint statusPolicyEndpoint(StatusPolicyClients clients) {
            return new StatusPolicyEndpoint(clients);
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
        feign.Capability statusPolicyFeignCapability(StatusPolicyClients clients) {
            return clients.names().isEmpty()
                    ? io.statuspolicy.feign.StatusPolicyFeign.with(clients.applicationEngine()).capability()
                    : new NamedFeignCapability(clients);
        }
    }
}
