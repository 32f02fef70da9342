package io.statuspolicy.benchmarks.loopback;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * How many threads the JDK's client starts per call, by the way it is called (no statuspolicy in
 * it): its own {@code send} against its {@code sendAsync} waited for, which is how the JDK
 * adapter sends a synchronous call on a JDK without the fix of JDK-8316580 (17.0.16 and older,
 * 18 to 20, 21.0.7 and older). On JDK 17 and 21 every public {@code sendAsync} completes its
 * future through {@code CompletableFuture}'s default executor; when the common pool's
 * parallelism is 1 (two processors, by default) that executor starts a thread per task, which is
 * most of what A1 loses there (docs/benchmarks.md, sections S and T).
 *
 * <pre>
 * java -cp statuspolicy-benchmarks/target/benchmarks.jar io.statuspolicy.benchmarks.loopback.JdkThreadsPerCall [calls]
 * java -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -cp ... JdkThreadsPerCall
 * </pre>
 */
public final class JdkThreadsPerCall {
    private JdkThreadsPerCall() {
    }

    /** Threads started during {@code calls} sequential calls each way, after a warm-up. */
    public record Count(int calls, long bySend, long bySendAsync) {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        if (calls < 1 || calls > 100_000) {
            throw new IllegalArgumentException("calls must be 1..100000 (the run is bounded), not " + calls);
        }
        Count count = measure(calls);
        System.out.printf(Locale.ROOT, "Java %s, %d processors, common pool parallelism %d, %d calls each way:%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                ForkJoinPool.getCommonPoolParallelism(), count.calls());
        System.out.printf(Locale.ROOT, "  send:               %d threads started%n", count.bySend());
        System.out.printf(Locale.ROOT, "  sendAsync().get():  %d threads started%n", count.bySendAsync());
    }

    /** Runs a loopback server and a bare client, and counts the threads this JVM started per way. */
    public static Count measure(int calls) throws IOException, InterruptedException, ExecutionException {
        // Without TCP_NODELAY the server's head and body go out in two writes, and each call waits
        // out a delayed ACK (about 40 ms): read once, when the JDK's server is first used in this JVM.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(uri).build();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int i = 0; i < 20; i++) { // the connection, the client's and the server's threads
                client.send(request, BodyHandlers.discarding());
                client.sendAsync(request, BodyHandlers.discarding()).get();
            }
            long before = threads.getTotalStartedThreadCount();
            for (int i = 0; i < calls; i++) {
                client.send(request, BodyHandlers.discarding());
            }
            long bySend = threads.getTotalStartedThreadCount() - before;
            before = threads.getTotalStartedThreadCount();
            for (int i = 0; i < calls; i++) {
                client.sendAsync(request, BodyHandlers.discarding()).get();
            }
            long bySendAsync = threads.getTotalStartedThreadCount() - before;
            return new Count(calls, bySend, bySendAsync);
        } finally {
            server.stop(0);
        }
    }
}
