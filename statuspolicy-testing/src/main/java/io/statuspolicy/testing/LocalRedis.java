package io.statuspolicy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} for tests (issue 12): started on 127.0.0.1 on a free port,
 * with no persistence ({@code --save '' --appendonly no}), in a temporary directory; ready once it
 * answers {@code PING}; stopped by {@link #close()} and, should a test forget, by a shutdown hook,
 * so no server outlives the JVM that started it. {@link #kill()} and {@link #restart()} stage an
 * outage on the same port; {@link #pause(Duration)} sends {@code DEBUG SLEEP}.
 *
 * <p>Tests skip (with {@code Assumptions.assumeTrue(LocalRedis.installed(), LocalRedis.MISSING)})
 * where {@code redis-server} is not installed; CI installs it ({@code .ci/run}).
 */
public final class LocalRedis implements AutoCloseable {
    /** Why a test is skipped when the server is absent. */
    public static final String MISSING = "redis-server is not installed (apt-get install redis-server); "
            + ".ci/run installs it, so CI runs these tests";

    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final String executable;
    private final int port;
    private final Path directory;
    private final Thread reaper;
    private volatile Process process;

    private LocalRedis(String executable, int port, Path directory) {
        this.executable = executable;
        this.port = port;
        this.directory = directory;
        this.reaper = new Thread(this::destroy, "local-redis-reaper-" + port);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Whether {@code redis-server} is on the PATH (or at /usr/bin/redis-server). */
    public static boolean installed() {
        return executable() != null;
    }

    /**
     * Starts a server on a free port and waits until it answers {@code PING}.
     *
     * @throws IllegalStateException when redis-server is missing or does not come up in 10 s
     */
    public static LocalRedis start() {
        String executable = executable();
        if (executable == null) {
            throw new IllegalStateException(MISSING);
        }
        try {
            LocalRedis redis = new LocalRedis(executable, freePort(), Files.createTempDirectory("local-redis"));
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
        }
    }

    /** The port it listens on (the same after a restart). */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Whether the process is alive. */
    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Kills the server at once (SIGKILL), as a crash would; its data is gone (no persistence). */
    public void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the server again on the same port, after {@link #kill()}. */
    public void restart() {
        if (running()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running; kill() it first");
        }
        launch();
    }

    /**
     * Makes the server unresponsive for {@code duration} ({@code DEBUG SLEEP}, sent on a connection
     * of its own): returns at once, while the server sleeps.
     */
    public void pause(Duration duration) {
        String seconds = String.valueOf(duration.toMillis() / 1000.0);
        Thread sender = new Thread(() -> {
            try {
                command(Duration.ofMillis(duration.toMillis() + 5_000), "DEBUG", "SLEEP", seconds);
            } catch (IOException ignored) {
                // the test sees the pause, or its absence, through what it measures
            }
        }, "local-redis-pause");
        sender.setDaemon(true);
        sender.start();
    }

    /** Sends one command and returns the first line of the reply (for tests: {@code FLUSHALL}, {@code DBSIZE}). */
    public String command(String... words) throws IOException {
        return command(Duration.ofSeconds(5), words);
    }

    private String command(Duration timeout, String... words) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout((int) timeout.toMillis());
            StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
            for (String word : words) {
                byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }
    }

    private void launch() {
        try {
            process = new ProcessBuilder(List.of(executable, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no",
                    "--enable-debug-command", "local", "--dir", directory.toString(), "--daemonize", "no"))
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable + ": " + e.getMessage(), e);
        }
        long until = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see "
                        + directory.resolve("redis.log"));
            }
            try {
                if ("+PONG".equals(command(Duration.ofMillis(500), "PING"))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        destroy();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within " + READY_WITHIN);
    }

    private void destroy() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the server and removes its directory. */
    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    @Override
    public String toString() {
        return "LocalRedis[" + uri() + (running() ? "" : ", stopped") + "]";
    }

    private static String executable() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
