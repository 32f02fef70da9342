package io.statuspolicy.jdk;

import io.statuspolicy.engine.Transport;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.Locale;

/**
 * The adapter's blocking send, for its synchronous calls: the JDK client's own {@code send}, or
 * its {@code sendAsync} waited for on the calling thread, whose interrupt cancels the exchange
 * through the future.
 *
 * <p>Why two: on JDK 17.0.15 an interrupted {@code send} now and then leaves the exchange counted
 * as pending in the client for good (about 3 in 100 interrupted sends, head or body alike, in a
 * bare client with no statuspolicy in it). The client's selector thread ends only when nothing is
 * pending and the client is unreachable, so every client that saw one keeps its thread, selector
 * and pool until the JVM exits. A {@code sendAsync} whose future is cancelled never did, in the
 * same measurement; and an interrupt is how this adapter ends a synchronous call whose deadline
 * passed. The JDK's defect is JDK-8316580 (once cancelled, the future {@code send} waits on
 * could be collected, and with it the step that releases the count), fixed in JDK 22 and
 * backported with other client fixes to 17.0.17 and to 21 (in 21.0.7 or 21.0.8 by the
 * backport's date; 21.0.8 is taken here). So the JDK's {@code send} is used from 17.0.17, 21.0.8 and
 * 22 on; {@code sendAsync}, waited for, on older updates and on 18 to 20. Measured: 17.0.15
 * leaks; 17.0.19, 17.0.21.1, 21.0.13.1 and 25.0.3 leave nothing (docs/benchmarks.md, section
 * T); the releases between follow the JDK's backport record.
 * The system property {@code statuspolicy.jdk.blockingSend} ({@code send} or {@code async})
 * overrides the choice. A delegate that is not the JDK's own implementation always gets its own
 * {@code send}.
 *
 * <p>What {@code sendAsync} costs: the JDK completes its public future through
 * {@code CompletableFuture}'s default executor, which starts a thread per task when the common
 * pool's parallelism is 1 (two processors, by default): about half the loopback throughput of
 * {@code send} there, about 0.82 of it with a parallelism of 2 or more (docs/benchmarks.md,
 * section S; the adapter's README says what to set).
 */
final class BlockingSend {
    /** The property that overrides the choice, read once. */
    static final String PROPERTY = "statuspolicy.jdk.blockingSend";
    private static final boolean ASYNC = initial();

    private BlockingSend() {
    }

    /** Whether sends wait on {@code sendAsync}, for this property value and JDK release. */
    static boolean waitsOnAsync(String property, Runtime.Version release) {
        if (property == null || property.isBlank()) {
            return !sendIsSafe(release);
        }
        switch (property.trim().toLowerCase(Locale.ROOT)) {
            case "send":
                return false;
            case "async":
                return true;
            default:
                throw new IllegalArgumentException("the system property " + PROPERTY + " is '" + property
                        + "': use 'send' (the JDK client's own blocking send) or 'async' (its sendAsync, waited for)");
        }
    }

    /** Whether {@code release} has the JDK's fix for interrupted sends left pending (JDK-8316580). */
    static boolean sendIsSafe(Runtime.Version release) {
        int feature = release.feature();
        if (feature >= 22) {
            return true;
        }
        if (feature == 21) {
            return release.update() >= 8;
        }
        return feature == 17 && release.update() >= 17; // 18 to 20 were never given the fix
    }

    /** The choice for this JVM; a bad value (refused by every client's build) takes the default. */
    private static boolean initial() {
        try {
            return waitsOnAsync(System.getProperty(PROPERTY), Runtime.version());
        } catch (IllegalArgumentException e) {
            return waitsOnAsync(null, Runtime.version());
        }
    }

    /** Refuses a bad value of the property (when a client is built): the message names it and the values it takes. */
    static void checkProperty() {
        waitsOnAsync(System.getProperty(PROPERTY), Runtime.version());
    }

    /** Whether this JVM's sends wait on {@code sendAsync}. */
    static boolean waitsOnAsync() {
        return ASYNC;
    }

    /**
     * Sends {@code request} and waits for the response, as {@link HttpClient#send} does: an
     * interrupt of the calling thread cancels the exchange (closing its connection) and throws
     * {@link InterruptedException}; the exchange's failure is thrown as it is (an
     * {@link IOException}, a runtime exception or an error).
     */
    static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, BodyHandler<T> handler)
            throws IOException, InterruptedException {
        if (!waitsOnAsync(client)) {
            return client.send(request, handler);
        }
        return awaitAsync(client, request, handler);
    }

    /** Whether {@link #send} to {@code client} waits on its {@code sendAsync} (for a caller that asks once). */
    static boolean waitsOnAsync(HttpClient client) {
        return ASYNC && jdkOwn(client);
    }

    /**
     * Whether {@code client} is the JDK's own implementation, the one measured: a client of
     * another make (a decorator, a stub) keeps its own {@code send}, whose cancelling this
     * adapter cannot know.
     */
    static boolean jdkOwn(HttpClient client) {
        return client.getClass().getName().startsWith("jdk.internal.net.http.");
    }

    /** {@link #send} through {@code sendAsync}, waited for (this JVM's choice on a JDK without the fix). */
    static <T> HttpResponse<T> awaitAsync(HttpClient client, HttpRequest request, BodyHandler<T> handler)
            throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException(); // as the JDK's send: nothing is sent
        }
        return Transport.await(client.sendAsync(request, handler)); // an interrupt cancels the exchange
    }
}
