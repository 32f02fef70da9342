package io.statuspolicy.benchmarks.chaos;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What keeps a JDK client's selector thread alive after a soak, when one is left: that thread
 * ends once the client's facade is unreachable and its count of pending operations is zero. The
 * probe keeps the facade weakly (so it never keeps it alive) and the client's implementation
 * strongly (which holds the facade only weakly), and reads that implementation's counters when
 * {@code java.net.http}'s internals are open to it ({@code --add-opens
 * java.net.http/jdk.internal.net.http=ALL-UNNAMED}, as the module's tests run); otherwise it
 * says so and tells only whether the facade is still reachable.
 */
final class JdkClientProbe {
    private static final String[] COUNTERS = {"pendingOperationCount", "pendingHttpRequestCount",
        "pendingHttpOperationsCount", "pendingTCPConnectionCount"};
    private static final String[] SETS = {"pendingRequests", "subscribers", "timeouts", "openedConnections"};

    private final String name;
    private final WeakReference<HttpClient> facade;
    private final Object impl;

    private JdkClientProbe(String name, HttpClient facade) {
        this.name = name;
        this.facade = new WeakReference<>(facade);
        this.impl = field(facade, "impl");
    }

    private static final List<JdkClientProbe> PROBES = new ArrayList<>();

    /** Watches {@code facade} from now on (the soak's own clients). */
    static synchronized void watch(String name, HttpClient facade) {
        PROBES.add(new JdkClientProbe(name, facade));
    }

    /** A line per watched client whose facade is still reachable or whose counters are not zero. */
    static synchronized List<String> describeLeftovers() {
        List<String> lines = new ArrayList<>();
        for (JdkClientProbe probe : PROBES) {
            String line = probe.describe();
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The client's count of pending requests, or -1 when its internals are not open to us. */
    static long pendingRequests(HttpClient facade) {
        Object impl = field(facade, "impl");
        return impl != null && field(impl, "pendingHttpRequestCount") instanceof AtomicLong count ? count.get() : -1;
    }

    /** The counters of {@code facade}'s implementation now, zero or not (for {@link JdkInterruptLeak}). */
    static String countersOf(String name, HttpClient facade) {
        String line = new JdkClientProbe(name, facade).describe();
        return line == null ? name + ": nothing pending" : line;
    }

    private String describe() {
        boolean reachable = facade.get() != null;
        if (impl == null) {
            return reachable ? name + ": facade still reachable (internals closed: run with --add-opens "
                    + "java.net.http/jdk.internal.net.http=ALL-UNNAMED for its counters)" : null;
        }
        StringBuilder counts = new StringBuilder();
        boolean busy = false;
        for (String counter : COUNTERS) {
            if (!(field(impl, counter) instanceof AtomicLong atomic)) {
                continue; // not in this JDK's client
            }
            long n = atomic.get();
            busy |= n != 0;
            counts.append(' ').append(counter).append('=').append(n);
        }
        for (String set : SETS) {
            Object value = field(impl, set);
            int n = value instanceof Collection<?> c ? c.size() : value instanceof Map<?, ?> m ? m.size() : -1;
            if (n < 0) {
                continue; // not in this JDK's client
            }
            busy |= n > 0;
            counts.append(' ').append(set).append('=').append(n);
        }
        if (!reachable && !busy) {
            return null;
        }
        return name + ": facade " + (reachable ? "still reachable" : "collected") + ";" + counts;
    }

    private static Object field(Object owner, String name) {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException e) {
                // a superclass may have it
            } catch (RuntimeException | IllegalAccessException e) { // not opened to us
                return null;
            }
        }
        return null;
    }
}
