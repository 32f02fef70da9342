package io.statuspolicy.cli;

import io.statuspolicy.cli.ExitCodes.UsageException;
import io.statuspolicy.config.PolicyFile;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.FailureCategory;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.engine.RedirectStore;
import io.statuspolicy.engine.ResponseStore;
import io.statuspolicy.policy.Policy;
import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code statuspolicy request [options] URL}: one HTTP call that follows the policy, with
 * curl's option names where curl has one. The final body goes to standard output (or
 * {@code -o}); diagnostics go to standard error; the exit code says how the call ended.
 */
final class RequestCommand implements Callable<Integer> {

    // The options, set by picocli as the model below binds them (field by field, by name).
    String url;
    String method;
    List<String> headers = new ArrayList<>();
    String data;
    Path output;
    boolean include;
    Path cacert;
    Integer maxAttempts;
    Duration maxTime;
    Integer maxRedirects;
    Duration retryDelay;
    String authCommand;
    String idempotencyKey;
    Duration awaitResource;
    Path stateDir;
    Path policyFile;
    Path trace;
    boolean verbose;

    // ---- curl's habits, with curl's meaning where it fits the guideline ----------------------
    boolean silent;
    boolean showError;
    boolean location;
    boolean failOnError;
    boolean head;
    String user;
    Integer retry;
    Duration retryMaxTime;
    Duration connectTimeout;
    String userAgent;
    String writeOut;
    boolean insecure;
    boolean retrySafe;

    private final PrintStream err = System.err;

    /** The JDK client under the policy, stopped when the call is over (see {@link JdkClientShutdown}). */
    private HttpClient jdkClient;

    /** Where the request's credentials came from (set by {@link #prepare()}), for the fix a refusal names. */
    private FailureHints.Credentials credentialSource = FailureHints.Credentials.NONE;

    /**
     * The command's model for picocli, built in code rather than read from annotations (see
     * {@link Specs}): the options in the order {@code --help} lists them.
     */
    static CommandSpec spec(RequestCommand command) {
        CommandSpec spec = Specs.command(command, "request");
        spec.usageMessage().sortOptions(false).width(100)
                .header("Send one request that follows the guideline (curl-like options).")
                .description("Send one request and follow the guideline: redirects, retries with backoff and "
                + "Retry-After, credential refresh, 411 repair, 404 awaiting, 304 from the cache, one "
                + "deadline for all. The final body goes to standard output (or -o), every diagnostic to "
                + "standard error. Secrets (Authorization, cookies, userinfo, token query parameters) "
                + "are never printed. Proxies: http_proxy, https_proxy and no_proxy from the "
                + "environment, as curl reads them (upper-case HTTP_PROXY is ignored when REQUEST_METHOD "
                + "is set: httpoxy). Proxy authentication is not supported.");
        spec.addPositional(Specs.positional(command, "url").index("0").required(true).paramLabel("URL")
                .description("the http: or https: URL to call").build());
        spec.addOption(Specs.option(command, "method", "-X", "--request").paramLabel("METHOD")
                .description("the method (default GET, or POST when -d is given)").build());
        spec.addOption(Specs.option(command, "headers", "-H", "--header").paramLabel("\"Name: value\"")
                .description("a request header, repeatable; @FILE reads one header per line from a file (keeps "
                + "secrets out of the process list)").build());
        spec.addOption(Specs.option(command, "data", "-d", "--data", "--data-binary").paramLabel("DATA")
                .description("the body: a literal string, @FILE, or @- for standard input (streamed, length "
                + "unknown; kept in memory up to 8 MiB so it can be resent). No Content-Type is added.").build());
        spec.addOption(Specs.option(command, "output", "-o", "--output").paramLabel("FILE")
                .description("write the final body to FILE (streamed), replacing it only when the call succeeds: a "
                + "failed or truncated download leaves FILE as it was").build());
        spec.addOption(Specs.option(command, "include", "-i", "--include")
                .description("print the final status line and headers before the body (secret values masked)").build());
        spec.addOption(Specs.option(command, "cacert", "--cacert").paramLabel("FILE")
                .description("trust the CA certificates in this PEM file (only them)").build());
        spec.addOption(Specs.option(command, "maxAttempts", "--max-attempts").paramLabel("N")
                .description("attempts in total, the first included (N >= 1)").build());
        spec.addOption(Specs.option(command, "maxTime", "-m", "--max-time").paramLabel("SECONDS")
                .converters(new Arguments.SecondsConverter())
                .description("the deadline for everything: attempts, waits, redirects, the body (decimals allowed)").build());
        spec.addOption(Specs.option(command, "maxRedirects", "--max-redirs").paramLabel("N")
                .description("the most redirects to follow").build());
        spec.addOption(Specs.option(command, "retryDelay", "--retry-delay").paramLabel("SECONDS")
                .converters(new Arguments.SecondsConverter())
                .description("the first backoff delay; later ones grow exponentially, with jitter").build());
        spec.addOption(Specs.option(command, "authCommand", "--auth-command").paramLabel("CMD")
                .description("run CMD (with sh -c) for the Authorization value (its first line of output); run "
                + "again once to refresh after a 401 or 403").build());
        spec.addOption(Specs.option(command, "idempotencyKey", "--idempotency-key").paramLabel("KEY|auto")
                .description("send this Idempotency-Key (auto: a fresh random UUID), the same on every attempt, "
                + "which lets a POST or PATCH be retried").build());
        spec.addOption(Specs.option(command, "awaitResource", "--await-resource").paramLabel("SECONDS")
                .converters(new Arguments.SecondsConverter())
                .description("treat 404 as \"not there yet\" and keep trying for up to this long").build());
        spec.addOption(Specs.option(command, "stateDir", "--state-dir").paramLabel("DIR")
                .description("keep learned permanent redirects and cached responses (for 304) in DIR between runs").build());
        spec.addOption(Specs.option(command, "policyFile", "--policy").paramLabel("FILE")
                .description("a YAML policy that overrides the guideline's defaults").build());
        spec.addOption(Specs.option(command, "trace", "--trace").paramLabel("FILE")
                .description("write one JSON object per attempt and decision (JSON lines)").build());
        spec.addOption(Specs.option(command, "verbose", "-v", "--verbose")
                .description("on standard error: each request and response with its "
                + "header field names (never values), and one line per decision").build());
        spec.addOption(Specs.option(command, "silent", "-s", "--silent")
                .description("no countdown, no failure line, no notes on standard error (-v still prints)").build());
        spec.addOption(Specs.option(command, "showError", "-S", "--show-error")
                .description("with -s, still print the failure line").build());
        spec.addOption(Specs.option(command, "location", "-L", "--location")
                .description("accepted for curl's sake: redirects are always followed, by the guideline's rules").build());
        spec.addOption(Specs.option(command, "failOnError", "-f", "--fail")
                .description("do not print the body of an error response (4xx, 5xx); the exit code is unchanged").build());
        spec.addOption(Specs.option(command, "head", "-I", "--head")
                .description("send HEAD and print the status line and headers").build());
        spec.addOption(Specs.option(command, "user", "-u", "--user").paramLabel("USER:PASSWORD")
                .description("Basic credentials, sent to the URL's origin only (as user:password@host); visible in "
                + "the process list: prefer -H @FILE or --auth-command").build());
        spec.addOption(Specs.option(command, "retry", "--retry").paramLabel("N")
                .description("retry up to N times: the same as --max-attempts N+1 (the guideline decides what is retried)").build());
        spec.addOption(Specs.option(command, "retryMaxTime", "--retry-max-time").paramLabel("SECONDS")
                .converters(new Arguments.SecondsConverter())
                .description("stop retrying after this long: taken as the deadline (the smaller of it and "
                + "--max-time), which also cuts off an attempt still running").build());
        spec.addOption(Specs.option(command, "connectTimeout", "--connect-timeout").paramLabel("SECONDS")
                .converters(new Arguments.SecondsConverter())
                .description("the most time one connection may take to open (within the deadline)").build());
        spec.addOption(Specs.option(command, "userAgent", "-A", "--user-agent").paramLabel("NAME")
                .description("the User-Agent header").build());
        spec.addOption(Specs.option(command, "writeOut", "-w", "--write-out").paramLabel("FORMAT")
                .description("after the call, print FORMAT to standard output, with curl's variables (written "
                + "%%{name}): http_code, url_effective, num_redirects, time_total, num_retries, exitcode, "
                + "method, and statuspolicy_attempts (the requests sent); \\n for a newline").build());
        spec.addOption(Specs.option(command, "insecure", "-k", "--insecure")
                .description("do not verify the server's certificate or host name (prints a warning): for tests only").build());
        spec.addOption(Specs.option(command, "retrySafe", "--retry-safe")
                .description("mark the request safe to repeat although its method is not idempotent (a POST that "
                + "the server deduplicates by itself): the guideline's retries then apply").build());
        Specs.addHelpOptions(spec);
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        Prepared prepared = prepare();
        CallRecord record = new CallRecord();
        PolicyHttpClient client = client(prepared, record);
        boolean headers = include || head;
        ResponseOutput sink = output == null ? ResponseOutput.stdout(headers, failOnError)
                : ResponseOutput.file(output, headers, failOnError);
        BufferedWriter traceWriter = prepared.trace;
        int code = ExitCodes.LOCAL_ERROR;
        try {
            code = send(prepared, client, record, sink);
            return code;
        } finally {
            if (traceWriter != null) {
                traceWriter.close();
            }
            if (prepared.writeOut != null) {
                writeOut(prepared, record, code);
            }
            JdkClientShutdown.stop(jdkClient);
        }
    }

    private int send(Prepared prepared, PolicyHttpClient client, CallRecord record, ResponseOutput sink) {
        int status;
        try {
            status = client.send(prepared.request, sink.handler(), prepared.options).statusCode();
        } catch (PolicyException e) {
            sink.discard();
            fail(prepared, record, e.decision(), null);
            return e.category().exitCode();
        } catch (IOException | RuntimeException e) {
            sink.discard();
            fail(prepared, record, record.decision(), e);
            return ExitCodes.of(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sink.discard();
            fail(prepared, record, record.decision(), e);
            return ExitCodes.LOCAL_ERROR;
        }
        record.finalStatus(status);
        {
            Decision decision = record.ended().decision();
            int code = decision == null ? (status / 100 == 2 ? ExitCodes.OK : FailureCategory.NOT_RETRIED.exitCode())
                    : ExitCodes.of(decision, status);
            if (code == ExitCodes.OK && status == 304 && !(decision instanceof Decision.UseCachedCopy)) {
                // A 304 to the caller's own validators (-H If-None-Match): the copy they hold is
                // current (RFC 9110 §15.4.5), and a 304 has no body to replace it with.
                sink.discard();
                notModified();
            } else if (code == ExitCodes.OK) {
                try {
                    sink.commit();
                } catch (IOException e) {
                    sink.discard();
                    throw new ExitCodes.LocalException("cannot write " + (output == null ? "the response"
                            : output) + ": " + e.getMessage(), e);
                }
            } else {
                sink.discard();
                fail(prepared, record, decision, null);
            }
            return code;
        }
    }

    /** {@code -w}: after the body, on standard output, whatever the outcome (as curl does). */
    private void writeOut(Prepared prepared, CallRecord record, int code) {
        PolicyEvent.CallFinished end = record.finished();
        Decision decision = record.decision();
        int status = record.finalStatus() != 0 ? record.finalStatus() : decision != null ? decision.status() : 0;
        URI where = end != null ? end.uri() : prepared.request.uri();
        WriteOut.Values values = new WriteOut.Values(status, Shown.uri(where), end == null ? 0 : end.redirects(),
                end == null ? 0 : end.durationMillis(), end == null ? 0 : end.retries(),
                end == null ? 0 : end.requests(), code, end != null ? end.method() : prepared.request.method());
        System.out.print(prepared.writeOut.render(values));
        System.out.flush();
    }

    /** Everything checked and read before anything is sent: a usage problem sends nothing. */
    private record Prepared(HttpRequest request, CallOptions options, Policy policy,
            CommandCredentials credentials, BufferedWriter trace, WriteOut writeOut) {
    }

    private Prepared prepare() throws IOException {
        URI uri = parseUrl(url);
        Policy policy = policy();
        List<Arguments.Header> fields = Arguments.headers(headers);
        if (head && (method != null || data != null)) {
            throw new UsageException("-I sends a HEAD request without a body: drop " + (method != null ? "-X" : "-d"));
        }
        String verb = method != null ? method : head ? "HEAD" : data != null ? "POST" : "GET";
        WriteOut format = writeOut == null ? null : WriteOut.parse(writeOut);
        if (!verb.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new UsageException("-X: \"" + verb + "\" is not a valid method name");
        }
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(withoutUserInfo(uri)).method(verb, body());
        } catch (IllegalArgumentException e) {
            throw new UsageException("cannot make a request of " + Shown.uri(uri) + ": " + e.getMessage(), e);
        }
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            builder.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade on plain HTTP, as curl
        }
        boolean authorizationGiven = false;
        for (Arguments.Header field : fields) {
            if (field.name().equalsIgnoreCase("User-Agent") && userAgent != null) {
                throw new UsageException("give the User-Agent either with -H or with -A, not both");
            }
            if (field.name().equalsIgnoreCase("Idempotency-Key") && idempotencyKey != null) {
                throw new UsageException("give the Idempotency-Key either with -H or with --idempotency-key, not both");
            }
            authorizationGiven |= field.name().equalsIgnoreCase("Authorization");
            try {
                builder.header(field.name(), field.value());
            } catch (IllegalArgumentException e) {
                throw new UsageException("-H " + field.name() + ": not accepted by the HTTP client", e);
            }
        }
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", Arguments.idempotencyKey(idempotencyKey));
        }
        if (authorizationGiven) {
            credentialSource = FailureHints.Credentials.HEADER;
        } else if (authCommand != null) {
            credentialSource = FailureHints.Credentials.COMMAND;
        }
        if (userAgent != null) {
            try {
                builder.header("User-Agent", userAgent);
            } catch (IllegalArgumentException e) {
                throw new UsageException("-A: not a valid User-Agent value", e);
            }
        }
        if (user != null) {
            if (authorizationGiven || authCommand != null) {
                throw new UsageException("give credentials one way: -u, -H Authorization or --auth-command");
            }
            if (user.indexOf(':') < 0) {
                throw new UsageException("-u: expected USER:PASSWORD (no password prompt: the command never reads "
                        + "the terminal)");
            }
            // As user:password@host: Basic, sent as the caller's Authorization, which the
            // executor drops when a redirect leaves the origin.
            builder.header("Authorization", Arguments.basic(user));
            credentialSource = FailureHints.Credentials.USER;
        } else if (uri.getRawUserInfo() != null && !authorizationGiven && authCommand == null) {
            // curl's reading of user:password@host: Basic credentials, never sent in the URL.
            String userInfo = URLDecoder.decode(uri.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
            builder.header("Authorization", Arguments.basic(userInfo));
            credentialSource = FailureHints.Credentials.USERINFO;
        }
        CallOptions options = CallOptions.DEFAULT.withRetrySafe(retrySafe);
        Duration deadline = deadline();
        if (deadline != null) {
            options = options.withDeadline(deadline);
        }
        if (connectTimeout != null && connectTimeout.isZero()) {
            throw new UsageException("--connect-timeout: expected more than 0 seconds");
        }
        if (awaitResource != null) {
            options = options.withAwaitResource(awaitResource);
        }
        if (output != null && Files.exists(output) && !Files.isRegularFile(output)) {
            // A device or a pipe (-o /dev/null): written to directly, never renamed over.
            if (Files.isDirectory(output) || !Files.isWritable(output)) {
                throw new UsageException("-o " + output + ": is a directory or not writable");
            }
        } else if (output != null) {
            Path parent = output.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
                throw new UsageException("-o " + output + ": the directory " + parent + " does not exist or is not writable");
            }
            if (Files.isDirectory(output)) {
                throw new UsageException("-o " + output + ": is a directory");
            }
        }
        if (stateDir != null) {
            try {
                Files.createDirectories(stateDir);
            } catch (IOException e) {
                throw new UsageException("--state-dir " + stateDir + ": cannot create the directory", e);
            }
        }
        BufferedWriter traceWriter = null;
        if (trace != null) {
            try {
                traceWriter = Files.newBufferedWriter(trace, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("--trace " + trace + ": cannot write the file (" + e.getClass().getSimpleName()
                        + ")", e);
            }
        }
        if (insecure) {
            if (cacert != null) {
                throw new UsageException("give either -k or --cacert, not both");
            }
            // Read once, when the JDK client's classes load: set before the client is built.
            System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
            if (!silent) {
                err.println("statuspolicy: warning: -k: the server's certificate and host name are not checked; "
                        + "anyone on the path can read and change this exchange");
            }
        }
        CommandCredentials credentials = null;
        if (authCommand != null) {
            credentials = new CommandCredentials(authCommand);
            try {
                credentials.fetch(); // before sending: without credentials nothing goes out
            } catch (IOException e) {
                throw new CredentialsMissing(e.getMessage());
            }
        }
        return new Prepared(builder.build(), options, policy, credentials, traceWriter, format);
    }

    /** {@code --max-time}, or {@code --retry-max-time} when it is smaller; null for the policy's own. */
    Duration deadline() {
        if (maxTime != null && maxTime.isZero()) {
            throw new UsageException("--max-time: expected more than 0 seconds");
        }
        if (retryMaxTime != null && retryMaxTime.isZero()) {
            throw new UsageException("--retry-max-time: expected more than 0 seconds");
        }
        if (maxTime == null || retryMaxTime == null) {
            return maxTime != null ? maxTime : retryMaxTime;
        }
        return maxTime.compareTo(retryMaxTime) <= 0 ? maxTime : retryMaxTime;
    }

    /** The policy: the guideline or {@code --policy FILE}, then the options that change its limits. */
    Policy policy() {
        Policy policy = policyFile == null ? Policy.guideline() : PolicyFile.read(policyFile);
        if (retry != null && maxAttempts != null) {
            throw new UsageException("give either --retry N or --max-attempts N+1, not both");
        }
        if (retry != null && retry < 0) {
            throw new UsageException("--retry: expected 0 or more retries, found " + retry);
        }
        Integer maxAttempts = retry != null ? Integer.valueOf(retry + 1) : this.maxAttempts;
        if (maxAttempts != null) {
            if (maxAttempts < 1) {
                throw new UsageException("--max-attempts: expected at least 1 (the first attempt), found " + maxAttempts);
            }
            int attempts = maxAttempts;
            // One call per process: the per-host budget must not cut below the attempts asked for.
            policy = policy.withLimits(l -> l.withMaxAttempts(attempts).withRetryBudget(l.retryBudget()
                    .withMinRetries(Math.max(l.retryBudget().minRetries(), attempts - 1))));
        }
        if (maxRedirects != null) {
            if (maxRedirects < 0) {
                throw new UsageException("--max-redirs: expected 0 or more, found " + maxRedirects);
            }
            int redirects = maxRedirects;
            policy = policy.withLimits(l -> l.withMaxRedirects(redirects));
        }
        if (retryDelay != null) {
            Duration delay = retryDelay;
            policy = policy.withLimits(l -> l.withBackoff(l.backoff().withInitialDelay(delay)));
        }
        return policy;
    }

    private HttpRequest.BodyPublisher body() {
        if (data == null) {
            return HttpRequest.BodyPublishers.noBody();
        }
        if (data.equals("@-")) {
            // Streamed: the length is not known in advance, so it goes out chunked.
            return HttpRequest.BodyPublishers.ofInputStream(() -> System.in);
        }
        if (data.startsWith("@")) {
            Path file = Path.of(data.substring(1));
            try {
                return HttpRequest.BodyPublishers.ofFile(file);
            } catch (FileNotFoundException e) {
                throw new UsageException("-d " + data + ": no such file", e);
            }
        }
        return HttpRequest.BodyPublishers.ofString(data, StandardCharsets.UTF_8);
    }

    static URI parseUrl(String given) {
        // As curl: a URL without a scheme is taken as http:// (curl's guesses from host names
        // such as ftp.example are not made: only http and https are spoken here).
        String text = given.contains("://") ? given : "http://" + given;
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException("URL: not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UsageException("URL: expected an http: or https: URL, found " + (scheme.isEmpty()
                    ? "no scheme" : "\"" + scheme + ":\""));
        }
        if (uri.getHost() == null) {
            throw new UsageException("URL: expected a host name in " + Shown.uri(uri));
        }
        return uri;
    }

    static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        String text = uri.toString();
        int at = text.indexOf('@', text.indexOf("//") + 2);
        return URI.create(uri.getScheme() + "://" + text.substring(at + 1));
    }

    private PolicyHttpClient client(Prepared prepared, CallRecord record) {
        HttpClient.Builder delegate = HttpClient.newBuilder();
        Duration deadline = deadline() != null ? deadline() : prepared.policy.limits().deadline();
        delegate.connectTimeout(connectTimeout != null && connectTimeout.compareTo(deadline) < 0 ? connectTimeout
                : deadline);
        if (insecure) {
            delegate.sslContext(Trust.insecure());
        } else if (cacert != null) {
            delegate.sslContext(Trust.fromPem(cacert));
        } else {
            // The default context (the CA store) only when a connection is https: an http:
            // request sets up no TLS at all.
            delegate.sslContext(LazyTls.context()).sslParameters(LazyTls.parameters());
        }
        EnvironmentProxy proxy = EnvironmentProxy.from(System.getenv());
        delegate.proxy(proxy != null ? proxy : HttpClient.Builder.NO_PROXY);
        // Built here, not by the policy's builder, so that the command can stop it at the end.
        jdkClient = delegate.followRedirects(HttpClient.Redirect.NEVER).build();
        PolicyHttpClient.Builder builder = PolicyHttpClient.builder().policy(prepared.policy);
        if (prepared.credentials != null) {
            builder.credentials(prepared.credentials);
        }
        if (stateDir != null) {
            builder.redirectStore(RedirectStore.file(stateDir.resolve("redirects.properties"), 1000));
            builder.responseStore(ResponseStore.directory(stateDir.resolve("responses"), 64L * 1024 * 1024));
        }
        if (verbose) {
            builder.listener(new VerboseListener(err));
        }
        if (prepared.trace != null) {
            builder.listener(new TraceListener(prepared.trace));
        }
        if (System.console() != null && !silent) {
            builder.listener(new Countdown(err));
        }
        // Last: listeners are told in order, and the end of the call, as this one hears it,
        // lets the command close the trace and exit.
        builder.listener(record);
        return builder.build(jdkClient);
    }

    /** Says that a 304 to the caller's own validators left the output alone. */
    private void notModified() {
        if (silent) {
            return;
        }
        err.println("statuspolicy: 304 Not Modified: your copy is current" + (output == null ? ""
                : "; " + output + " left unchanged"));
    }

    /** The one failure line: what was asked, the status or transport error, the rule, what was tried. */
    private void fail(Prepared prepared, CallRecord record, Decision decision, Throwable error) {
        if (silent && !showError) {
            return;
        }
        PolicyEvent.CallFinished end = record.ended().finished();
        URI where = end != null ? end.uri() : prepared.request.uri();
        String verb = end != null ? end.method() : prepared.request.method();
        StringBuilder line = new StringBuilder("statuspolicy: ").append(verb).append(' ').append(Shown.uri(where))
                .append(": ");
        if (error == null && decision instanceof Decision.Fail failed) {
            line.append(FailureHints.explain(failed, where)).append(FailureHints.fix(failed, credentialSource, where));
        } else if (error == null && decision != null) {
            line.append(decision.explain());
        } else if (decision instanceof Decision.Complete complete) {
            line.append(complete.explain()).append("; then the body failed: ").append(ExitCodes.describe(error))
                    .append(FailureHints.fix(error));
        } else if (error != null) {
            line.append(FailureHints.withHostName(ExitCodes.describe(error), where)).append(FailureHints.fix(error));
        } else {
            line.append("the call ended without a decision");
        }
        if (output != null) {
            line.append("; ").append(output).append(" left unchanged");
        }
        err.println(line.append(record.tried()));
    }

    /** The auth command failed before anything was sent: credentials missing, exit 7. */
    static final class CredentialsMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CredentialsMissing(String message) {
            super("credentials missing: " + message + "; nothing was sent");
        }
    }
}
