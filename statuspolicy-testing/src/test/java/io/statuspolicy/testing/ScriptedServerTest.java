package io.statuspolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScriptedServerTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScriptedServer server = ScriptedServer.start();

    @AfterEach
    void closeServer() {
        server.close();
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachPathPlaysItsScriptInOrderThenRepeatsTheLastReply() throws Exception {
        server.on("/a", Reply.status(503), Reply.status(503).header("Retry-After", "1"), Reply.ok("done"))
                .on("/b", Reply.status(404));

        assertThat(get(server.uri("/a")).statusCode()).isEqualTo(503);
        assertThat(get(server.uri("/b?ignored=1")).statusCode()).isEqualTo(404);
        HttpResponse<String> second = get(server.uri("/a?query=does-not-matter"));
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> last = get(server.uri("/a"));
            assertThat(last.statusCode()).isEqualTo(200);
            assertThat(last.body()).isEqualTo("done");
        }
        assertThat(get(server.uri("/b")).statusCode()).isEqualTo(404);

        assertThat(server.requestCount()).isEqualTo(7);
        assertThat(server.requests("/a")).hasSize(5);
        assertThat(server.requests("/b")).extracting(RecordedExchange::target)
                .containsExactly("/b?ignored=1", "/b");
    }

    @Test
    void anAnswerToHeadCarriesTheBodysFramingButNoBody() throws Exception {
        server.on("/h", Reply.ok("x".repeat(100)), Reply.ok("y".repeat(7)));
        try (java.net.Socket socket = new java.net.Socket(server.uri("/").getHost(), server.uri("/").getPort())) {
            socket.setSoTimeout(5000);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.InputStream in = socket.getInputStream();
            out.write("HEAD /h HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: 100");

            out.write("GET /h HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String next = readHead(in);
            assertThat(next).as("the next bytes on the connection are the next response, not a HEAD answer's body")
                    .startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: 7");
            assertThat(new String(in.readNBytes(7), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("yyyyyyy");
        }
        assertThat(server.requests("/h")).extracting(RecordedExchange::method).containsExactly("HEAD", "GET");
    }

    /** Reads a response head, up to and including its empty line. */
    private static String readHead(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("the connection ended inside a head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void onAppendsToAPathsQueue() throws Exception {
        server.on("/q", Reply.status(500));
        server.on("/q", Reply.status(502), Reply.ok("x"));

        assertThat(List.of(get(server.uri("/q")).statusCode(), get(server.uri("/q")).statusCode(),
                get(server.uri("/q")).statusCode(), get(server.uri("/q")).statusCode()))
                .containsExactly(500, 502, 200, 200);
    }

    @Test
    void anUnscriptedPathGets599NamingTheRequestUntilOtherwiseIsSet() throws Exception {
        HttpResponse<String> unscripted = get(server.uri("/nowhere?x=1"));
        assertThat(unscripted.statusCode()).isEqualTo(599);
        assertThat(unscripted.body()).isEqualTo("statuspolicy-testing: no reply scripted for GET /nowhere");

        server.otherwise(Reply.status(410).body("gone"));
        HttpResponse<String> gone = get(server.uri("/elsewhere"));
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).isEqualTo("gone");
    }

    @Test
    void recordsMethodTargetHeadersWithDuplicatesAndTheExactBody() throws Exception {
        byte[] sent = new byte[3000];
        new Random(42).nextBytes(sent);
        sent[0] = 0;
        server.on("/upload", Reply.status(201));

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/upload?x=1&y=%20two"))
                .header("X-Dup", "one")
                .header("X-Dup", "two")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(sent))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        RecordedExchange exchange = server.takeRequest(Duration.ofSeconds(1));
        assertThat(exchange.sequence()).isZero();
        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.target()).isEqualTo("/upload?x=1&y=%20two");
        assertThat(exchange.path()).isEqualTo("/upload");
        assertThat(exchange.headers("x-dup")).containsExactly("one", "two");
        assertThat(exchange.header("X-DUP")).isEqualTo("one");
        assertThat(exchange.headers()).containsKey("content-type").doesNotContainKey("Content-Type");
        assertThat(exchange.header("Content-Length")).isEqualTo("3000");
        assertThat(exchange.header("X-Absent")).isNull();
        assertThat(exchange.body()).isEqualTo(sent);
        assertThat(exchange.bodySha256())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sent)));
        assertThat(server.requests()).containsExactly(exchange);
    }

    @Test
    void sendsReplyHeadersInOrderWithDuplicatesAndRedirects() throws Exception {
        server.on("/old", Reply.redirect(307, "/new").header("Set-Cookie", "a=1").header("Set-Cookie", "b=2"));

        HttpResponse<String> response = get(server.uri("/old")); // the client's default: never follow

        assertThat(response.statusCode()).isEqualTo(307);
        assertThat(response.headers().firstValue("Location")).hasValue("/new");
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1", "b=2");
    }

    @Test
    void chunkedSendsTheBodyWithoutContentLength() throws Exception {
        String body = "0123456789".repeat(300);
        server.on("/c", Reply.ok(body).chunked());

        HttpResponse<String> response = get(server.uri("/c"));

        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void aFramingHeaderSetByTheScriptReplacesTheServersOwn() throws Exception {
        server.on("/f", Reply.ok("hello").header("Content-Length", "5"));

        HttpResponse<String> response = get(server.uri("/f"));

        assertThat(response.headers().allValues("Content-Length")).containsExactly("5");
        assertThat(response.body()).isEqualTo("hello");
    }

    @Test
    void headersDelayHoldsBackTheResponse() throws Exception {
        server.on("/slow", Reply.ok("late").headersDelay(Duration.ofMillis(400)));

        long start = System.nanoTime();
        HttpResponse<String> response = get(server.uri("/slow"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.body()).isEqualTo("late");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/slow"))
                .timeout(Duration.ofMillis(100)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
    }

    @Test
    void throttleBodyDripsTheBody() throws Exception {
        server.on("/drip", Reply.ok("0123456789").throttleBody(2, Duration.ofMillis(60)));

        long start = System.nanoTime();
        HttpResponse<String> response = get(server.uri("/drip"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.body()).isEqualTo("0123456789");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(4 * 60)); // 5 slices, 4 pauses at least
    }

    @Test
    void takeRequestHandsOutEachRequestOnceAndFailsOnTimeout() throws Exception {
        server.on("/t", Reply.ok("t"));
        get(server.uri("/t?n=1"));
        get(server.uri("/t?n=2"));

        assertThat(server.takeRequest(Duration.ofSeconds(1)).target()).isEqualTo("/t?n=1");
        assertThat(server.takeRequest(Duration.ofSeconds(1)).target()).isEqualTo("/t?n=2");
        assertThatThrownBy(() -> server.takeRequest(Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no request reached");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void uriHostPortAndSchemeDescribeTheServer() {
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.scheme()).isEqualTo("http");
        assertThat(server.port()).isPositive();
        assertThat(server.uri("/cases/1?x=y"))
                .isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/cases/1?x=y"));
    }

    @Test
    void twoServersAreTwoOrigins() throws Exception {
        try (ScriptedServer other = ScriptedServer.start()) {
            server.on("/r", Reply.ok("a"));
            other.on("/r", Reply.ok("b"));

            assertThat(other.port()).isNotEqualTo(server.port());
            assertThat(get(server.uri("/r")).body()).isEqualTo("a");
            assertThat(get(other.uri("/r")).body()).isEqualTo("b");
            assertThat(get(other.uri("/r")).body()).isEqualTo("b");
            assertThat(server.requestCount()).isEqualTo(1);
            assertThat(other.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void rejectsScriptsItCannotPlayNamingThem() {
        assertThatThrownBy(() -> server.on("no-slash", Reply.ok("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-slash");
        assertThatThrownBy(() -> server.on("/p?q=1", Reply.ok("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no query");
        assertThatThrownBy(() -> server.on("/p"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one reply");
        assertThatThrownBy(() -> server.on("/p", Reply.status(200).fault(Fault.DISCONNECT_DURING_BODY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/p").hasMessageContaining("DISCONNECT_DURING_BODY");
        assertThatThrownBy(() -> Reply.status(42))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Reply.status(42)");
    }

    @Test
    void replyIsACopyOnWriteValue() throws Exception {
        Reply base = Reply.status(503);
        Reply withHeader = base.header("Retry-After", "2");
        server.on("/base", base).on("/header", withHeader);

        assertThat(get(server.uri("/base")).headers().firstValue("Retry-After")).isEmpty();
        assertThat(get(server.uri("/header")).headers().firstValue("Retry-After")).hasValue("2");
        assertThat(base.toString()).doesNotContain("Retry-After");
    }
}
