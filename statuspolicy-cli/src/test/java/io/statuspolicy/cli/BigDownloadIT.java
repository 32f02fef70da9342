package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 300 MiB download with {@code -o} in a JVM limited to a 64 MiB heap: the body must stream to
 * the file. {@code ScriptedServer} holds every body in memory (MockWebServer's buffers), so this
 * test serves the body from a tiny {@code com.sun.net.httpserver} endpoint that generates it on
 * the fly, hashing as it writes.
 */
class BigDownloadIT {
    private static final long SIZE = 300L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void threeHundredMebibytesStreamToTheFileWithA64MebibyteHeap() throws Exception {
        MessageDigest served = MessageDigest.getInstance("SHA-256");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/big", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, SIZE);
            try (OutputStream out = exchange.getResponseBody()) {
                SplittableRandom random = new SplittableRandom(42);
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent < SIZE; sent += chunk.length) {
                    for (int i = 0; i < chunk.length; i += 8) {
                        long value = random.nextLong();
                        for (int b = 0; b < 8; b++) {
                            chunk[i + b] = (byte) (value >>> (8 * b));
                        }
                    }
                    served.update(chunk);
                    out.write(chunk);
                }
            }
        });
        server.start();
        try {
            Path out = dir.resolve("big.bin");
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/big";

            Cli.Result run = Cli.jar().jvm("-Xmx64m").run("request", "-o", out.toString(), url);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(Files.size(out)).isEqualTo(SIZE);
            assertThat(sha256(out)).isEqualTo(HexFormat.of().formatHex(served.digest()));
        } finally {
            server.stop(0);
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
