package io.statuspolicy.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.api.sync.RedisCommands;
import io.statuspolicy.decision.FailureReason;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.LocalRedis;
import io.statuspolicy.testing.RecordingListener;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of a service, each with its own client and its own mirrors, sharing one real
 * redis-server: what one learns through real HTTP calls, the other acts on at once (issue 12).
 */
class FleetTest {
    /** One attempt, so the instance that gets the Retry-After does not probe (and lift) the hold itself. */
    static final Policy ONE_ATTEMPT = Policy.guideline().withLimits(l -> l.withMaxAttempts(1));
    /** A deadline shorter than the holds, so a held call is refused at once instead of waiting. */
    static final Policy SHORT_DEADLINE = Policy.guideline().withLimits(l -> l.withDeadline(Duration.ofSeconds(5)));

    private static LocalRedis redis;
    private final ScriptedServer server = ScriptedServer.start();
    private final RecordingListener eventsA = new RecordingListener();
    private final RecordingListener eventsB = new RecordingListener();
    private Fleet fleet;
    private RedisStores storesA;
    private RedisStores storesB;

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

    @BeforeEach
    void instances() throws Exception {
        redis.command("FLUSHALL");
        fleet = new Fleet(redis);
        storesA = fleet.stores(ONE_ATTEMPT, eventsA);
        storesB = fleet.stores(SHORT_DEADLINE, eventsB);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
        server.close();
    }

    private static HttpRequest get(ScriptedServer server, String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.uri(path));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    @Test
    void a503WithRetryAfterOnOneInstanceHoldsTheOtherOffThatOriginAtOnce() throws Exception {
        server.on("/busy", Reply.status(503).header("Retry-After", "30"));
        server.on("/other-path", Reply.ok("never asked"));
        PolicyHttpClient a = fleet.client(ONE_ATTEMPT, storesA, eventsA);
        PolicyHttpClient b = fleet.client(SHORT_DEADLINE, storesB, eventsB);

        assertThatThrownBy(() -> a.send(get(server, "/busy", null), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(PolicyException.class);
        long arrivedMillis = Fleet.awaitTrue("B's mirror holds the origin", () -> !storesB.holdStore().isEmpty(),
                Duration.ofSeconds(1));

        long start = System.nanoTime();
        assertThatThrownBy(() -> b.send(get(server, "/other-path", null), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(PolicyException.class, e -> {
                    assertThat(e.decision().reason()).isEqualTo(FailureReason.HOST_HELD);
                    assertThat(e.decision().explain()).contains("the origin held");
                });
        long refusedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(server.requestCount()).as("B sent nothing to the held origin").isEqualTo(1);
        assertThat(arrivedMillis).as("the hold reached B through pub/sub within milliseconds").isLessThan(500);
        assertThat(refusedMillis).as("refused at once, not after waiting").isLessThan(1000);
    }

    @Test
    void a429HoldsTheSamePrincipalOnTheOtherInstanceAndNoOtherPrincipal() throws Exception {
        server.on("/limited", Reply.status(429).header("Retry-After", "30"));
        server.on("/next", Reply.ok("for another principal"));
        PolicyHttpClient a = fleet.client(ONE_ATTEMPT, storesA, eventsA);
        PolicyHttpClient b = fleet.client(SHORT_DEADLINE, storesB, eventsB);

        assertThatThrownBy(() -> a.send(get(server, "/limited", "Bearer alice"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(PolicyException.class);
        Fleet.awaitTrue("B's mirror holds alice", () -> !storesB.holdStore().isEmpty(), Duration.ofSeconds(1));

        assertThatThrownBy(() -> b.send(get(server, "/next", "Bearer alice"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(PolicyException.class,
                        e -> assertThat(e.decision().reason()).isEqualTo(FailureReason.HOST_HELD));
        HttpResponse<String> bob = b.send(get(server, "/next", "Bearer bob"), HttpResponse.BodyHandlers.ofString());

        assertThat(bob.body()).isEqualTo("for another principal");
        assertThat(server.requests("/next")).hasSize(1);
        assertThat(server.requests("/next").get(0).header("Authorization")).isEqualTo("Bearer bob");
    }

    @Test
    void aPermanentRedirectOneInstanceLearnsSendsTheOtherStraightToTheNewUri() throws Exception {
        server.on("/old", Reply.redirect(301, "/new"));
        server.on("/new", Reply.ok("moved here"), Reply.ok("moved here"));
        PolicyHttpClient a = fleet.client(Policy.guideline(), storesA, eventsA);
        PolicyHttpClient b = fleet.client(Policy.guideline(), storesB, eventsB);

        assertThat(a.send(get(server, "/old", null), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("moved here");
        RedisRedirectStore redirectsB = (RedisRedirectStore) storesB.redirectStore();
        Fleet.awaitTrue("B's mirror has the redirect", () -> !redirectsB.mirrorIsEmpty(), Duration.ofSeconds(1));
        HttpResponse<String> response = b.send(get(server, "/old", null), HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("moved here");
        assertThat(response.uri().getPath()).isEqualTo("/new");
        assertThat(server.requests("/old")).as("only A asked the old URI").hasSize(1);
        assertThat(server.requests("/new")).hasSize(2);
    }

    @Test
    void aResponseOneInstanceStoresAnswersTheOthers304() throws Exception {
        server.on("/doc", Reply.ok("the document").header("ETag", "\"v1\""),
                Reply.status(304).header("ETag", "\"v1\""));
        PolicyHttpClient a = fleet.client(Policy.guideline(), storesA, eventsA);
        PolicyHttpClient b = fleet.client(Policy.guideline(), storesB, eventsB);

        assertThat(a.send(get(server, "/doc", null), HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo("the document");
        RedisCommands<String, String> look = fleet.inspect().sync();
        Fleet.awaitTrue("Redis has the response", () -> !keys(look, "statuspolicy:resp:*").isEmpty(),
                Duration.ofSeconds(1));
        HttpResponse<String> response = b.send(get(server, "/doc", null), HttpResponse.BodyHandlers.ofString());

        assertThat(server.requests("/doc")).hasSize(2);
        assertThat(server.requests("/doc").get(1).header("If-None-Match")).as("B asked conditionally").isEqualTo("\"v1\"");
        assertThat(response.statusCode()).as("the 304 answered from the stored copy").isEqualTo(200);
        assertThat(response.body()).isEqualTo("the document");
    }

    @Test
    void everyKeyIsADigestWithATtl() throws Exception {
        server.on("/old", Reply.redirect(301, "/new"));
        server.on("/new", Reply.ok("x").header("ETag", "\"v1\""));
        PolicyHttpClient a = fleet.client(ONE_ATTEMPT, storesA, eventsA);
        try (ScriptedServer busy = ScriptedServer.start()) { // another origin, so its hold does not delay /old
            busy.on("/busy", Reply.status(503).header("Retry-After", "30"));
            a.send(get(busy, "/busy?token=secret", "Bearer secret"), HttpResponse.BodyHandlers.ofString());
        } catch (PolicyException expected) {
            // the 503
        }
        a.send(get(server, "/old", "Bearer secret"), HttpResponse.BodyHandlers.ofString());
        RedisCommands<String, String> look = fleet.inspect().sync();
        Fleet.awaitTrue("three kinds of keys", () -> keys(look, "*").size() >= 3, Duration.ofSeconds(1));

        assertThat(keys(look, "*")).allSatisfy(key -> {
            assertThat(key).matches("statuspolicy:(hold|redir|resp|cb):[A-Za-z0-9_-]{43}");
            assertThat(look.pttl(key)).as("TTL of " + key).isPositive();
        });
    }

    @Test
    void anOlderHoldNeverReplacesALaterOneAndAPoisonedHoldIsCappedByRetryAfterCap() throws Exception {
        RedisCommands<String, String> look = fleet.inspect().sync();
        long now = storesA.clock().millis();
        storesA.holdStore().hold("HOLD http://example.test:80",
                new io.statuspolicy.decision.HostHold(io.statuspolicy.decision.HostHold.Scope.ORIGIN, 503,
                        now + 20_000, false), now);
        storesB.holdStore().hold("HOLD http://example.test:80",
                new io.statuspolicy.decision.HostHold(io.statuspolicy.decision.HostHold.Scope.ORIGIN, 503,
                        now + 5_000, false), now);
        String key = "statuspolicy:hold:" + Keys.digest("HOLD http://example.test:80");
        Fleet.awaitTrue("the hold is in Redis", () -> look.get(key) != null, Duration.ofSeconds(1));
        Thread.sleep(50); // B's older write, had it won, would be there by now
        assertThat(look.get(key)).startsWith(Long.toString(now + 20_000));

        // Another writer (not statuspolicy) leaves a hold of a day; a new instance reads it at start-up.
        look.set("statuspolicy:hold:" + Keys.digest("HOLD http://poisoned.test:80"),
                (now + 86_400_000) + " 503 ORIGIN", io.lettuce.core.SetArgs.Builder.px(86_400_000));
        RedisStores late = fleet.stores(Policy.guideline(), new RecordingListener());
        Fleet.awaitTrue("the late instance loaded the holds", () -> !late.holdStore().isEmpty(), Duration.ofSeconds(2));
        Fleet.awaitTrue("both holds", () -> late.holdStore().get("HOLD http://poisoned.test:80", now) != null,
                Duration.ofSeconds(2));
        long cap = Policy.guideline().limits().retryAfterCap().toMillis();
        assertThat(late.holdStore().get("HOLD http://poisoned.test:80", now).untilMillis())
                .isLessThanOrEqualTo(late.clock().millis() + cap);
    }

    /**
     * The keys matching {@code pattern}, by SCAN: {@code KEYS}' Java signature differs between Lettuce 6.8
     * (Boot 4.0's) and 7.x, and the classes compiled against one must run on the other (.ci/run's boot40 leg).
     */
    static java.util.List<String> keys(RedisCommands<String, String> redis, String pattern) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        io.lettuce.core.ScanArgs args = io.lettuce.core.ScanArgs.Builder.matches(pattern).limit(500);
        io.lettuce.core.KeyScanCursor<String> cursor = redis.scan(args);
        keys.addAll(cursor.getKeys());
        while (!cursor.isFinished()) {
            cursor = redis.scan(cursor, args);
            keys.addAll(cursor.getKeys());
        }
        return keys;
    }
}
