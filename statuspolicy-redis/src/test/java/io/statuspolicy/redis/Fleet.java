package io.statuspolicy.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.statuspolicy.config.RedisSettings;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.LocalRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Instances of a fleet for tests: each its own stores (own mirrors) and client, one Redis between them. */
final class Fleet implements AutoCloseable {
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(50);

    private final LocalRedis redis;
    private final List<AutoCloseable> open = new ArrayList<>();

    Fleet(LocalRedis redis) {
        this.redis = redis;
    }

    /** One instance's stores, sharing everything, skipping Redis 300 ms after a failure (30 s in production). */
    RedisStores stores(Policy policy, PolicyListener listener) {
        RedisStores stores = RedisStores.builder().uri(redis.uri()).policy(policy).listener(listener)
                .commandTimeout(COMMAND_TIMEOUT).skipFor(Duration.ofMillis(300))
                .share(EnumSet.allOf(RedisSettings.Shared.class)).build();
        open.add(stores);
        awaitTrue("the stores connect to " + redis, stores::connected, Duration.ofSeconds(10));
        return stores;
    }

    /** A JDK client of one instance, with all its stores from {@code stores}. */
    PolicyHttpClient client(Policy policy, RedisStores stores, PolicyListener listener) {
        PolicyHttpClient client = PolicyHttpClient.builder().policy(policy).listener(listener)
                .holdStore(stores.holdStore()).redirectStore(stores.redirectStore())
                .responseStore(stores.responseStore()).circuitStore(stores.circuitStore()).build();
        open.add(client::close);
        return client;
    }

    /** A plain connection for looking into Redis. */
    StatefulRedisConnection<String, String> inspect() {
        RedisClient client = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = client.connect();
        open.add(() -> {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        });
        return connection;
    }

    /** Waits (polling, at most {@code within}) until {@code condition} holds; returns how long it took. */
    static long awaitTrue(String what, BooleanSupplier condition, Duration within) {
        long start = System.nanoTime();
        long until = start + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                fail("not within " + within + ": " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
