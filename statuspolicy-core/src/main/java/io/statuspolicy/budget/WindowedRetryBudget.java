package io.statuspolicy.budget;

import io.statuspolicy.policy.RetryBudgetSettings;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retry budget over a sliding window: per host, retries in the window may be at most
 * {@code minRetries + ratio × requests in the window}: a retry is allowed when one more still
 * fits within that sum.
 *
 * <p>The window is kept as ten buckets per host, so it slides in steps of a tenth of its
 * length. Hosts idle for longer than the window are forgotten when the table grows past
 * {@value #SWEEP_THRESHOLD} hosts, which bounds memory for clients that call many hosts.
 */
final class WindowedRetryBudget implements RetryBudget {
    static final int BUCKETS = 10;
    static final int SWEEP_THRESHOLD = 1024;

    private final RetryBudgetSettings settings;
    private final long bucketMillis;
    private final ConcurrentHashMap<String, HostWindow> hosts = new ConcurrentHashMap<>();

    WindowedRetryBudget(RetryBudgetSettings settings) {
        this.settings = settings;
        this.bucketMillis = Math.max(1, settings.window().toMillis() / BUCKETS);
    }

    @Override
    public boolean allowsRetry(String host, long nowMillis) {
        HostWindow window = hosts.get(key(host));
        if (window == null) {
            return settings.minRetries() >= 1;
        }
        return window.allows(nowMillis);
    }

    @Override
    public void recordRequest(String host, long nowMillis) {
        window(host, nowMillis).add(nowMillis, 1, 0);
    }

    @Override
    public void recordRetry(String host, long nowMillis) {
        window(host, nowMillis).add(nowMillis, 0, 1);
    }

    private HostWindow window(String host, long nowMillis) {
        String key = key(host);
        HostWindow window = hosts.get(key);
        if (window != null) {
            return window; // the common case: no size check, no allocation
        }
        if (hosts.size() > SWEEP_THRESHOLD) {
            hosts.values().removeIf(idle -> idle.idleSince(nowMillis));
        }
        return hosts.computeIfAbsent(key, ignored -> new HostWindow());
    }

    private static String key(String host) {
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }

    /** Ten buckets of (requests, retries); guarded by its own monitor. */
    private final class HostWindow {
        private final long[] bucketStart = new long[BUCKETS];
        private final int[] requests = new int[BUCKETS];
        private final int[] retries = new int[BUCKETS];
        private long lastUse = Long.MIN_VALUE;

        synchronized void add(long nowMillis, int newRequests, int newRetries) {
            int index = bucket(nowMillis);
            requests[index] += newRequests;
            retries[index] += newRetries;
            lastUse = nowMillis;
        }

        synchronized boolean allows(long nowMillis) {
            long oldest = nowMillis - settings.window().toMillis();
            long requestSum = 0;
            long retrySum = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (bucketStart[i] > oldest && bucketStart[i] <= nowMillis) {
                    requestSum += requests[i];
                    retrySum += retries[i];
                }
            }
            // One more retry must fit whole: retries + 1 <= floor + ratio x requests.
            return retrySum + 1 <= settings.minRetries() + settings.ratio() * requestSum;
        }

        synchronized boolean idleSince(long nowMillis) {
            return nowMillis - lastUse > settings.window().toMillis();
        }

        /** The bucket for {@code nowMillis}, cleared first if it held an older slot. */
        private int bucket(long nowMillis) {
            long slot = Math.floorDiv(nowMillis, bucketMillis);
            int index = (int) Math.floorMod(slot, (long) BUCKETS);
            long start = slot * bucketMillis;
            if (bucketStart[index] != start) {
                bucketStart[index] = start;
                requests[index] = 0;
                retries[index] = 0;
            }
            return index;
        }
    }
}
