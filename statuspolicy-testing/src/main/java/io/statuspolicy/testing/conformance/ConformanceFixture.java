package io.statuspolicy.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.RecordingListener;
import io.statuspolicy.testing.ScriptedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every conformance scenario stands on: two loopback servers, virtual time, the recording
 * listener, and the client under test made from {@link ClientSettings}. Extend
 * {@link ConformanceSuite}, not this.
 */
public abstract class ConformanceFixture {
    /** The guideline without jitter, so waits are exact. */
    protected static final Policy EXACT_POLICY = Policy.guideline()
            .withLimits(l -> l.withBackoff(l.backoff().withJitter(0)));

    /** The origin under test. */
    protected ScriptedServer a;
    /** Another origin. */
    protected ScriptedServer b;
    protected FakeClock clock;
    protected FakeSleeper sleeper;
    protected RecordingListener listener;
    private final List<ClientUnderTest> clients = new ArrayList<>();
    private final List<ScriptedServer> servers = new ArrayList<>();

    /** Creates the client under test, configured as {@code settings} say. */
    protected abstract ClientUnderTest client(ClientSettings settings);

    @BeforeEach
    void startServers() {
        a = server(ScriptedServer.start());
        b = server(ScriptedServer.start());
        clock = new FakeClock(Instant.parse("2026-11-25T12:00:00Z"));
        sleeper = new FakeSleeper(clock);
        listener = new RecordingListener();
    }

    /**
     * After every scenario: no response body may still be being written to the client, which
     * would mean the client neither read it to its end nor closed its connection (a discarded
     * body drained without bound, a body left open in an exception, a cancelled call still
     * running). Then everything is closed.
     */
    @AfterEach
    void stopEverything() {
        try {
            for (ScriptedServer server : servers) {
                assertThat(server.awaitNoBodyInProgress(ScriptedServer.cancelledConnectionGrace()))
                        .as("%s is still writing %d response bodies the client left open", server,
                                server.bodiesInProgress())
                        .isTrue();
            }
        } finally {
            clients.forEach(ClientUnderTest::close);
            servers.forEach(ScriptedServer::close);
        }
    }

    /** Settings with the exact (jitter-free) guideline, virtual time and the recording listener. */
    protected ClientSettings settings() {
        return new ClientSettings(EXACT_POLICY, clock, sleeper, new SplittableRandom(7), listener, null, false, null, null);
    }

    protected ClientUnderTest client() {
        return open(settings());
    }

    protected ClientUnderTest open(ClientSettings settings) {
        ClientUnderTest client = client(settings);
        clients.add(client);
        return client;
    }

    protected ScriptedServer server(ScriptedServer server) {
        servers.add(server);
        return server;
    }

}
