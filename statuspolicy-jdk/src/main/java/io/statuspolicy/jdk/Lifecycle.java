package io.statuspolicy.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * The lifecycle methods {@code java.net.http.HttpClient} gained in JDK 21 ({@code close},
 * {@code shutdown}, {@code shutdownNow}, {@code awaitTermination}, {@code isTerminated}), called on
 * a wrapped client from a library compiled for Java 17: looked up once, and skipped where the
 * running JDK does not have them.
 */
final class Lifecycle {
    private static final Map<String, MethodHandle> METHODS = lookUp();

    private Lifecycle() {
    }

    private static Map<String, MethodHandle> lookUp() {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        java.util.HashMap<String, MethodHandle> found = new java.util.HashMap<>();
        for (String name : new String[] {"close", "shutdown", "shutdownNow"}) {
            find(lookup, name, MethodType.methodType(void.class), found);
        }
        find(lookup, "isTerminated", MethodType.methodType(boolean.class), found);
        find(lookup, "awaitTermination", MethodType.methodType(boolean.class, Duration.class), found);
        return Map.copyOf(found);
    }

    private static void find(MethodHandles.Lookup lookup, String name, MethodType type,
            Map<String, MethodHandle> found) {
        try {
            found.put(name, lookup.findVirtual(HttpClient.class, name, type));
        } catch (NoSuchMethodException | IllegalAccessException absent) {
            // JDK 17 to 20: the method does not exist; the call is a no-op there.
        }
    }

    /** Whether the running JDK's client has the lifecycle methods (JDK 21 and later). */
    static boolean available() {
        return METHODS.containsKey("close");
    }

    /** Calls a no-argument lifecycle method; returns its result, or null where it does not exist. */
    static Object invoke(HttpClient client, String name) {
        MethodHandle method = METHODS.get(name);
        if (method == null) {
            return null;
        }
        try {
            return method.invoke(client);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + "() of the wrapped client failed", t);
        }
    }

    static boolean awaitTermination(HttpClient client, Duration duration) throws InterruptedException {
        MethodHandle method = METHODS.get("awaitTermination");
        if (method == null) {
            return false;
        }
        try {
            return (boolean) method.invoke(client, duration);
        } catch (InterruptedException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("awaitTermination() of the wrapped client failed", t);
        }
    }
}
