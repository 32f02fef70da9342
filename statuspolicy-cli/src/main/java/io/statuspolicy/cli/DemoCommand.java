package io.statuspolicy.cli;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.engine.ResponseStore;
import io.statuspolicy.policy.Grade;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Rule;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.Fault;
import io.statuspolicy.testing.RecordedExchange;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code statuspolicy demo}: starts a scripted server on loopback and plays one scenario for
 * every row of the guideline through the real client ({@link PolicyHttpClient} over the JDK's
 * client and real sockets), then prints what the guideline says and what the client did.
 * Waits run on a virtual clock (they are the guideline's waits, jitter off, shown but not
 * slept), so the whole tour takes seconds. Exits 0 when every row behaved, 1 otherwise.
 */
@Command(name = "demo",
        header = "Play every row of the guideline against a local server and show what the client did.",
        mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = "Play a scenario for every row of the guideline against a local scripted server, through "
            + "the real client, and print what the guideline says and what the client did: requests, waits "
            + "(virtual: shown, not slept), redirects, result, pass or fail.")
final class DemoCommand implements Callable<Integer> {
    /** The exit codes {@code demo --help} lists: its own, not the request's. */
    static final String EXIT_CODES = """
              0  every row behaved as the guideline says
              1  a row did not (its line says FAIL)
              2  bad usage""";

    @picocli.CommandLine.Option(names = "--width", paramLabel = "COLUMNS",
            description = "fit the table to this many columns (default: the terminal's width, or 100)")
    Integer width;

    /** The guideline with jitter off, so that the waits shown are the nominal ones. */
    static final Policy POLICY = Policy.guideline().withLimits(l -> l.withBackoff(l.backoff().withJitter(0)));

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        long started = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        HttpClient delegate = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        try (ScriptedServer server = ScriptedServer.start()) {
            for (Scenario scenario : scenarios(POLICY)) {
                rows.add(play(scenario, server, delegate));
            }
        }
        int columns = width != null ? Math.max(60, width) : Terminal.width();
        out.print(render(rows, columns));
        long failed = rows.stream().filter(r -> r.verdict.equals("FAIL")).count();
        long skipped = rows.stream().filter(r -> r.verdict.equals("n/a")).count();
        String summary = String.format(java.util.Locale.ROOT, "%d rows: %d behaved as the guideline says, %d failed, "
                + "%d not playable over HTTP/1.1 (1xx is handled by the HTTP stack). %.1f s.", rows.size(),
                rows.size() - failed - skipped, failed, skipped, (System.nanoTime() - started) / 1e9);
        out.print("\n" + String.join("\n", TextTable.wrap(summary, columns)) + "\n");
        return failed == 0 ? ExitCodes.OK : ExitCodes.LOCAL_ERROR;
    }

    /**
     * One row's scenario.
     *
     * @param rule     the guideline row
     * @param method   the request's method
     * @param plays    what the server answers, in words
     * @param replies  the script
     * @param calls    how many calls the client makes (2 for the 304 row: store, then revalidate)
     * @param exitCode the exit code the command line would give for the last call
     * @param requests requests the server must see in all
     * @param check    anything else to verify on the recorded requests, or null
     * @param options  per-call options (404 awaiting)
     */
    record Scenario(Rule rule, String method, String plays, List<Reply> replies, int calls, int exitCode,
            int requests, Predicate<List<RecordedExchange>> check, CallOptions options) {
    }

    /** One line of the table. */
    record Row(String status, String says, String plays, String did, String result, String verdict) {
    }

    /** A scenario for every row of {@code policy}, the transport rule last. */
    static List<Scenario> scenarios(Policy policy) {
        List<Scenario> list = new ArrayList<>();
        for (Rule rule : policy.table()) {
            list.add(scenario(rule));
        }
        list.add(transport(policy.transportFailureRule()));
        return list;
    }

    private static Scenario scenario(Rule rule) {
        int status = rule.wholeClass() ? (rule.status() == 200 ? 200 : rule.status() + 99) : rule.status();
        String s = Integer.toString(status);
        Reply reply = Reply.status(status).body(s + " body");
        Reply ok = Reply.ok("done");
        return switch (rule.handling()) {
            case INFORMATIONAL -> new Scenario(rule, "GET", "-", List.of(), 0, 0, 0, null, CallOptions.DEFAULT);
            case SUCCEED -> new Scenario(rule, "GET", s, List.of(Reply.ok("done").body("done")), 1, 0, 1, null,
                    CallOptions.DEFAULT);
            case REDIRECT_PERMANENT, REDIRECT_TEMPORARY, REDIRECT_SEE_OTHER -> {
                // 303 turns a POST into a GET; 307 and 308 keep POST and its body; 301 and 302 are shown with GET.
                String method = status == 301 || status == 302 ? "GET" : "POST";
                String expected = status == 303 ? "GET" : method;
                // The target is the same path with a query: the server's script is per path, so the
                // redirect's next request takes the next reply of the same queue.
                yield new Scenario(rule, method, s + " -> 200", List.of(Reply.redirect(status, "?moved=" + s), ok), 1,
                        0, 2, exchanges -> exchanges.size() == 2 && exchanges.get(1).method().equals(expected)
                                && exchanges.get(1).target().endsWith("?moved=" + s),
                        CallOptions.DEFAULT);
            }
            case USE_CACHED_COPY -> new Scenario(rule, "GET", "200 + ETag, then " + s,
                    List.of(Reply.ok("stored copy").header("ETag", "\"v1\""), Reply.status(304).header("ETag", "\"v1\"")),
                    2, 0, 2, exchanges -> exchanges.size() == 2
                            && "\"v1\"".equals(exchanges.get(1).header("If-None-Match")),
                    CallOptions.DEFAULT);
            case REFRESH_CREDENTIALS -> new Scenario(rule, "GET", s + ", 200", List.of(reply, ok), 1, 0, 2,
                    exchanges -> exchanges.size() == 2 && "Bearer demo-1".equals(exchanges.get(0).header("Authorization"))
                            && "Bearer demo-2".equals(exchanges.get(1).header("Authorization")),
                    CallOptions.DEFAULT);
            case REFRESH_PROXY_CREDENTIALS -> new Scenario(rule, "GET", s + " (no proxy configured)", List.of(reply), 1,
                    7, 1, null, CallOptions.DEFAULT);
            case RETRY -> {
                boolean once = rule.maxRetries() == 1;
                Reply first = status == 503 || status == 429 ? reply.header("Retry-After", "2") : reply;
                List<Reply> script = once ? List.of(first, ok) : List.of(first, reply, ok);
                yield new Scenario(rule, "GET", once ? s + ", 200" : s + ", " + s + ", 200", script, 1, 0,
                        script.size(), null, CallOptions.DEFAULT);
            }
            case RESEND_WITH_CONTENT_LENGTH -> new Scenario(rule, "POST", s + ", 201",
                    List.of(reply, Reply.status(201)), 1, 0, 2,
                    exchanges -> exchanges.size() == 2 && exchanges.get(0).header("Content-Length") == null
                            && exchanges.get(1).header("Content-Length") != null,
                    CallOptions.DEFAULT);
            case RETRY_ONLY_AFTER_RETRY_AFTER -> new Scenario(rule, "POST", s + " + Retry-After: 1, 201",
                    List.of(reply.header("Retry-After", "1"), Reply.status(201)), 1, 0, 2, null, CallOptions.DEFAULT);
            case AWAIT_RESOURCE -> new Scenario(rule, "GET", s + ", " + s + ", 200 (awaited 30 s)",
                    List.of(reply, reply, ok), 1, 0, 3, null, CallOptions.DEFAULT.withAwaitResource(Duration.ofSeconds(30)));
            case FAIL, NOT_USED -> new Scenario(rule, "GET", s, List.of(reply), 1, 3, 1, null, CallOptions.DEFAULT);
        };
    }

    private static Scenario transport(Rule rule) {
        return new Scenario(rule, "GET", "hang up, then 200",
                List.of(Reply.ok("lost").fault(Fault.DISCONNECT_AFTER_REQUEST), Reply.ok("done")), 1, 0, 2, null,
                CallOptions.DEFAULT);
    }

    /** Plays one scenario on its own path, with a fresh client (its own budget and virtual clock). */
    static Row play(Scenario scenario, ScriptedServer server, HttpClient delegate) {
        Rule rule = scenario.rule();
        String title = scenario.rule() == POLICY.transportFailureRule() ? "transport failure" : rule.title();
        String says = says(rule);
        if (scenario.calls() == 0) {
            return new Row(title, says, "-", "not playable: the HTTP stack handles 1xx", "-", "n/a");
        }
        String path = "/demo/" + (title.startsWith("transport") ? "transport" : rule.key());
        server.on(path, scenario.replies().toArray(Reply[]::new));
        FakeClock clock = new FakeClock();
        FakeSleeper sleeper = new FakeSleeper(clock);
        ResponseStore store = ResponseStore.inMemory(1 << 20);
        CallRecord record = null;
        int exitCode = -1;
        int lastStatus = 0;
        String failure = null;
        for (int call = 0; call < scenario.calls(); call++) {
            record = new CallRecord();
            PolicyHttpClient client = PolicyHttpClient.builder().policy(POLICY).clock(clock).sleeper(sleeper)
                    .listener(record).responseStore(store).credentials(new DemoCredentials()).build(delegate);
            HttpRequest request = request(scenario, server.uri(path));
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(),
                        scenario.options());
                lastStatus = response.statusCode();
                Decision decision = record.ended().decision();
                exitCode = decision == null ? -1 : ExitCodes.of(decision, lastStatus);
            } catch (PolicyException e) {
                exitCode = e.category().exitCode();
                lastStatus = e.lastStatus();
                record.ended();
            } catch (IOException | RuntimeException e) {
                exitCode = ExitCodes.of(e);
                failure = ExitCodes.describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during the demo", e);
            }
        }
        List<RecordedExchange> exchanges = server.requests(path);
        boolean pass = exitCode == scenario.exitCode() && exchanges.size() == scenario.requests()
                && (scenario.check() == null || scenario.check().test(exchanges));
        int redirects = record.finished() == null ? 0 : record.finished().redirects();
        String did = did(exchanges.size(), sleeper.sleeps(), redirects, scenario, exchanges);
        String result = (failure != null ? failure : lastStatus == 0 ? "no response" : Integer.toString(lastStatus))
                + ", exit " + exitCode;
        return new Row(title, says, scenario.method() + ": " + scenario.plays(), did, result, pass ? "ok" : "FAIL");
    }

    private static HttpRequest request(Scenario scenario, URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        if (scenario.method().equals("GET")) {
            return builder.GET().build();
        }
        byte[] body = "{\"demo\":true}".getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = scenario.rule().handling() == Handling.RESEND_WITH_CONTENT_LENGTH
                // a streamed body, sent chunked: the case a 411 is about
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return builder.header("Content-Type", "application/json").POST(publisher).build();
    }

    /** "retry (shall)", "fail without retrying (must not)". */
    static String says(Rule rule) {
        String text = rule.handling().summary();
        return rule.grade() == Grade.NOT_APPLICABLE ? text : text + " (" + rule.grade().word() + ")";
    }

    private static String did(int requests, List<Duration> sleeps, int redirects, Scenario scenario,
            List<RecordedExchange> exchanges) {
        StringBuilder text = new StringBuilder().append(requests).append(requests == 1 ? " request" : " requests");
        if (scenario.calls() > 1) {
            text.append(" in ").append(scenario.calls()).append(" calls");
        }
        List<Duration> waits = sleeps.stream().filter(d -> !d.isZero()).toList();
        if (!waits.isEmpty()) {
            text.append(", waits ").append(waits.stream().map(d -> CallRecord.duration(d.toMillis()))
                    .collect(Collectors.joining(" + ")));
        }
        if (redirects > 0) {
            text.append(", ").append(redirects).append(redirects == 1 ? " redirect" : " redirects");
            if (exchanges.size() > 1) {
                text.append(" (").append(exchanges.get(exchanges.size() - 1).method()).append(')');
            }
        }
        Rule rule = scenario.rule();
        if (rule.handling() == Handling.REFRESH_CREDENTIALS && exchanges.size() > 1) {
            text.append(", fresh credentials");
        } else if (rule.handling() == Handling.USE_CACHED_COPY && exchanges.size() > 1) {
            text.append(", answered from the cache");
        } else if (rule.handling() == Handling.RESEND_WITH_CONTENT_LENGTH && exchanges.size() > 1) {
            text.append(", resent with Content-Length");
        }
        return text.toString();
    }

    /** The rows as an aligned text table, fitted to {@code width} columns (cells wrap at word boundaries). */
    static String render(List<Row> rows, int width) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of("Status", "The guideline says", "Server plays", "The client did", "Result", ""));
        for (Row row : rows) {
            lines.add(List.of(row.status(), row.says(), row.plays(), row.did(), row.result(), row.verdict()));
        }
        return TextTable.render(lines, width);
    }

    /** Credentials for the 401 and 403 rows: a first token, and a fresh one on refresh. */
    private static final class DemoCredentials implements CredentialSource {
        private volatile String current = "Bearer demo-1";

        @Override
        public String current(URI uri) {
            return current;
        }

        @Override
        public String refresh(URI uri, String refused) {
            current = Objects.equals(refused, "Bearer demo-1") ? "Bearer demo-2" : refused;
            return current;
        }
    }
}
