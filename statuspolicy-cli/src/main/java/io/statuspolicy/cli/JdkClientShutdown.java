package io.statuspolicy.cli;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Stops the JDK client's selector thread before the process exits. HotSpot's exit waits up to
 * 300 ms for threads that are in native code (its {@code VM_Exit} waits for them to block), and
 * the selector thread of an idle JDK client sits in {@code epoll_wait}: an exit without this
 * costs about 300 ms after the body is written (issue 13).
 *
 * <p>On JDK 21+ {@code shutdownNow()} and {@code awaitTermination} do it (called reflectively:
 * this code compiles for 17). On 17 the client has no lifecycle methods; the internal
 * {@code HttpClientImpl.SelectorManager.shutdown()} does the same, reached through the jar manifest's
 * {@code Add-Opens: java.net.http/jdk.internal.net.http}. Anything that fails here only costs
 * the 300 ms: the call is over by then.
 */
final class JdkClientShutdown {
    private static final Duration WAIT = Duration.ofMillis(200);

    private JdkClientShutdown() {
    }

    static void stop(HttpClient client) {
        if (client == null) {
            return;
        }
        try {
            Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
            shutdownNow.invoke(client);
            HttpClient.class.getMethod("awaitTermination", Duration.class).invoke(client, WAIT);
            return;
        } catch (NoSuchMethodException e) {
            // JDK 17: below
        } catch (ReflectiveOperationException | RuntimeException e) {
            return;
        }
        try {
            Field impl = client.getClass().getDeclaredField("impl");
            impl.setAccessible(true);
            Object implementation = impl.get(client);
            Field selector = implementation.getClass().getDeclaredField("selmgr");
            selector.setAccessible(true);
            Object manager = selector.get(implementation); // a Thread: HttpClientImpl$SelectorManager
            Method shutdown = manager.getClass().getDeclaredMethod("shutdown");
            shutdown.setAccessible(true);
            shutdown.invoke(manager); // closes the selector, which ends the thread's epoll_wait
            ((Thread) manager).join(WAIT.toMillis());
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not opened (run without the jar's manifest) or another JDK's internals: exit slower
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
