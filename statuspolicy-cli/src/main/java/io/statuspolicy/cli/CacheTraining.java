package io.statuspolicy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run the launcher makes its class cache from (JDK 25's AOT cache, JDK 17's AppCDS
 * archive): {@code java -XX:AOTCacheOutput=... -cp statuspolicy-cli.jar
 * io.statuspolicy.cli.CacheTraining}. The cache holds the classes this run loads, so it does what
 * the commands whose start-up counts do: {@code request} answered 200 by a loopback server (to
 * standard output, to {@code -o FILE} and to {@code -o /dev/null}), {@code request} to a port
 * nobody listens on (the failure line), and {@code table}. Nothing leaves the machine; the
 * commands' output goes where the launcher sends this run's (nowhere).
 *
 * <p>Without a response the success path (the response parser, the body handlers, the output
 * files) was left out of the cache and read from the jar and the JDK's modules on every run.
 */
public final class CacheTraining {
    private static final byte[] BODY = "trained\n".repeat(512).getBytes(StandardCharsets.US_ASCII);

    private CacheTraining() {
    }

    public static void main(String[] args) throws IOException {
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> serve(server), "cache-training-server");
            serving.setDaemon(true);
            serving.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/training";
            Path file = Files.createTempFile("statuspolicy-training", ".body");
            try {
                StatusPolicyCli.run(new String[] {"request", url}, quiet, quiet);
                StatusPolicyCli.run(new String[] {"request", "-o", file.toString(), url}, quiet, quiet);
                StatusPolicyCli.run(new String[] {"request", "-o", "/dev/null", url}, quiet, quiet);
            } finally {
                Files.deleteIfExists(file);
            }
        }
        // The port is closed now: a refused connection and its failure line.
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String refused = "http://127.0.0.1:" + closed.getLocalPort() + "/";
            closed.close();
            StatusPolicyCli.run(new String[] {"request", "--max-attempts", "1", "--max-time", "2", refused}, quiet, quiet);
        }
        StatusPolicyCli.run(new String[] {"table"}, quiet, quiet);
    }

    /** Answers every connection with one 200 and closes it. */
    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                int matched = 0;
                while (matched < 4) { // up to the blank line that ends the request head
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1
                            : b == '\r' ? 1 : 0;
                }
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(BODY);
                out.flush();
            } catch (IOException e) {
                // closed at the end of the run, or a client that went away: nothing to train on
            }
        }
    }
}
