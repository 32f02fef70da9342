package io.statuspolicy.benchmarks.chaos;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Does this JVM's own {@code java.net.http} client leave an exchange pending for good when a
 * blocking call is interrupted? No statuspolicy in it: a bare client, many calls interrupted at a
 * random moment, then the client's pending counters read for a few seconds (a count that stays
 * above zero keeps the client's selector thread alive after the client is dropped). This is the
 * measurement behind the adapter's {@code BlockingSend} choice (docs/benchmarks.md, sections N
 * and O); run it again on a new JDK before changing that choice.
 *
 * <pre>
 * java --add-opens java.net.http/jdk.internal.net.http=ALL-UNNAMED -cp benchmarks.jar \
 *     io.statuspolicy.benchmarks.chaos.JdkInterruptLeak WAY WHEN CALLS TIMEOUT_MS
 * </pre>
 *
 * <ul>
 *   <li>WAY: {@code send} (the JDK's blocking send) or {@code async} ({@code sendAsync}, its
 *       future waited for and cancelled on an interrupt, as the adapter does before JDK 25)</li>
 *   <li>WHEN: {@code any} (the interrupt lands whenever it is due) or {@code waiting} (put off
 *       while the caller's thread is running, so it lands on a thread parked in the wait; the
 *       JDK's send runs part of the exchange on the caller's thread)</li>
 *   <li>CALLS: how many calls, 16 at a time, each interrupted within its first 60 ms; the server
 *       answers after 0 to 50 ms, a third with no body, the rest with up to 100 KB</li>
 *   <li>TIMEOUT_MS: each request's own timeout, 0 for none</li>
 * </ul>
 */
public final class JdkInterruptLeak {
    private JdkInterruptLeak() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !List.of("send", "async").contains(args[0]) || !List.of("any", "waiting").contains(args[1])) {
            System.err.println("usage: JdkInterruptLeak send|async any|waiting CALLS TIMEOUT_MS");
            System.exit(2);
        }
        boolean async = args[0].equals("async");
        try (Outcome outcome = measure(async, args[1].equals("waiting"), Integer.parseInt(args[2]), Long.parseLong(args[3]))) {
            report(args, outcome);
        }
    }

    private static void report(String[] args, Outcome outcome) throws InterruptedException {
        System.out.printf("%s, interrupts %s, %s calls, request timeout %s: %d interrupted (%d interrupts put off)%n",
                args[0], args[1], args[2], args[3].equals("0") ? "none" : args[3] + " ms", outcome.interrupted(),
                outcome.putOff());
        for (int second = 0; second <= 6; second += 2) {
            System.out.println("  after " + second + " s: " + JdkClientProbe.countersOf("client", outcome.client()));
            Thread.sleep(2000);
        }
    }

    /**
     * What a run did: how many calls were interrupted, how often an interrupt was put off, the
     * client, and the server, still up (exchanges the client still runs go on against it) until
     * {@link #close}.
     */
    record Outcome(int interrupted, int putOff, HttpClient client, HttpServer server, ExecutorService serverPool)
            implements AutoCloseable {
        @Override
        public void close() {
            server.stop(0);
            serverPool.shutdownNow();
        }
    }

    /** Runs the calls (see the class comment) through a new client, and returns once every call ended. */
    static Outcome measure(boolean async, boolean waitingOnly, int calls, long timeoutMillis) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService serverPool = Executors.newFixedThreadPool(32);
        server.setExecutor(serverPool);
        server.createContext("/", exchange -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                Thread.sleep(random.nextInt(0, 50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int length = random.nextInt(3) == 0 ? 0 : random.nextInt(1, 100_000);
            exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[length]);
            } catch (IOException e) {
                // the client went away: expected for interrupted calls
            }
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        ScheduledExecutorService interrupter = Executors.newScheduledThreadPool(2);
        AtomicInteger interrupted = new AtomicInteger();
        AtomicInteger putOff = new AtomicInteger();
        SplittableRandom delays = new SplittableRandom(7);
        boolean measured = false;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                long after = delays.nextLong(0, 60);
                done.add(callers.submit(() -> {
                    Interruption interruption = new Interruption(Thread.currentThread(), interrupter, waitingOnly, putOff);
                    interrupter.schedule(interruption, after, TimeUnit.MILLISECONDS);
                    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
                    if (timeoutMillis > 0) {
                        request.timeout(Duration.ofMillis(timeoutMillis));
                    }
                    try {
                        call(client, request.build(), async);
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                    } catch (IOException e) {
                        // a timeout or a connection closed by an interrupt: counted by the client, not here
                    } finally {
                        interruption.finish();
                    }
                    return null;
                }));
            }
            for (Future<?> call : done) {
                call.get();
            }
            measured = true;
        } finally {
            callers.shutdownNow();
            interrupter.shutdownNow();
            if (!measured) {
                server.stop(0);
                serverPool.shutdownNow();
            }
        }
        return new Outcome(interrupted.get(), putOff.get(), client, server, serverPool);
    }

    private static void call(HttpClient client, HttpRequest request, boolean async)
            throws IOException, InterruptedException {
        if (!async) {
            client.send(request, BodyHandlers.ofByteArray());
            return;
        }
        CompletableFuture<HttpResponse<byte[]>> response = client.sendAsync(request, BodyHandlers.ofByteArray());
        try {
            response.get();
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /** One call's interrupt: never after the call ended, and when asked, only while its thread waits. */
    private static final class Interruption implements Runnable {
        private final Thread target;
        private final ScheduledExecutorService interrupter;
        private final boolean waitingOnly;
        private final AtomicInteger putOff;
        private boolean running = true;

        Interruption(Thread target, ScheduledExecutorService interrupter, boolean waitingOnly, AtomicInteger putOff) {
            this.target = target;
            this.interrupter = interrupter;
            this.waitingOnly = waitingOnly;
            this.putOff = putOff;
        }

        @Override
        public synchronized void run() {
            if (!running) {
                return;
            }
            if (waitingOnly && target.getState() == Thread.State.RUNNABLE) {
                putOff.incrementAndGet();
                interrupter.schedule(this, 50, TimeUnit.MICROSECONDS);
                return;
            }
            target.interrupt();
        }

        synchronized void finish() {
            running = false;
            Thread.interrupted(); // the caller's next call starts clean
        }
    }
}
