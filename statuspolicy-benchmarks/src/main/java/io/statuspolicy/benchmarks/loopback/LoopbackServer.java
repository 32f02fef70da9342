package io.statuspolicy.benchmarks.loopback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The A1 server, run in its own process by {@link LoopbackLoad}: the JDK's built-in HTTP/1.1
 * server on 127.0.0.1, a port of the system's choosing, printed as {@code PORT n} on standard
 * output. It stops when standard input closes (its parent exited) or after 15 minutes.
 *
 * <ul>
 *   <li>{@code GET /small}: 200, a 1 KiB body, no validators</li>
 *   <li>{@code GET /cached}: 200, a 64 KiB body with {@code ETag: "v1"}; 304 when the request
 *       carries {@code If-None-Match: "v1"}</li>
 * </ul>
 */
public final class LoopbackServer {
    private static final byte[] SMALL = body(1024);
    private static final byte[] LARGE = body(64 * 1024);

    private LoopbackServer() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/small", exchange -> reply(exchange, 200, SMALL, null));
        server.createContext("/cached", exchange -> {
            String validator = exchange.getRequestHeaders().getFirst("If-None-Match");
            if ("\"v1\"".equals(validator)) {
                reply(exchange, 304, null, "\"v1\"");
            } else {
                reply(exchange, 200, LARGE, "\"v1\"");
            }
        });
        server.start();
        System.out.println("PORT " + server.getAddress().getPort());
        System.out.flush();
        Thread stopper = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; end of input means it is gone
                }
            } catch (IOException ignored) {
                // treated as end of input
            }
            server.stop(0);
            pool.shutdownNow();
            System.exit(0);
        });
        stopper.setDaemon(true);
        stopper.start();
        Thread.sleep(15 * 60 * 1000L);
        server.stop(0);
        pool.shutdownNow();
    }

    private static void reply(HttpExchange exchange, int status, byte[] body, String etag) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (etag != null) {
                exchange.getResponseHeaders().set("ETag", etag);
            }
            if (body == null) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] body(int size) {
        byte[] bytes = new byte[size];
        byte[] pattern = "{\"id\":17,\"name\":\"seventeen\",\"tags\":[\"a\",\"b\"]}\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            bytes[i] = pattern[i % pattern.length];
        }
        return Arrays.copyOf(bytes, size);
    }
}
