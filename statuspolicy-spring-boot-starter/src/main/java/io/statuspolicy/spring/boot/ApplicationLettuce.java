package io.statuspolicy.spring.boot;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The application's Lettuce connection, from Spring Data Redis's {@link LettuceConnectionFactory}:
 * its native client (when standalone) and a URI for its host, port, database and password.
 * Loaded only when Spring Data Redis is on the class path.
 */
record ApplicationLettuce(RedisClient client, String uri) {

    /** The application's, or null when it has no (single) LettuceConnectionFactory. */
    static ApplicationLettuce of(BeanFactory beans) {
        LettuceConnectionFactory factory = beans.getBeanProvider(LettuceConnectionFactory.class).getIfUnique();
        if (factory == null) {
            return null;
        }
        RedisStandaloneConfiguration standalone = factory.getStandaloneConfiguration();
        RedisURI.Builder uri = RedisURI.builder().withHost(standalone.getHostName()).withPort(standalone.getPort())
                .withDatabase(standalone.getDatabase()).withSsl(factory.isUseSsl());
        standalone.getPassword().toOptional().ifPresent(password -> {
            if (standalone.getUsername() != null) {
                uri.withAuthentication(standalone.getUsername(), password);
            } else {
                uri.withPassword(password);
            }
        });
        AbstractRedisClient nativeClient = null;
        try {
            nativeClient = factory.getNativeClient();
        } catch (IllegalStateException notStarted) {
            // a factory not started yet: the stores use a client of their own on the same server
        }
        return new ApplicationLettuce(nativeClient instanceof RedisClient redis ? redis : null,
                uri.build().toURI().toString());
    }
}
