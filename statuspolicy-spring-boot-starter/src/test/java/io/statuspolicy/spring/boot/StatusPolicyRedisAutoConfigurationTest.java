package io.statuspolicy.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statuspolicy.config.RedisSettings;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.redis.RedisStores;
import io.statuspolicy.testing.LocalRedis;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.web.client.RestClient;

/** statuspolicy.redis.*: two applications sharing one real redis-server, through Boot's RestClient. */
class StatusPolicyRedisAutoConfigurationTest {
    private static LocalRedis redis;
    private final ScriptedServer server = ScriptedServer.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
                    ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
                    StatusPolicyAutoConfiguration.class, StatusPolicyRedisAutoConfiguration.class))
            .withPropertyValues("spring.http.clients.redirects=dont-follow", "spring.http.clients.imperative.factory=jdk");

    @BeforeAll
    static void startRedis() {
        assumeTrue(LocalRedis.installed(), LocalRedis.MISSING);
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        redis.command("FLUSHALL");
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static void awaitConnected(RedisStores stores) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!stores.connected() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(stores.connected()).as("connected to " + redis).isTrue();
    }

    @Test
    void aRedirectOneApplicationLearnsSendsTheOtherStraightToTheNewUri() {
        server.on("/old", Reply.redirect(301, "/new"));
        server.on("/new", Reply.ok("moved"));
        ApplicationContextRunner instance = runner.withPropertyValues("statuspolicy.redis.uri=" + redis.uri());
        instance.run(first -> instance.run(second -> {
            assertThat(first).hasSingleBean(RedisStores.class).hasSingleBean(PolicyEngine.class);
            assertThat(first.getBean(RedisStores.class).ownsClient()).as("no Lettuce client to reuse").isTrue();
            awaitConnected(first.getBean(RedisStores.class));
            awaitConnected(second.getBean(RedisStores.class));
            RestClient a = first.getBean(RestClient.Builder.class).build();
            RestClient b = second.getBean(RestClient.Builder.class).build();

            assertThat(a.get().uri(url("/old")).retrieve().body(String.class)).isEqualTo("moved");
            long until = System.nanoTime() + 1_000_000_000L;
            while (redis.command("DBSIZE").equals(":0") && System.nanoTime() < until) {
                Thread.sleep(2);
            }
            Thread.sleep(50); // the pub/sub message reaches the second application's mirror
            assertThat(b.get().uri(url("/old")).retrieve().body(String.class)).isEqualTo("moved");

            assertThat(server.requests("/old")).as("only the first application asked the old URI").hasSize(1);
            assertThat(server.requests("/new")).hasSize(2);
        }));
    }

    @Test
    void enabledWithoutAUriReusesTheApplicationsLettuceConnection() {
        runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues("statuspolicy.redis.enabled=true", "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port(), "statuspolicy.redis.share=holds,circuits",
                        "statuspolicy.redis.command-timeout=30ms")
                .run(context -> {
                    assertThat(context).hasSingleBean(LettuceConnectionFactory.class).hasSingleBean(RedisStores.class);
                    RedisStores stores = context.getBean(RedisStores.class);
                    awaitConnected(stores);
                    assertThat(stores.shared()).containsExactlyInAnyOrder(RedisSettings.Shared.HOLDS,
                            RedisSettings.Shared.CIRCUITS);
                    assertThat(stores.toString()).contains("redis 127.0.0.1:" + redis.port());
                    assertThat(stores.ownsClient()).as("on the factory's own Lettuce client").isFalse();
                });
    }

    @Test
    void offWithoutItsPropertiesAndAClearFailureWhenEnabledWithNothingToConnectTo() {
        runner.run(context -> assertThat(context).doesNotHaveBean(RedisStores.class)
                .doesNotHaveBean(StatusPolicyRedisAutoConfiguration.class));
        runner.withPropertyValues("statuspolicy.redis.enabled=true").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining(
                        "no statuspolicy.redis.uri and no LettuceConnectionFactory"));
        runner.withPropertyValues("statuspolicy.redis.uri=redis://127.0.0.1:" + redis.port(),
                "statuspolicy.redis.command-timeout=1m").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("commandTimeout from 1 ms"));
    }
}
