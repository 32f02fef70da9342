package io.statuspolicy.spring.boot;

import io.lettuce.core.RedisClient;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.redis.RedisStores;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.util.ClassUtils;

/**
 * Shares host holds, learned redirects and stored responses (and, with
 * {@code statuspolicy.redis.share} including {@code circuits}, open circuits) with the rest of the
 * fleet through Redis, when statuspolicy-redis and Lettuce are on the class path and
 * {@code statuspolicy.redis.enabled=true} or {@code statuspolicy.redis.uri} is set (issue 12).
 *
 * <ul>
 *   <li>a {@link RedisStores} bean (closed with the context) on the application's own Lettuce
 *       client when it has one: a {@code RedisClient} bean, or the native client of Spring Data
 *       Redis's {@code LettuceConnectionFactory} (whose host, port, database and password are used
 *       when {@code statuspolicy.redis.uri} is not set); else a client of its own;</li>
 *   <li>a {@link PolicyEngineCustomizer} that puts the shared stores on the starter's engine.</li>
 * </ul>
 *
 * <p>Redis down or slow never fails a call or the application's start: see statuspolicy-redis.
 */
@AutoConfiguration
@ConditionalOnClass(name = {"io.statuspolicy.redis.RedisStores", "io.lettuce.core.RedisClient"})
@ConditionalOnProperty(prefix = "statuspolicy", name = "enabled", havingValue = "true", matchIfMissing = true)
@Conditional(StatusPolicyRedisAutoConfiguration.Wanted.class)
@EnableConfigurationProperties(StatusPolicyRedisProperties.class)
public class StatusPolicyRedisAutoConfiguration {
    static final String LETTUCE_FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public RedisStores statusPolicyRedisStores(StatusPolicyRedisProperties properties, Policy policy,
            ObjectProvider<PolicyListener> listeners, ObjectProvider<RedisClient> clients, BeanFactory beans) {
        RedisClient client = clients.getIfUnique();
        String uri = properties.getUri();
        ClassLoader loader = getClass().getClassLoader();
        if ((client == null || uri == null) && ClassUtils.isPresent(LETTUCE_FACTORY, loader)) {
            ApplicationLettuce lettuce = ApplicationLettuce.of(beans);
            if (lettuce != null) {
                client = client != null ? client : lettuce.client();
                uri = uri != null ? uri : lettuce.uri();
            }
        }
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("statuspolicy.redis.enabled=true, but there is no statuspolicy.redis.uri "
                    + "and no LettuceConnectionFactory (spring.data.redis.*) to take one from; set "
                    + "statuspolicy.redis.uri=redis://host:6379");
        }
        List<PolicyListener> told = new ArrayList<>(listeners.orderedStream().toList());
        if (ClassUtils.isPresent(StatusPolicyAutoConfiguration.MICROMETER_LISTENER, loader)
                && ClassUtils.isPresent(StatusPolicyAutoConfiguration.METER_REGISTRY, loader)
                && told.stream().noneMatch(l -> l.getClass().getName()
                        .equals(StatusPolicyAutoConfiguration.MICROMETER_LISTENER))) {
            Meters.listener(beans, "default").ifPresent(told::add);
        }
        RedisStores.Builder builder = RedisStores.builder().settings(properties.settings(uri)).policy(policy)
                .listener(PolicyListener.composite(told));
        if (client != null) {
            builder.client(client);
        }
        return builder.build();
    }

    @Bean
    public PolicyEngineCustomizer statusPolicyRedisCustomizer(RedisStores stores) {
        return stores::applyTo;
    }

    /** On when {@code statuspolicy.redis.enabled=true} or a {@code statuspolicy.redis.uri} is set. */
    static final class Wanted extends AnyNestedCondition {
        Wanted() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "statuspolicy.redis", name = "enabled", havingValue = "true")
        static final class Enabled {
        }

        @ConditionalOnProperty(prefix = "statuspolicy.redis", name = "uri")
        static final class UriSet {
        }
    }
}
