package io.statuspolicy.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statuspolicy.decision.FailureReason;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.LocalRedis;
import io.statuspolicy.testing.RecordingListener;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis paused ({@code DEBUG SLEEP}) or killed and restarted in the middle of a run of calls by two
 * instances: no call fails, none waits longer than the bound, and sharing resumes afterwards.
 */
class OutageTest {
    /** The command timeout plus room for a loopback HTTP call on a busy 2-core machine. */
    static final long BOUND_MILLIS = Fleet.COMMAND_TIMEOUT.toMillis() + 450;

    private LocalRedis redis;
    private final ScriptedServer server = ScriptedServer.start();
    private final RecordingListener eventsA = new RecordingListener();
    private final RecordingListener eventsB = new RecordingListener();
    private Fleet fleet;
    private RedisStores storesA;
    private RedisStores storesB;
    private PolicyHttpClient a;
    private PolicyHttpClient b;

    @BeforeEach
    void start() {
        assumeTrue(LocalRedis.installed(), LocalRedis.MISSING);
        redis = LocalRedis.start();
        fleet = new Fleet(redis);
        storesA = fleet.stores(FleetTest.ONE_ATTEMPT, eventsA);
        storesB = fleet.stores(FleetTest.SHORT_DEADLINE, eventsB);
        a = fleet.client(FleetTest.ONE_ATTEMPT, storesA, eventsA);
        b = fleet.client(FleetTest.SHORT_DEADLINE, storesB, eventsB);
        // Every path: a 200 with a validator, so each call reads and writes the response store;
        // /moved/* a 301 first, so redirects are learned and looked up throughout.
        server.otherwise(Reply.ok("fine").header("ETag", "\"e1\""));
    }

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        server.close();
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void redisPausedMidRunFailsNoCallAndDelaysNoneBeyondTheBound() throws Exception {
        Run run = Run.start(this, Duration.ofMillis(3_500));
        Thread.sleep(700);
        redis.pause(Duration.ofMillis(1_500));
        run.await();

        run.check();
        assertThat(eventsA.events(PolicyEvent.StoreDegraded.class)).as("A was told, once per outage").isNotEmpty();
        Fleet.awaitTrue("A recovers", () -> !storesA.degraded() && storesA.connected(), Duration.ofSeconds(5));
        assertThat(eventsA.events(PolicyEvent.StoreRecovered.class)).isNotEmpty();
        sharingResumes();
    }

    @Test
    void redisKilledAndRestartedMidRunFailsNoCallAndSharingResumesAfterwards() throws Exception {
        Run run = Run.start(this, Duration.ofMillis(4_000));
        Thread.sleep(700);
        redis.kill();
        Thread.sleep(1_200);
        redis.restart();
        run.await();

        run.check();
        assertThat(eventsB.events(PolicyEvent.StoreDegraded.class)).isNotEmpty();
        assertThat(eventsB.events(PolicyEvent.StoreDegraded.class).get(0).store()).isEqualTo("redis 127.0.0.1:"
                + redis.port());
        sharingResumes();
    }

    /** After the outage, a hold A receives holds B off again (through the restarted server). */
    private void sharingResumes() throws Exception {
        Fleet.awaitTrue("both instances are connected again", () -> storesA.connected() && storesB.connected()
                && !storesA.degraded() && !storesB.degraded(), Duration.ofSeconds(10));
        try (ScriptedServer busy = ScriptedServer.start()) {
            busy.on("/busy", Reply.status(503).header("Retry-After", "30"));
            assertThatThrownBy(() -> a.send(HttpRequest.newBuilder(busy.uri("/busy")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(PolicyException.class);
            Fleet.awaitTrue("B holds the origin", () -> !storesB.holdStore().isEmpty()
                    && storesB.holdStore().get("HOLD " + busy.uri("/").resolve("/").toString().replaceAll("/$", ""),
                            storesB.clock().millis()) != null, Duration.ofSeconds(2));
            assertThatThrownBy(() -> b.send(HttpRequest.newBuilder(busy.uri("/busy")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOfSatisfying(PolicyException.class,
                            e -> assertThat(e.decision().reason()).isEqualTo(FailureReason.HOST_HELD));
            assertThat(busy.requestCount()).isEqualTo(1);
        }
    }

    /** Two instances calling in turn, each call timed, until the run's time is up. */
    private static final class Run {
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final AtomicLong slowest = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        CompletableFuture<Void> done;

        static Run start(OutageTest test, Duration length) {
            Run run = new Run();
            long until = System.nanoTime() + length.toNanos();
            run.done = CompletableFuture.runAsync(() -> {
                for (int i = 0; System.nanoTime() < until; i++) {
                    PolicyHttpClient client = i % 2 == 0 ? test.a : test.b;
                    // A new path each call: each stores a response, so Redis is written to all through the
                    // run (an unchanged copy is rewritten at most once a minute, so repeating paths
                    // would leave nothing to send while the server is paused).
                    String path = "/item/" + i;
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(test.server.uri(path))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        if (!response.body().equals("fine")) {
                            run.failures.add(new AssertionError(path + " answered " + response.body()));
                        }
                    } catch (Exception | AssertionError e) {
                        run.failures.add(e);
                    }
                    run.slowest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    run.calls.incrementAndGet();
                }
            });
            return run;
        }

        void await() {
            done.join();
        }

        void check() {
            assertThat(failures).as("no call failed").isEmpty();
            assertThat(calls.get()).as("calls went on").isGreaterThan(20);
            assertThat(slowest.get()).as("the slowest of " + calls + " calls, in ms").isLessThan(BOUND_MILLIS);
            System.out.println("OutageTest: " + calls + " calls, slowest " + slowest + " ms");
        }
    }
}
