package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.testing.Fault;
import io.statuspolicy.testing.RecordedExchange;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import io.statuspolicy.testing.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code statuspolicy request}: the real jar against the scripted server, one exit code and
 * one option of the issue's table after another.
 */
class RequestIT {
    private ScriptedServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        server = ScriptedServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String pathAndQuery) {
        return server.uri(pathAndQuery).toString();
    }

    // ---- exit codes --------------------------------------------------------------------------

    @Test
    void exit0_theBodyGoesToStandardOutputAndNothingToStandardError() {
        server.on("/r", Reply.ok("hello\n"));

        Cli.Result run = Cli.jar().run("request", url("/r"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hello\n");
        assertThat(run.stderr()).isEmpty();
        assertThat(server.requests("/r")).singleElement().extracting(RecordedExchange::method).isEqualTo("GET");
    }

    @Test
    void exit2_badUsageSendsNothing() {
        server.on("/r", Reply.ok("x"));

        Cli.Result noUrl = Cli.jar().run("request");
        Cli.Result unknown = Cli.jar().run("request", "--no-such-option", url("/r"));
        Cli.Result badTime = Cli.jar().run("request", "--max-time", "soon", url("/r"));
        Cli.Result badScheme = Cli.jar().run("request", "ftp://example.org/x");
        Cli.Result badHeader = Cli.jar().run("request", "-H", "no colon here", url("/r"));

        assertThat(List.of(noUrl, unknown, badTime, badScheme, badHeader)).allSatisfy(run -> {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.stdout()).isEmpty();
        });
        assertThat(badTime.stderr()).contains("--max-time").contains("soon");
        assertThat(badScheme.stderr()).contains("expected an http: or https: URL");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void exit2_aBadPolicyFileIsReportedWhereItIsWrongAndNothingIsSent() {
        server.on("/r", Reply.ok("x"));
        Path policy = Cli.write(dir.resolve("policy.yaml"), "limits:\n  maxAttempts: three\n");

        Cli.Result run = Cli.jar().run("request", "--policy", policy.toString(), url("/r"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains("policy.yaml:2:").contains("limits.maxAttempts").contains("three");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void exit3_aStatusThatIsNotRetriedIsTheAnswerAndItsLineNamesTheRule() {
        server.on("/missing", Reply.status(404).body("no such thing"));

        Cli.Result run = Cli.jar().run("request", url("/missing"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("no such thing"); // statuses are data, as with curl
        assertThat(run.stderr().lines()).singleElement().asString()
                .startsWith("statuspolicy: GET " + url("/missing") + ": 404 Not Found: the guideline says")
                .contains("not retried: the caller does not await this resource")
                .contains("[1 request, 0 retries, 0 redirects");
        assertThat(server.requests("/missing")).hasSize(1);
    }

    @Test
    void exit3_aPostWithoutIdempotencyKeyIsNotRepeated() {
        server.on("/orders", Reply.status(503));

        Cli.Result run = Cli.jar().run("request", "-d", "{}", url("/orders"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).contains("503 Service Unavailable").contains("the method is not idempotent");
        assertThat(server.requests("/orders")).hasSize(1);
    }

    @Test
    void exit4_retriesExhaustedWithMaxAttemptsAndRetryDelay() {
        server.on("/busy", Reply.status(503).body("busy"));

        Cli.Result run = Cli.jar().run("request", "--max-attempts", "3", "--retry-delay", "0.01", url("/busy"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(server.requests("/busy")).hasSize(3);
        assertThat(run.stderr()).contains("gave up: every attempt used (3 of 3 attempts)")
                .contains("[3 requests, 2 retries, 0 redirects");
    }

    @Test
    void exit4_aRetryAfterLongerThanMaxTimeFailsAtOnce() {
        server.on("/later", Reply.status(503).header("Retry-After", "30"));

        Cli.Result run = Cli.jar().run("request", "--max-time", "2.5", url("/later"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stderr()).contains("Retry-After is longer than the time left");
        assertThat(run.millis()).isLessThan(10_000);
        assertThat(server.requests("/later")).hasSize(1);
    }

    @Test
    void exit4_maxTimeCoversASlowServer() {
        server.on("/slow", Reply.ok("late").headersDelay(java.time.Duration.ofSeconds(5)));

        Cli.Result run = Cli.jar().run("request", "--max-time", "0.8", url("/slow"));

        assertThat(run.exitCode()).as(run.toString()).isIn(4, 5);
        assertThat(run.millis()).isLessThan(4_500);
    }

    @Test
    void exit4_anAwaitedResourceThatNeverAppears_andExit0_whenItDoes() {
        server.on("/never", Reply.status(404));
        server.on("/soon", Reply.status(404), Reply.status(404), Reply.ok("here"));

        Cli.Result never = Cli.jar().run("request", "--await-resource", "0.6", "--retry-delay", "0.1", url("/never"));
        Cli.Result soon = Cli.jar().run("request", "--await-resource", "5", "--retry-delay", "0.05", url("/soon"));

        assertThat(never.exitCode()).as(never.toString()).isEqualTo(4);
        assertThat(never.stderr()).contains("did not appear within the await window");
        assertThat(server.requests("/never").size()).isGreaterThan(1);
        assertThat(soon.exitCode()).as(soon.toString()).isZero();
        assertThat(soon.stdout()).isEqualTo("here");
        assertThat(server.requests("/soon")).hasSize(3);
    }

    @Test
    void exit5_connectionRefused() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Cli.Result run = Cli.jar().run("request", "--max-attempts", "2", "--retry-delay", "0",
                "http://127.0.0.1:" + closedPort + "/r");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.stderr()).contains("no response (connection failed").contains("[2 requests, 1 retry")
                .contains("fix: check that a server listens at 127.0.0.1:" + closedPort);
    }

    @Test
    void exit6_redirectWithoutLocation_andTooManyRedirects() {
        server.on("/nowhere", Reply.status(302));
        server.on("/a", Reply.redirect(302, "/b"));
        server.on("/b", Reply.redirect(302, "/c"));
        server.on("/c", Reply.ok("c"));

        Cli.Result noLocation = Cli.jar().run("request", url("/nowhere"));
        Cli.Result tooMany = Cli.jar().run("request", "--max-redirs", "1", url("/a"));
        Cli.Result enough = Cli.jar().run("request", "--max-redirs", "2", url("/a"));

        assertThat(noLocation.exitCode()).as(noLocation.toString()).isEqualTo(6);
        assertThat(noLocation.stderr()).contains("no Location header");
        assertThat(tooMany.exitCode()).as(tooMany.toString()).isEqualTo(6);
        assertThat(tooMany.stderr()).contains("the redirect limit is reached");
        assertThat(enough.exitCode()).as(enough.toString()).isZero();
        assertThat(enough.stdout()).isEqualTo("c");
    }

    @Test
    void exit7_refusedWithoutAnyWayToRefresh() {
        server.on("/private", Reply.status(401).header("WWW-Authenticate", "Bearer"));

        Cli.Result run = Cli.jar().run("request", "-H", "Authorization: Bearer stale", url("/private"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(server.requests("/private")).hasSize(1);
    }

    @Test
    void exit7_authCommandRefreshesOnceThenStops_andAFailingCommandSendsNothing() {
        server.on("/private", Reply.status(401));
        Path counter = dir.resolve("n");
        String command = "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter
                + "; echo \"Bearer token-$n\"";

        Cli.Result refused = Cli.jar().run("request", "--auth-command", command, url("/private"));
        Cli.Result failing = Cli.jar().run("request", "--auth-command", "exit 3", url("/other"));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(7);
        assertThat(server.requests("/private")).extracting(e -> e.header("Authorization"))
                .containsExactly("Bearer token-1", "Bearer token-2");
        assertThat(refused.stderr()).contains("refused again after fresh credentials");
        assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(7);
        assertThat(failing.stderr()).contains("credentials missing").contains("exited with status 3");
        assertThat(server.requests("/other")).isEmpty();
    }

    @Test
    void authCommandRefreshAfter401Succeeds() {
        server.on("/private", Reply.status(401), Reply.ok("secret stuff"));
        Path counter = dir.resolve("n");
        String command = "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter
                + "; echo \"Bearer token-$n\"";

        Cli.Result run = Cli.jar().run("request", "--auth-command", command, url("/private"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("secret stuff");
        assertThat(server.requests("/private")).extracting(e -> e.header("Authorization"))
                .containsExactly("Bearer token-1", "Bearer token-2");
    }

    // ---- request options ---------------------------------------------------------------------

    @Test
    void methodHeadersAndHeaderFile() {
        server.on("/r", Reply.ok("ok"));
        Path headers = Cli.write(dir.resolve("headers"), "# secrets stay out of the process list\n"
                + "Authorization: Bearer from-file\n\nX-Two: 2\n");

        Cli.Result run = Cli.jar().run("request", "-X", "DELETE", "-H", "X-One: 1", "-H", "@" + headers,
                "--header", "Accept: text/plain", url("/r"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        RecordedExchange exchange = server.requests("/r").get(0);
        assertThat(exchange.method()).isEqualTo("DELETE");
        assertThat(exchange.header("X-One")).isEqualTo("1");
        assertThat(exchange.header("X-Two")).isEqualTo("2");
        assertThat(exchange.header("Authorization")).isEqualTo("Bearer from-file");
        assertThat(exchange.header("Accept")).isEqualTo("text/plain");
    }

    @Test
    void dataLiteralMakesAPostWithALength() {
        server.on("/r", Reply.status(201));

        Cli.Result run = Cli.jar().run("request", "-d", "{\"a\":1}", "-H", "Content-Type: application/json",
                url("/r"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        RecordedExchange exchange = server.requests("/r").get(0);
        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.bodyUtf8()).isEqualTo("{\"a\":1}");
        assertThat(exchange.header("Content-Length")).isEqualTo("7");
    }

    @Test
    void dataFromABinaryFileIsSentByteForByte() throws IOException {
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("blob.bin"), bytes);
        server.on("/upload", Reply.status(201));

        Cli.Result run = Cli.jar().run("request", "-X", "PUT", "-d", "@" + file, url("/upload"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        RecordedExchange exchange = server.requests("/upload").get(0);
        assertThat(exchange.method()).isEqualTo("PUT");
        assertThat(exchange.bodySha256()).isEqualTo(sha256(bytes));
        assertThat(exchange.header("Content-Length")).isEqualTo("300000");
    }

    @Test
    void dataFromStandardInputIsStreamedWithoutALength_andReplayedOnRetry() {
        byte[] bytes = new byte[200_000];
        new Random(11).nextBytes(bytes);
        server.on("/upload", Reply.status(503), Reply.status(201));

        // A slow producer: the body is read while it is still being written.
        InputStream slow = new java.io.SequenceInputStream(new ByteArrayInputStream(bytes, 0, 100_000),
                new DelayedStream(new ByteArrayInputStream(bytes, 100_000, 100_000), 300));
        Cli.Result run = Cli.jar().stdin(slow).run("request", "-X", "PUT", "-d", "@-", "--retry-delay", "0",
                url("/upload"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(server.requests("/upload")).hasSize(2).allSatisfy(exchange -> {
            assertThat(exchange.header("Content-Length")).isNull();
            assertThat(exchange.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
            assertThat(exchange.bodySha256()).isEqualTo(sha256(bytes));
        });
    }

    @Test
    void binaryResponseBodyReachesStandardOutputUnchanged() {
        byte[] bytes = new byte[256 * 1024];
        new Random(3).nextBytes(bytes);
        server.on("/blob", Reply.status(200).body(bytes).header("Content-Type", "application/octet-stream"));

        Cli.Result run = Cli.jar().run("request", url("/blob"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutBytes()).isEqualTo(bytes);
    }

    @Test
    void includeShowsTheStatusLineAndHeadersWithSecretsMasked() {
        server.on("/r", Reply.ok("body").header("X-Thing", "visible").header("Set-Cookie", "session=CANARY-COOKIE"));

        Cli.Result run = Cli.jar().run("request", "-i", url("/r"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).startsWith("HTTP/1.1 200 OK\r\n").contains("x-thing: visible\r\n")
                .contains("set-cookie: ***\r\n").endsWith("\r\n\r\nbody").doesNotContain("CANARY");
    }

    @Test
    void a304ToTheCallersOwnIfNoneMatchLeavesTheOutputFileAsItIs_andExits0() throws IOException {
        server.on("/data", Reply.status(304).header("ETag", "\"v1\""));
        Path file = Files.writeString(dir.resolve("data.json"), "{\"current\":true}");

        Cli.Result run = Cli.jar().run("request", "-H", "If-None-Match: \"v1\"", "-o", file.toString(), url("/data"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readString(file)).isEqualTo("{\"current\":true}");
        assertThat(run.stderr()).contains("304 Not Modified: your copy is current").contains(file + " left unchanged");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(file); // no .part file behind
        }
        assertThat(server.requests("/data")).singleElement()
                .extracting(e -> e.header("If-None-Match")).isEqualTo("\"v1\"");
    }

    @Test
    void aShortNumberInTheQueryIsShown_aTokenIsNot() {
        server.on("/s", Reply.status(404));

        Cli.Result run = Cli.jar().run("request", "-v", url("/s?code=200&token=s3cr3t"));

        assertThat(run.stderr()).contains("/s?code=200&token=***").doesNotContain("s3cr3t");
    }

    @Test
    void outputFileIsWrittenOnSuccess_andLeftUntouchedByATruncatedDownload() throws IOException {
        byte[] good = "the good copy".getBytes(StandardCharsets.UTF_8);
        Path out = Files.write(dir.resolve("out.bin"), good);
        byte[] big = new byte[64 * 1024];
        new Random(5).nextBytes(big);
        server.on("/big", Reply.status(200).body(big).fault(Fault.DISCONNECT_DURING_BODY));
        server.on("/fine", Reply.status(200).body(big));
        server.on("/gone", Reply.status(410).body("gone"));

        Cli.Result truncated = Cli.jar().run("request", "-o", out.toString(), url("/big"));
        assertThat(truncated.exitCode()).as(truncated.toString()).isNotZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(good);
        assertThat(truncated.stderr()).contains("left unchanged");

        Cli.Result error = Cli.jar().run("request", "-o", out.toString(), url("/gone"));
        assertThat(error.exitCode()).isEqualTo(3);
        assertThat(Files.readAllBytes(out)).isEqualTo(good);

        Cli.Result fine = Cli.jar().run("request", "-o", out.toString(), url("/fine"));
        assertThat(fine.exitCode()).as(fine.toString()).isZero();
        assertThat(fine.stdout()).isEmpty();
        assertThat(Files.readAllBytes(out)).isEqualTo(big);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.bin"); // no .part left
        }
    }

    @Test
    void outputToAPipeOrThroughASymlinkNeverReplacesThePipeOrTheLink() throws Exception {
        server.on("/r", Reply.ok("through the pipe"));
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        java.util.concurrent.CompletableFuture<byte[]> reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        Cli.Result piped = Cli.jar().run("request", "-o", fifo.toString(), url("/r"));

        assertThat(piped.exitCode()).as(piped.toString()).isZero();
        assertThat(reader.get(10, java.util.concurrent.TimeUnit.SECONDS)).asString().isEqualTo("through the pipe");
        assertThat(Files.isRegularFile(fifo)).isFalse(); // still the pipe, not a file renamed over it

        Path real = Files.writeString(dir.resolve("real.txt"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real);
        Cli.Result linked = Cli.jar().run("request", "-o", link.toString(), url("/r"));
        assertThat(linked.exitCode()).as(linked.toString()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("through the pipe");
    }

    @Test
    void idempotencyKeyAutoLetsAPostBeRetriedWithTheSameQuotedKey() {
        server.on("/payments", Reply.status(503), Reply.status(503), Reply.status(201).body("paid"));

        Cli.Result run = Cli.jar().run("request", "-d", "{\"amount\":5}", "--idempotency-key", "auto",
                "--retry-delay", "0", url("/payments"));
        Cli.Result given = Cli.jar().run("request", "-d", "{}", "--idempotency-key", "order-7", url("/payments"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<RecordedExchange> posts = server.requests("/payments");
        assertThat(posts.subList(0, 3)).extracting(e -> e.header("Idempotency-Key")).containsOnly(
                posts.get(0).header("Idempotency-Key"));
        assertThat(posts.get(0).header("Idempotency-Key")).matches("\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\"");
        assertThat(posts.subList(0, 3)).extracting(RecordedExchange::bodyUtf8).containsOnly("{\"amount\":5}");
        assertThat(given.exitCode()).as(given.toString()).isZero();
        assertThat(posts.get(3).header("Idempotency-Key")).isEqualTo("\"order-7\"");
    }

    @Test
    void stateDirRemembersA301AndAnswersA304FromTheCacheOnTheNextRun() {
        server.on("/old", Reply.redirect(301, "/new"));
        server.on("/new", Reply.ok("version 1").header("ETag", "\"v1\""), Reply.status(304).header("ETag", "\"v1\""));
        Path state = dir.resolve("state");

        Cli.Result first = Cli.jar().run("request", "--state-dir", state.toString(), url("/old"));
        Cli.Result second = Cli.jar().run("request", "-v", "--state-dir", state.toString(), url("/old"));

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout()).isEqualTo("version 1");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stdout()).isEqualTo("version 1");
        assertThat(server.requests("/old")).hasSize(1); // the second run went straight to /new
        List<RecordedExchange> news = server.requests("/new");
        assertThat(news).hasSize(2);
        assertThat(news.get(1).header("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(second.stderr()).contains("304 Not Modified");
    }

    @Test
    void threeRunsAtOnceOnOneStateDirKeepEveryLearnedRedirect() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            server.on("/old-" + name, Reply.redirect(301, "/new-" + name));
            server.on("/new-" + name, Reply.ok(name), Reply.ok(name));
        }
        Path state = dir.resolve("shared-state");
        java.util.concurrent.ExecutorService runs = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Cli.Result>> started = new java.util.ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                started.add(runs.submit(() -> Cli.jar().run("request", "--state-dir", state.toString(),
                        url("/old-" + name))));
            }
            for (java.util.concurrent.Future<Cli.Result> run : started) {
                assertThat(run.get().exitCode()).as(run.get().toString()).isZero();
            }
        } finally {
            runs.shutdown();
        }

        for (String name : List.of("a", "b", "c")) {
            Cli.Result again = Cli.jar().run("request", "--state-dir", state.toString(), url("/old-" + name));
            assertThat(again.stdout()).isEqualTo(name);
            assertThat(server.requests("/old-" + name)).as("the 301 of %s was kept", name).hasSize(1);
        }
    }

    @Test
    void aRunEndedBySigtermMidDownloadLeavesTheFileAndNoPartialFile() throws Exception {
        server.on("/big", Reply.ok("x".repeat(512 * 1024)).throttleBody(4096, java.time.Duration.ofMillis(50)));
        Path file = dir.resolve("download.bin");
        java.nio.file.Files.writeString(file, "the old copy");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Cli.jarPath().toString(), "request", "-o", file.toString(), url("/big"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            // Polled without a pause, so the signal lands as close as it can to the moment the
            // partial file appears (the window a late shutdown hook would leave open).
            while (partialFiles().isEmpty() && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            assertThat(partialFiles()).as("the download started").hasSize(1);
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }

        assertThat(partialFiles()).as("no .part file left").isEmpty();
        assertThat(java.nio.file.Files.readString(file)).isEqualTo("the old copy");
    }

    private List<Path> partialFiles() throws IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void verboseShowsHeaderFieldNamesButNeverTheirValues() {
        server.on("/v", Reply.status(503).header("X-Backend", "pool-7"), Reply.ok("fine").header("ETag", "\"v1\""));

        Cli.Result run = Cli.jar().run("request", "-v", "--retry-delay", "0", "-H", "X-Secret: hunter2", url("/v"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stderr()).contains("> GET " + url("/v") + " (request 1); header fields: X-Secret")
                .contains("(request 2); header fields: X-Secret")
                .containsIgnoringCase("< 503; header fields:").containsIgnoringCase("x-backend")
                .containsIgnoringCase("< 200; header fields:").containsIgnoringCase("etag")
                .doesNotContain("hunter2").doesNotContain("pool-7");
    }

    @Test
    void traceWritesOneJsonLinePerAttemptAndDecision() throws IOException {
        server.on("/r", Reply.status(503), Reply.redirect(302, "/s"));
        server.on("/s", Reply.ok("done"));
        Path trace = dir.resolve("trace.jsonl");

        Cli.Result run = Cli.jar().run("request", "--retry-delay", "0", "--trace", trace.toString(), url("/r"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{\"event\":\"").endsWith("}"));
        assertThat(lines.stream().filter(l -> l.startsWith("{\"event\":\"attempt\""))).hasSize(3);
        List<String> decisions = lines.stream().filter(l -> l.startsWith("{\"event\":\"decision\"")).toList();
        assertThat(decisions).hasSize(3);
        assertThat(decisions.get(0)).contains("\"status\":503", "\"decision\":\"retry\"", "\"attempt\":2");
        assertThat(decisions.get(1)).contains("\"status\":302", "\"decision\":\"follow-redirect\"");
        assertThat(decisions.get(2)).contains("\"status\":200", "\"decision\":\"complete\"", "\"final\":true");
        assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"finished\"", "\"requests\":3");
    }

    @Test
    void verboseShowsOneLinePerDecisionAndNeverASecret() throws IOException {
        server.on("/secret", Reply.status(503), Reply.redirect(302, "/next?access_token=CANARY-Q2"));
        server.on("/next", Reply.status(401));
        Path trace = dir.resolve("trace.jsonl");
        String uri = "http://user:CANARY-U@127.0.0.1:" + server.port() + "/secret?token=CANARY-Q&page=2";

        Cli.Result run = Cli.jar().run("request", "-v", "-i", "--retry-delay", "0", "--trace", trace.toString(),
                "-H", "Authorization: Bearer CANARY-A", "-H", "Cookie: id=CANARY-C", uri);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7); // a 401 and no way to refresh
        List<String> verbose = run.stderr().lines().filter(l -> l.startsWith("* ")).toList();
        assertThat(verbose).hasSize(3);
        assertThat(verbose.get(0)).contains("/secret?token=***&page=2").contains("503 Service Unavailable");
        String everything = run.stdout() + run.stderr() + Files.readString(trace);
        assertThat(everything).doesNotContain("CANARY");
        // The credentials went where they belong, and only there.
        assertThat(server.requests("/secret").get(0).header("Authorization")).isEqualTo("Bearer CANARY-A");
    }

    @Test
    void userinfoBecomesBasicCredentialsAndIsNeverPrinted() {
        server.on("/r", Reply.status(500));

        Cli.Result run = Cli.jar().run("request", "-v", "--max-attempts", "1",
                "http://alice:CANARY-U@127.0.0.1:" + server.port() + "/r");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stderr()).doesNotContain("CANARY").doesNotContain("alice");
        String basic = java.util.Base64.getEncoder().encodeToString("alice:CANARY-U".getBytes(StandardCharsets.UTF_8));
        assertThat(server.requests("/r").get(0).header("Authorization")).isEqualTo("Basic " + basic);
    }

    @Test
    void cacertTrustsTheGivenCaOnly() {
        TestCertificates certificates = TestCertificates.generate();
        try (ScriptedServer tls = ScriptedServer.startTls(certificates)) {
            tls.on("/r", Reply.ok("secure"));
            Path pem = certificates.writeCaPem(dir);

            Cli.Result trusted = Cli.jar().run("request", "--cacert", pem.toString(), tls.uri("/r").toString());
            Cli.Result untrusted = Cli.jar().run("request", tls.uri("/r").toString());

            assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
            assertThat(trusted.stdout()).isEqualTo("secure");
            assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(5);
            assertThat(untrusted.stderr()).contains("TLS");
        }
    }

    @Test
    void httpoxy_upperCaseHttpProxyIsIgnoredUnderCgi_lowerCaseIsUsed() {
        server.on("/r", Reply.ok("direct"));
        try (ScriptedServer proxy = ScriptedServer.start()) {
            proxy.otherwise(Reply.ok("via proxy"));
            String proxyUrl = "http://127.0.0.1:" + proxy.port();

            Cli.Result cgi = Cli.jar().env("REQUEST_METHOD", "GET").env("HTTP_PROXY", proxyUrl)
                    .run("request", url("/r"));
            assertThat(cgi.exitCode()).as(cgi.toString()).isZero();
            assertThat(cgi.stdout()).isEqualTo("direct");
            assertThat(proxy.requestCount()).isZero();

            Cli.Result proxied = Cli.jar().env("http_proxy", proxyUrl).run("request", url("/r"));
            assertThat(proxied.exitCode()).as(proxied.toString()).isZero();
            assertThat(proxied.stdout()).isEqualTo("via proxy");
            assertThat(proxy.requests().get(0).target()).isEqualTo(url("/r"));
        }
    }

    @Test
    void withoutATerminalAWaitPrintsNothing() {
        server.on("/r", Reply.status(503).header("Retry-After", "2"), Reply.ok("done"));

        Cli.Result run = Cli.jar().run("request", url("/r"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.millis()).isGreaterThanOrEqualTo(2000);
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void onATerminalAWaitShowsALiveCountdown() throws Exception {
        Path script = Path.of("/usr/bin/script");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(script), "util-linux script(1) is needed");
        server.on("/r", Reply.status(503).header("Retry-After", "2"), Reply.ok("done"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -jar " + Cli.jarPath() + " request " + url("/r");

        // script(1) runs the command on a pseudo-terminal and copies what it shows to our stdout.
        Process process = new ProcessBuilder(script.toString(), "-qec", command, "/dev/null")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String shown = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(shown).isZero();

        assertThat(shown).contains("503 Service Unavailable: retrying in 2 s, attempt 2 of 4")
                .contains("503 Service Unavailable: retrying in 1 s, attempt 2 of 4").contains("done");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An input stream that waits before giving its first byte. */
    private static final class DelayedStream extends java.io.FilterInputStream {
        private final long delayMillis;
        private boolean waited;

        DelayedStream(InputStream in, long delayMillis) {
            super(in);
            this.delayMillis = delayMillis;
        }

        private void pause() throws IOException {
            if (!waited) {
                waited = true;
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
            }
        }

        @Override
        public int read() throws IOException {
            pause();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            pause();
            return super.read(b, off, len);
        }
    }
}
