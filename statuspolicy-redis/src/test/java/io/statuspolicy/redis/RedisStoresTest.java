package io.statuspolicy.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statuspolicy.config.PolicyFile;
import io.statuspolicy.config.RedisSettings;
import io.statuspolicy.decision.HostHold;
import io.statuspolicy.engine.CachedResponse;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.LocalRedis;
import io.statuspolicy.testing.RecordingListener;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Building the stores: from the policy file's redis: section, with bad settings, with Redis down. */
class RedisStoresTest {

    @Test
    void thePolicyFilesRedisSectionBuildsTheStoresItNames() throws Exception {
        assumeTrue(LocalRedis.installed(), LocalRedis.MISSING);
        try (LocalRedis redis = LocalRedis.start()) {
            String yaml = "limits:\n  retryAfterCap: 2m\nredis:\n  uri: " + redis.uri() + "\n  keyPrefix: \"orders:\"\n"
                    + "  share: [holds]\n  commandTimeout: 30ms\n";
            Policy policy = PolicyFile.read(yaml, "policy.yaml");
            RedisSettings settings = PolicyFile.readRedis(yaml, "policy.yaml").orElseThrow();
            try (RedisStores stores = RedisStores.create(settings, policy, new RecordingListener())) {
                Fleet.awaitTrue("connected", stores::connected, Duration.ofSeconds(10));
                assertThat(stores.shared()).containsExactly(RedisSettings.Shared.HOLDS);
                assertThat(stores.timeoutMillis()).isEqualTo(30);

                long now = stores.clock().millis();
                stores.holdStore().hold("HOLD http://a.test:80",
                        new HostHold(HostHold.Scope.ORIGIN, 503, now + 600_000, false), now);
                assertThat(stores.holdStore().get("HOLD http://a.test:80", now).untilMillis())
                        .as("capped by the file's retryAfterCap").isEqualTo(now + 120_000);
                Fleet.awaitTrue("under the file's prefix", () -> {
                    try {
                        return redis.command("EXISTS", "orders:hold:" + Keys.digest("HOLD http://a.test:80"))
                                .equals(":1");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }, Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        assertThatThrownBy(() -> RedisStores.builder().build()).hasMessageContaining("no Redis URI");
        assertThatThrownBy(() -> RedisStores.builder().uri("redis://localhost").commandTimeout(Duration.ofMinutes(1))
                .build()).hasMessageContaining("commandTimeout from 1 ms to 10000 ms, was 60000 ms");
        assertThatThrownBy(() -> RedisStores.builder().uri("redis://:pw@localhost").keyPrefix("").build())
                .hasMessageContaining("key prefix");
        assertThatThrownBy(() -> RedisStores.builder().mirrorKeys(0)).hasMessageContaining("mirrorKeys");
    }

    @Test
    void withRedisDownFromTheStartCallsGoOnWithLocalStateAndOneEventSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RecordingListener events = new RecordingListener();
        try (RedisStores stores = RedisStores.builder().uri("redis://127.0.0.1:" + closedPort).listener(events)
                .commandTimeout(Duration.ofMillis(50)).build();
                ScriptedServer server = ScriptedServer.start()) {
            server.on("/old", Reply.redirect(301, "/new"));
            server.on("/new", Reply.ok("here").header("ETag", "\"1\""), Reply.status(304).header("ETag", "\"1\""));
            PolicyHttpClient client = PolicyHttpClient.builder().holdStore(stores.holdStore())
                    .redirectStore(stores.redirectStore()).responseStore(stores.responseStore()).build();

            long start = System.nanoTime();
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(server.uri("/old")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(server.uri("/old")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(first.body()).isEqualTo("here");
            assertThat(second.body()).as("the local mirror still answers the 304").isEqualTo("here");
            assertThat(server.requests("/old")).as("and still remembers the redirect").hasSize(1);
            assertThat(millis).isLessThan(1_000);
            assertThat(stores.connected()).isFalse();
            Fleet.awaitTrue("the outage is reported", () -> !events.events(PolicyEvent.StoreDegraded.class).isEmpty(),
                    Duration.ofSeconds(5));
            assertThat(events.events(PolicyEvent.StoreDegraded.class)).hasSize(1);
            assertThat(events.events(PolicyEvent.StoreDegraded.class).get(0).store())
                    .isEqualTo("redis 127.0.0.1:" + closedPort);
        }
    }

    @Test
    void aStoredResponseSurvivesTheWayThroughRedisByteForByte() {
        CachedResponse response = new CachedResponse(URI.create("https://a.test/doc?q=1"), 200,
                Map.of("ETag", List.of("\"v1\""), "Vary", List.of("Accept", "Accept-Language")),
                new byte[] {0, 1, 2, (byte) 255, '\n'}, 1_700_000_000_123L);
        byte[] value = ResponseCodec.encode(response);

        assertThat(new String(value, 0, 14, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("1700000000123\n");
        assertThat(ResponseCodec.decode(value, 1 << 20)).isEqualTo(response);
        assertThat(ResponseCodec.decode(java.util.Arrays.copyOf(value, value.length - 3), 1 << 20))
                .as("truncated reads as absent").isNull();
        assertThat(ResponseCodec.decode("12 garbage".getBytes(), 1 << 20)).isNull();
    }
}
