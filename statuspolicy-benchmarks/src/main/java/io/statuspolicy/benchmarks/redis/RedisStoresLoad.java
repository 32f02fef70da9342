package io.statuspolicy.benchmarks.redis;

import io.statuspolicy.benchmarks.loopback.LoopbackServer;
import io.statuspolicy.config.RedisSettings;
import io.statuspolicy.engine.CircuitStore;
import io.statuspolicy.engine.HoldStore;
import io.statuspolicy.engine.RedirectStore;
import io.statuspolicy.engine.ResponseStore;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.redis.RedisStores;
import io.statuspolicy.testing.LocalRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls per second through {@code PolicyHttpClient} with the in-memory stores and with the Redis
 * stores (every state shared), in one run: {@link LoopbackServer} in another process, a
 * {@link LocalRedis} on 127.0.0.1, closed loop, rounds that alternate the two clients (the order
 * flips every round). Paths: {@code /small} (no validators: the hold, circuit and redirect look-ups
 * and a response-store miss per call) and {@code /cached} (a 304 answered from the store).
 *
 * <pre>
 * java -cp statuspolicy-benchmarks/target/benchmarks.jar io.statuspolicy.benchmarks.redis.RedisStoresLoad \
 *     [--rounds 4] [--seconds 3] [--concurrency 1,4]
 * </pre>
 */
public final class RedisStoresLoad {
    /** Counts outages: a run in which Redis was skipped measured local state, and says so. */
    private static final AtomicLong DEGRADED = new AtomicLong();
    private static final io.statuspolicy.event.PolicyListener OUTAGES = new io.statuspolicy.event.PolicyListener() {
        @Override
        public void storeDegraded(io.statuspolicy.event.PolicyEvent.StoreDegraded event) {
            DEGRADED.incrementAndGet();
            System.out.println("  (redis skipped: " + event.problem() + ")");
        }
    };

    private RedisStoresLoad() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 4;
        int seconds = 3;
        int[] concurrency = {1, 4};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = java.util.Arrays.stream(args[++i].split(","))
                        .mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --rounds N, --seconds N, --concurrency N[,N...]");
            }
        }
        if (rounds < 2 || rounds > 20 || seconds < 1 || seconds > 30) {
            throw new IllegalArgumentException("--rounds 2..20 and --seconds 1..30");
        }
        if (!LocalRedis.installed()) {
            throw new IllegalStateException(LocalRedis.MISSING);
        }
        Process server = startServer();
        try (LocalRedis redis = LocalRedis.start();
                RedisStores stores = RedisStores.builder().uri(redis.uri()).listener(OUTAGES)
                        .share(EnumSet.allOf(RedisSettings.Shared.class)).build()) {
            int port = readPort(server);
            long until = System.nanoTime() + 10_000_000_000L;
            while (!stores.connected() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            PolicyHttpClient memory = PolicyHttpClient.builder().holdStore(HoldStore.inMemory(10_000))
                    .circuitStore(CircuitStore.inMemory(10_000)).redirectStore(RedirectStore.inMemory(1000))
                    .responseStore(ResponseStore.inMemory(16L << 20)).build();
            PolicyHttpClient shared = PolicyHttpClient.builder().holdStore(stores.holdStore())
                    .circuitStore(stores.circuitStore()).redirectStore(stores.redirectStore())
                    .responseStore(stores.responseStore()).build();
            System.out.printf(Locale.ROOT, "Java %s, redis-server on 127.0.0.1:%d; %d rounds of %d s per client and case%n",
                    Runtime.version(), redis.port(), rounds, seconds);
            System.out.println("case                 callers  in-memory calls/s  redis calls/s  redis/in-memory (per-round range)");
            for (String path : List.of("/small", "/cached")) {
                URI uri = URI.create("http://127.0.0.1:" + port + path);
                for (int callers : concurrency) {
                    compare(path, memory, shared, uri, callers, rounds, seconds);
                }
            }
            System.out.println("outages during the run: " + DEGRADED + ", connected at the end: " + stores.connected());
        } finally {
            server.destroy();
        }
    }

    private static void compare(String path, PolicyHttpClient memory, PolicyHttpClient shared, URI uri, int callers,
            int rounds, int seconds) throws InterruptedException {
        rate(memory, uri, callers, 1); // warm-up
        rate(shared, uri, callers, 1);
        List<Double> ratios = new ArrayList<>();
        double memorySum = 0;
        double sharedSum = 0;
        for (int round = 0; round < rounds; round++) {
            double m;
            double s;
            if (round % 2 == 0) {
                m = rate(memory, uri, callers, seconds);
                s = rate(shared, uri, callers, seconds);
            } else {
                s = rate(shared, uri, callers, seconds);
                m = rate(memory, uri, callers, seconds);
            }
            memorySum += m;
            sharedSum += s;
            ratios.add(s / m);
        }
        System.out.printf(Locale.ROOT, "%-20s %7d  %17.0f  %13.0f  %.2f (%.2f..%.2f)%n", path, callers,
                memorySum / rounds, sharedSum / rounds, sharedSum / memorySum,
                ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    /** Calls per second of {@code callers} threads in a closed loop for {@code seconds}. */
    private static double rate(PolicyHttpClient client, URI uri, int callers, int seconds) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        AtomicLong calls = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        client.send(request, BodyHandlers.ofByteArray());
                        calls.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException("a call failed: " + e, e);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return calls.get() / (double) seconds;
    }

    private static Process startServer() throws IOException {
        String classpath = Path.of(LoopbackServer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dsun.net.httpserver.nodelay=true", "-cp", classpath, LoopbackServer.class.getName(), "4")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int readPort(Process server) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            throw new IOException("the loopback server did not start: " + line);
        }
        return Integer.parseInt(line.substring(5).trim());
    }
}
