package io.statuspolicy.benchmarks.loopback;

import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.engine.ResponseStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A1: the JDK's HTTP/1.1 client, bare and behind {@code PolicyHttpClient}, against
 * {@link LoopbackServer} started in another process on 127.0.0.1. Every run is bounded: a fixed
 * number of rounds of a fixed number of seconds, loopback only.
 *
 * <ol>
 *   <li>Calibrates the server: the bare client, closed loop, at rising concurrency; the best
 *       rate is the ceiling of this machine with client and server on it.</li>
 *   <li>Measures at each concurrency asked for (default 1 and 4 callers, closed loop): rounds
 *       that alternate bare and wrapped (the order flips every round), so drift hits both alike.
 *       Throughput ratio per round, its mean and a 95 % interval over the rounds; p50 and p99
 *       latency of every request of every round.</li>
 *   <li>The 304 path: a 64 KiB resource with an ETag, the bare client fetching it whole each
 *       time, ours with a response store revalidating it (304) and answering from the store.</li>
 * </ol>
 *
 * <pre>
 * java -cp statuspolicy-benchmarks/target/benchmarks.jar io.statuspolicy.benchmarks.loopback.LoopbackLoad \
 *     [--rounds 6] [--seconds 4] [--concurrency 1,4]
 * </pre>
 */
public final class LoopbackLoad {
    private LoopbackLoad() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 6;
        int seconds = 4;
        int[] concurrency = {1, 4};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --rounds N, --seconds N, --concurrency N[,N...]");
            }
        }
        if (rounds < 2 || rounds > 20 || seconds < 1 || seconds > 30) {
            throw new IllegalArgumentException("rounds must be 2..20 and seconds 1..30 (the run is bounded)");
        }
        Process server = startServer();
        try {
            int port = readPort(server);
            URI small = URI.create("http://127.0.0.1:" + port + "/small");
            URI cached = URI.create("http://127.0.0.1:" + port + "/cached");
            HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            PolicyHttpClient ours = PolicyHttpClient.builder()
                    .delegate(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)).build();
            PolicyHttpClient oursCaching = PolicyHttpClient.builder()
                    .delegate(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                    .responseStore(ResponseStore.inMemory(16L << 20)).build();

            // The common pool's parallelism matters where the adapter waits on sendAsync (17.0.16 and older):
            // at 1, the JDK's sendAsync starts a thread per call.
            System.out.printf(Locale.ROOT, "JVM %s %s, %d processors, common pool parallelism %d%n",
                    System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                    Runtime.getRuntime().availableProcessors(),
                    java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
            Sender bareSend = Sender.send(bare);
            Sender oursSend = Sender.send(ours);
            Run.of(bareSend, small, 4, 5); // warm-up before calibrating
            System.out.println("## Calibration: bare client, closed loop, GET /small (1 KiB)");
            double ceiling = 0;
            for (int callers : new int[] {1, 2, 4, 8, 16}) {
                Run run = Run.of(bareSend, small, callers, 3);
                ceiling = Math.max(ceiling, run.throughput());
                System.out.printf(Locale.ROOT, "  %2d callers: %8.0f requests/s, p50 %6.1f us, p99 %6.1f us%n", callers,
                        run.throughput(), run.percentileMicros(0.50), run.percentileMicros(0.99));
            }
            System.out.printf(Locale.ROOT, "  ceiling: %.0f requests/s%n%n", ceiling);

            for (int callers : concurrency) {
                compare("GET /small (1 KiB, 200)", bareSend, oursSend, small, callers, rounds, seconds, ceiling);
            }
            compare("GET /cached (64 KiB, 200 bare; 304 + stored copy ours)", bareSend, Sender.send(oursCaching),
                    cached, 1, rounds, seconds, ceiling);
            // Reference: the bare client called through its asynchronous API, as PolicyHttpClient
            // calls its delegate even for a synchronous send.
            compare("GET /small, reference: bare send() vs bare sendAsync().get()", bareSend, Sender.sendAsync(bare),
                    small, 1, rounds, seconds, ceiling);
            timerTasks();
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void compare(String title, Sender bare, Sender ours, URI uri, int callers, int rounds,
            int seconds, double ceiling) throws Exception {
        System.out.printf(Locale.ROOT, "## %s, %d caller(s), %d rounds of %d s each%n", title, callers, rounds, seconds);
        Run.of(bare, uri, callers, 2); // warm-up, not counted
        Run.of(ours, uri, callers, 2);
        double[] ratios = new double[rounds];
        List<Run> bareRuns = new ArrayList<>();
        List<Run> ourRuns = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Run b;
            Run o;
            if (r % 2 == 0) {
                b = Run.of(bare, uri, callers, seconds);
                o = Run.of(ours, uri, callers, seconds);
            } else {
                o = Run.of(ours, uri, callers, seconds);
                b = Run.of(bare, uri, callers, seconds);
            }
            bareRuns.add(b);
            ourRuns.add(o);
            ratios[r] = o.throughput() / b.throughput();
            System.out.printf(Locale.ROOT, "  round %d: bare %8.0f/s, ours %8.0f/s, ratio %.3f%n", r + 1, b.throughput(),
                    o.throughput(), ratios[r]);
        }
        Run bareAll = Run.merge(bareRuns);
        Run oursAll = Run.merge(ourRuns);
        double mean = Arrays.stream(ratios).average().orElse(Double.NaN);
        double sd = Math.sqrt(Arrays.stream(ratios).map(x -> (x - mean) * (x - mean)).sum() / (rounds - 1));
        double half = tQuantile975(rounds - 1) * sd / Math.sqrt(rounds);
        System.out.printf(Locale.ROOT, "  throughput: bare %.0f/s (%.0f %% of the ceiling), ours %.0f/s; ratio %.3f +- %.3f"
                        + " (95 %% interval over rounds)%n", bareAll.throughput(), 100 * bareAll.throughput() / ceiling,
                oursAll.throughput(), mean, half);
        System.out.printf(Locale.ROOT, "  latency p50: bare %.1f us, ours %.1f us, added %+.1f us%n",
                bareAll.percentileMicros(0.5), oursAll.percentileMicros(0.5),
                oursAll.percentileMicros(0.5) - bareAll.percentileMicros(0.5));
        System.out.printf(Locale.ROOT, "  latency p99: bare %.1f us, ours %.1f us, added %+.1f us%n%n",
                bareAll.percentileMicros(0.99), oursAll.percentileMicros(0.99),
                oursAll.percentileMicros(0.99) - bareAll.percentileMicros(0.99));
    }

    /** Two-sided 95 % quantile of Student's t, for the small degrees of freedom used here. */
    private static double tQuantile975(int df) {
        double[] table = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
            2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093};
        return table[Math.min(df, table.length) - 1];
    }

    /**
     * Counts the timer tasks still queued in this JVM (the body-deadline timers of statuspolicy-jdk).
     * jcmd writes into a file, not a pipe read here: from Java 25 on the JVM streams the histogram
     * into the attach socket while its threads are stopped for it, so a pipe that this JVM's own
     * thread must drain filled up and the three waited on each other for good (seen once, after
     * every round had been printed).
     */
    private static void timerTasks() {
        Path out = null;
        try {
            out = Files.createTempFile("statuspolicy-histogram", ".txt");
            long pid = ProcessHandle.current().pid();
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).redirectOutput(out.toFile())
                    .start();
            System.out.println("## Live timer tasks at the end (jcmd GC.class_histogram)");
            if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                System.out.println("  (no class histogram: jcmd did not finish within 60 s)");
                return;
            }
            String histogram = Files.readString(out, StandardCharsets.UTF_8);
            if (jcmd.exitValue() != 0 || !histogram.contains("#instances")) {
                // Not "none": a histogram that was not read says nothing about the tasks.
                System.out.println("  (no class histogram: jcmd exited with " + jcmd.exitValue() + ": "
                        + histogram.lines().findFirst().orElse("no output") + ")");
                return;
            }
            String tasks = histogram.lines().filter(line -> line.contains("ScheduledThreadPoolExecutor$ScheduledFutureTask"))
                    .map(String::trim).findFirst().orElse("none (no ScheduledFutureTask in the histogram)");
            System.out.println("  " + tasks);
        } catch (IOException | InterruptedException e) {
            System.out.println("  (no class histogram: " + e.getMessage() + ")");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static Process startServer() throws IOException {
        String classpath = Path.of(LoopbackServer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        // TCP_NODELAY: the JDK server writes the head and the body separately; without it, Nagle's
        // algorithm and the client's delayed ACK hold the body for up to 40 ms, and that stall,
        // not the clients, is what a run would measure.
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

    /** One way of sending a request and reading its body. */
    @FunctionalInterface
    interface Sender {
        HttpResponse<byte[]> send(HttpRequest request) throws Exception;

        static Sender send(HttpClient client) {
            return request -> client.send(request, BodyHandlers.ofByteArray());
        }

        static Sender sendAsync(HttpClient client) {
            return request -> client.sendAsync(request, BodyHandlers.ofByteArray()).get();
        }
    }

    /** One closed-loop run: {@code callers} threads sending back to back for a fixed time. */
    private record Run(long[] latenciesNanos, int count, double seconds) {

        static Run of(Sender client, URI uri, int callers, int seconds) throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long[][] perThread = new long[callers][];
            int[] counts = new int[callers];
            Thread[] threads = new Thread[callers];
            long started = System.nanoTime();
            for (int t = 0; t < callers; t++) {
                int index = t;
                threads[t] = new Thread(() -> {
                    long[] latencies = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < deadline) {
                        long begin = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = client.send(request);
                            if (response.statusCode() != 200 || response.body().length == 0) {
                                throw new IllegalStateException("unexpected " + response.statusCode());
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = System.nanoTime() - begin;
                    }
                    perThread[index] = latencies;
                    counts[index] = n;
                }, "loopback-caller-" + t);
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int at = 0;
            for (int t = 0; t < callers; t++) {
                System.arraycopy(perThread[t], 0, all, at, counts[t]);
                at += counts[t];
            }
            return new Run(all, total, elapsed);
        }

        static Run merge(List<Run> runs) {
            int total = runs.stream().mapToInt(Run::count).sum();
            long[] all = new long[total];
            int at = 0;
            double seconds = 0;
            for (Run run : runs) {
                System.arraycopy(run.latenciesNanos, 0, all, at, run.count);
                at += run.count;
                seconds += run.seconds;
            }
            return new Run(all, total, seconds);
        }

        double throughput() {
            return count / seconds;
        }

        double percentileMicros(double q) {
            long[] sorted = Arrays.copyOf(latenciesNanos, count);
            Arrays.sort(sorted);
            int index = (int) Math.ceil(q * count) - 1;
            return sorted[Math.max(0, Math.min(count - 1, index))] / 1000.0;
        }
    }
}
