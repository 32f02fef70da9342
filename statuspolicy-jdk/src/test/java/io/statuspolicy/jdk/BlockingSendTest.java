package io.statuspolicy.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter's blocking send ({@link BlockingSend}): which way this JVM sends, and that
 * synchronous calls interrupted in flight leave the JDK client nothing pending, so its selector
 * thread ends once the client is dropped (on JDK 17.0.15 the JDK's own interrupted {@code send}
 * leaves one in about thirty pending for good).
 */
class BlockingSendTest {
    private final ScriptedServer server = ScriptedServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theWayOfSendingFollowsTheJdkReleaseUnlessThePropertySaysOtherwise() {
        // Without the property: the JDK's send where its fix for interrupted sends is (JDK-8316580).
        for (String version : List.of("17", "17.0.15", "17.0.16+8", "18.0.2.1", "20.0.2", "21.0.7")) {
            assertThat(BlockingSend.waitsOnAsync(null, release(version))).as("waits on sendAsync on " + version).isTrue();
        }
        for (String version : List.of("17.0.17", "17.0.21.1+2", "21.0.8", "22", "25.0.3+9-LTS", "26-ea")) {
            assertThat(BlockingSend.waitsOnAsync(null, release(version))).as("the JDK's send on " + version).isFalse();
        }
        assertThat(BlockingSend.waitsOnAsync(" ", release("18.0.2.1"))).as("a blank property is no property").isTrue();
        // The property overrides it either way.
        assertThat(BlockingSend.waitsOnAsync("send", release("17.0.15"))).isFalse();
        assertThat(BlockingSend.waitsOnAsync(" ASYNC ", release("25"))).isTrue();
        assertThatThrownBy(() -> BlockingSend.waitsOnAsync("sync", release("17.0.21")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(BlockingSend.PROPERTY).hasMessageContaining("'sync'")
                .hasMessageContaining("'send'").hasMessageContaining("'async'");
        // This JVM's choice is the property's (as the test run set it) or, without one, the release's.
        assertThat(BlockingSend.waitsOnAsync())
                .isEqualTo(BlockingSend.waitsOnAsync(System.getProperty(BlockingSend.PROPERTY), Runtime.version()));
        assertThat(BlockingSend.jdkOwn(HttpClient.newHttpClient())).isTrue();
        assertThat(BlockingSend.jdkOwn(PolicyHttpClient.builder().build())).as("a client of another make").isFalse();
    }

    @Test
    void aBadValueOfThePropertyIsRefusedWhenAClientIsBuilt() {
        // The choice is read once, when the class is first used: read it before the value below
        // is set, so that a run with the property set (say to 'send') tests what it set.
        boolean chosen = BlockingSend.waitsOnAsync();
        String before = System.getProperty(BlockingSend.PROPERTY);
        System.setProperty(BlockingSend.PROPERTY, "blocking");
        try {
            assertThatThrownBy(() -> PolicyHttpClient.builder().build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(BlockingSend.PROPERTY).hasMessageContaining("'blocking'");
            HttpClient existing = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            assertThatThrownBy(() -> PolicyHttpClient.wrap(existing)).hasMessageContaining(BlockingSend.PROPERTY);
        } finally {
            if (before == null) {
                System.clearProperty(BlockingSend.PROPERTY);
            } else {
                System.setProperty(BlockingSend.PROPERTY, before);
            }
        }
        assertThat(PolicyHttpClient.builder().build()).isNotNull();
        assertThat(BlockingSend.waitsOnAsync()).as("a bad value later does not change the choice").isEqualTo(chosen);
    }

    /**
     * 240 synchronous calls on eight threads, each interrupted at a random moment in its first
     * 40 ms (waiting for a head that comes after 0 to 30 ms, or reading a body that drips), then
     * the client dropped: its selector thread must end. With the JDK's own send on 17.0.15 it stays
     * (run with {@code -Dstatuspolicy.jdk.blockingSend=send} to see this test fail there); on a
     * JDK with the fix this is the JDK's send, chosen by default, and so holds the choice.
     */
    @Test
    void interruptedSynchronousCallsLeaveTheJdkClientsThreadFreeToEnd() throws Exception {
        server.on("/soon", Reply.ok("x".repeat(2000)).headersDelay(Duration.ofMillis(15)).throttleBody(500, Duration.ofMillis(10)));
        server.on("/now", Reply.ok("fine"));
        String selector = interruptManyCalls(server.uri("/soon"), server.uri("/now"));

        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (alive(selector) && System.nanoTime() < end) {
            System.gc();
            Thread.sleep(100); // the JDK's selector looks for an unreachable client every few seconds
        }
        assertThat(alive(selector)).as(selector + " ended once its client was dropped").isFalse();
    }

    /** Runs the calls through a client made here and dropped on return; the name of its selector thread. */
    private static String interruptManyCalls(URI slow, URI fast) throws Exception {
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        Matcher id = Pattern.compile("\\((\\d+)\\)$").matcher(client.delegate().toString());
        assertThat(id.find()).as("the JDK client's id in " + client.delegate()).isTrue();
        String selector = "HttpClient-" + id.group(1) + "-SelectorManager";
        assertThat(alive(selector)).isTrue();

        ExecutorService callers = Executors.newFixedThreadPool(8);
        ScheduledExecutorService interrupter = Executors.newSingleThreadScheduledExecutor();
        SplittableRandom random = new SplittableRandom(17);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 240; i++) {
                long after = random.nextLong(0, 40);
                outcomes.add(callers.submit(() -> {
                    Thread me = Thread.currentThread();
                    Object lock = new Object();
                    boolean[] running = {true};
                    interrupter.schedule(() -> {
                        synchronized (lock) {
                            if (running[0]) {
                                me.interrupt();
                            }
                        }
                    }, after, TimeUnit.MILLISECONDS);
                    try {
                        return client.send(HttpRequest.newBuilder(slow).build(), HttpResponse.BodyHandlers.ofString())
                                .body().length() == 2000 ? "whole" : "cut";
                    } catch (InterruptedException e) {
                        return "interrupted";
                    } finally {
                        synchronized (lock) {
                            running[0] = false;
                            Thread.interrupted(); // the next call on this thread starts clean
                        }
                    }
                }));
            }
            int interrupted = 0;
            for (Future<String> outcome : outcomes) {
                String value = outcome.get(60, TimeUnit.SECONDS);
                assertThat(value).isIn("whole", "interrupted");
                interrupted += value.equals("interrupted") ? 1 : 0;
            }
            assertThat(interrupted).as("most calls were interrupted in flight").isGreaterThan(150);
            // The client still works after all that.
            assertThat(client.send(HttpRequest.newBuilder(fast).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("fine");
        } finally {
            callers.shutdown();
            interrupter.shutdown();
            assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        client.close(); // JDK 21 and later: closes it; on 17 nothing, and dropping it is what ends the thread
        return selector;
    }

    private static Runtime.Version release(String version) {
        return Runtime.Version.parse(version);
    }

    private static boolean alive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().equals(name));
    }
}
