package io.statuspolicy.benchmarks.chaos;

import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.policy.Backoff;
import io.statuspolicy.policy.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The chaos soak: many calls of a mixed client (GET, PUT, POST with and without an
 * {@code Idempotency-Key}; replayable and one-shot bodies; sync and async; some cancelled, some
 * interrupted) through one adapter ({@link SoakClient}: the JDK's or OkHttp's) against
 * {@link ChaosServer}, then checks made from
 * the server's own record:
 * <ul>
 *   <li>no POST without a key was executed twice;</li>
 *   <li>every 2xx body the caller got is byte-identical to what the server sends for that call;</li>
 *   <li>every attempt of a call carried the same request body;</li>
 *   <li>every failure the caller got carries a decision ({@link PolicyException}), except calls the
 *       caller itself cancelled or interrupted;</li>
 *   <li>afterwards no response body is still being written, no connection is open and no client
 *       thread is left.</li>
 * </ul>
 *
 * <pre>
 * java -cp statuspolicy-benchmarks/target/statuspolicy-benchmarks.jar \
 *     io.statuspolicy.benchmarks.chaos.ChaosSoak [calls] [concurrency] [seed] [jdk|okhttp]
 * </pre>
 */
public final class ChaosSoak {
    /** The guideline with short backoff and deadline, so a soak of thousands of calls takes minutes. */
    static final Policy POLICY = Policy.guideline().withLimits(l -> l
            .withBackoff(new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(200), 0.5))
            .withDeadline(Duration.ofSeconds(3)));

    /** The share of calls cancelled (async) or interrupted (sync), in percent: {@code -Dchaos.disturbPercent}. */
    private static final int DISTURB_PERCENT = Integer.getInteger("chaos.disturbPercent", 6);
    /** The share of async calls in percent, {@code -Dchaos.asyncPercent}; unset: half, as drawn. */
    private static final int ASYNC_SHARE = Integer.getInteger("chaos.asyncPercent", -1);

    private ChaosSoak() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        String client = args.length > 3 ? args[3] : "jdk";
        long start = System.nanoTime();
        Report report = run(calls, concurrency, seed, client);
        System.out.println(report.summary());
        System.out.printf("%d calls in %.1f s%n", calls, (System.nanoTime() - start) / 1e9);
        if (!report.violations().isEmpty()) {
            System.exit(1);
        }
    }

    /** What a run found. */
    public record Report(int calls, Map<String, Integer> outcomes, Map<String, Integer> serverActs,
            int requests, List<String> violations) {
        public String summary() {
            return "calls " + calls + ", requests the server read " + requests + "\n  outcomes " + outcomes
                    + "\n  server acts " + serverActs + "\n  violations " + violations.size()
                    + (violations.isEmpty() ? "" : ": " + violations.subList(0, Math.min(10, violations.size())));
        }
    }

    /** One call of the mix, as drawn. */
    private record Plan(long id, String method, boolean key, byte[] body, boolean oneShot, boolean async,
            boolean cancel, boolean interrupt, long disturbAfterMillis) {
    }

    /** A run through the JDK adapter. */
    public static Report run(int calls, int concurrency, long seed) throws Exception {
        return run(calls, concurrency, seed, "jdk");
    }

    /** A run through the named adapter ({@code jdk} or {@code okhttp}, see {@link SoakClient#named}). */
    public static Report run(int calls, int concurrency, long seed, String clientName) throws Exception {
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        Map<Long, Plan> plans = new ConcurrentHashMap<>();
        ChaosServer server = new ChaosServer(seed);
        try {
            drive(server, calls, concurrency, seed, clientName, plans, outcomes, violations);
            // The client is unreachable now: its pool and threads must go.
            checkServerRecord(server, plans, violations);
            checkNothingLeft(server, violations);
        } finally {
            server.close();
        }
        Map<String, Integer> acts = new TreeMap<>();
        for (ChaosServer.Seen seen : server.seen()) {
            acts.merge(seen.act().name(), 1, Integer::sum);
        }
        return new Report(calls, new TreeMap<>(outcomes), acts, server.seen().size(), List.copyOf(violations));
    }

    private static void drive(ChaosServer server, int calls, int concurrency, long seed, String clientName,
            Map<Long, Plan> plans, Map<String, Integer> outcomes, List<String> violations) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        ScheduledExecutorService disturber = Executors.newSingleThreadScheduledExecutor();
        SoakClient client = SoakClient.named(clientName);
        try {
            SplittableRandom random = new SplittableRandom(seed);
            Semaphore slots = new Semaphore(concurrency);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (long id = 1; id <= calls; id++) {
                Plan plan = draw(id, random);
                plans.put(id, plan);
                slots.acquire();
                CompletableFuture<Void> done = new CompletableFuture<>();
                done.whenComplete((v, e) -> slots.release());
                all.add(done);
                if (plan.async()) {
                    runAsync(client, server, plan, disturber, outcomes, violations, done);
                } else {
                    workers.execute(() -> runSync(client, server, plan, disturber, outcomes, violations, done));
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } finally {
            workers.shutdown();
            disturber.shutdownNow();
            workers.awaitTermination(1, TimeUnit.MINUTES);
            client.close();
        }
    }

    private static Plan draw(long id, SplittableRandom random) {
        int roll = random.nextInt(100);
        String method = roll < 40 ? "GET" : roll < 60 ? "PUT" : "POST";
        boolean key = method.equals("POST") && random.nextBoolean();
        byte[] body = null;
        boolean oneShot = false;
        if (!method.equals("GET")) {
            body = new byte[random.nextInt(1, 8 * 1024)];
            random.nextBytes(body);
            oneShot = random.nextInt(4) == 0;
        }
        boolean async = ASYNC_SHARE >= 0 ? random.nextInt(100) < ASYNC_SHARE : random.nextBoolean();
        boolean disturb = random.nextInt(100) < DISTURB_PERCENT;
        return new Plan(id, method, key, body, oneShot, async, async && disturb, !async && disturb,
                random.nextLong(0, 400));
    }

    private static SoakClient.Call request(ChaosServer server, Plan plan) {
        return new SoakClient.Call(server.uri("/calls/" + plan.id()), plan.method(), plan.body(), plan.oneShot(),
                Long.toString(plan.id()), plan.key() ? "call-" + plan.id() : null);
    }

    private static void runAsync(SoakClient client, ChaosServer server, Plan plan,
            ScheduledExecutorService disturber, Map<String, Integer> outcomes, List<String> violations,
            CompletableFuture<Void> done) {
        CompletableFuture<SoakClient.Result> call = client.sendAsync(request(server, plan));
        if (plan.cancel()) {
            disturber.schedule(() -> call.cancel(true), plan.disturbAfterMillis(), TimeUnit.MILLISECONDS);
        }
        call.whenComplete((result, error) -> {
            try {
                judge(plan, error != null ? SoakClient.Result.of(error) : result, outcomes, violations);
            } finally {
                done.complete(null);
            }
        });
    }

    private static void runSync(SoakClient client, ChaosServer server, Plan plan,
            ScheduledExecutorService disturber, Map<String, Integer> outcomes, List<String> violations,
            CompletableFuture<Void> done) {
        Thread caller = Thread.currentThread();
        Object lock = new Object();
        boolean[] running = {true};
        if (plan.interrupt()) {
            disturber.schedule(() -> {
                synchronized (lock) {
                    if (running[0]) {
                        caller.interrupt();
                    }
                }
            }, plan.disturbAfterMillis(), TimeUnit.MILLISECONDS);
        }
        SoakClient.Result result;
        try {
            result = client.send(request(server, plan));
        } finally {
            synchronized (lock) {
                running[0] = false;
                Thread.interrupted(); // a pool thread: the flag must not reach the next call
            }
        }
        try {
            judge(plan, result, outcomes, violations);
        } finally {
            done.complete(null);
        }
    }

    private static void judge(Plan plan, SoakClient.Result result, Map<String, Integer> outcomes,
            List<String> violations) {
        Throwable error = result.error();
        if (error == null) {
            int status = result.status();
            outcomes.merge(status / 100 + "xx", 1, Integer::sum);
            if (status / 100 == 2 && !Arrays.equals(result.body(), ChaosServer.bodyOf(plan.id()))) {
                violations.add("call " + plan.id() + ": the 2xx body differs from what the server sent ("
                        + result.body().length + " bytes)");
            }
            return;
        }
        if (error instanceof PolicyException policy) {
            outcomes.merge("failed " + policy.category(), 1, Integer::sum);
            if (policy.decision() == null) {
                violations.add("call " + plan.id() + ": a PolicyException without a decision");
            }
            return;
        }
        if ((error instanceof CancellationException && plan.cancel())
                || (error instanceof InterruptedException && plan.interrupt())) {
            outcomes.merge(plan.cancel() ? "cancelled" : "interrupted", 1, Integer::sum);
            return;
        }
        outcomes.merge("other " + error.getClass().getSimpleName(), 1, Integer::sum);
        violations.add("call " + plan.id() + " (" + plan.method() + (plan.async() ? " async" : " sync")
                + "): failed without a decision: " + error);
    }

    private static void checkServerRecord(ChaosServer server, Map<Long, Plan> plans, List<String> violations) {
        Map<Long, List<ChaosServer.Seen>> byCall = new HashMap<>();
        for (ChaosServer.Seen seen : server.seen()) {
            byCall.computeIfAbsent(seen.call(), c -> new ArrayList<>()).add(seen);
        }
        byCall.forEach((call, seen) -> {
            Plan plan = plans.get(call);
            if (plan == null) {
                violations.add("the server read a request of no call: " + call);
                return;
            }
            String expected = ChaosServer.sha(plan.body() == null ? new byte[0] : plan.body());
            for (ChaosServer.Seen one : seen) {
                if (!one.bodySha().equals(expected)) {
                    violations.add("call " + call + ": a " + one.method() + " attempt carried another body");
                }
                if (!one.method().equals(plan.method())) {
                    violations.add("call " + call + ": sent as " + one.method() + ", not " + plan.method());
                }
            }
            long executed = seen.stream().filter(s -> s.act().executes).count();
            if (plan.method().equals("POST") && !plan.key() && executed > 1) {
                violations.add("call " + call + ": a POST without a key was executed " + executed + " times");
            }
        });
    }

    private static void checkNothingLeft(ChaosServer server, List<String> violations) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int bodies = server.bodiesInProgress();
        while (bodies > 0 && System.nanoTime() < end) {
            Thread.sleep(50);
            bodies = server.bodiesInProgress();
        }
        if (bodies > 0) {
            violations.add(bodies + " response bodies still being written: a client left them open");
        }
        if (!clientThreadsGone(end)) {
            violations.add("threads left: " + clientThreads() + " " + JdkClientProbe.describeLeftovers()
                    + busyClientThreads());
        }
        int open = server.establishedConnections();
        while (open > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
            open = server.establishedConnections();
        }
        if (open > 0) {
            violations.add(open + " connections to the server still open");
        }
    }

    /** Whether the clients' and the engine's threads end (after the client is closed and unreachable). */
    private static boolean clientThreadsGone(long endNanos) throws InterruptedException {
        while (System.nanoTime() < endNanos) {
            System.gc();
            if (clientThreads().isEmpty()) {
                return true;
            }
            Thread.sleep(100);
        }
        return clientThreads().isEmpty();
    }

    /** The stacks of left-over client threads that are not idle in their pool: what holds each. */
    private static String busyClientThreads() {
        StringBuilder stacks = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            String name = thread.getName();
            boolean idle = Arrays.stream(frames).anyMatch(f -> f.getMethodName().equals("getTask"));
            if (clientThread(name) && !idle && !name.endsWith("SelectorManager")) {
                stacks.append("\n  ").append(name).append(" (").append(thread.getState()).append("):");
                for (int i = 0; i < Math.min(frames.length, 24); i++) {
                    stacks.append("\n    at ").append(frames[i]);
                }
            }
        });
        return stacks.toString();
    }

    /** A thread of the JDK client's or of the engine's, by its name. */
    private static boolean clientThread(String name) {
        return name.startsWith("HttpClient-") || name.startsWith("statuspolicy-");
    }

    static List<String> clientThreads() {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (thread.isAlive() && clientThread(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
