package io.statuspolicy.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.FailureCategory;
import io.statuspolicy.http.HttpDate;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Route;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.Fault;
import io.statuspolicy.testing.RecordedExchange;
import io.statuspolicy.testing.RecordingListener;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import io.statuspolicy.testing.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite: every guideline row and every safety rule, run against a real server
 * on loopback, through the synchronous and the asynchronous path of the client under test.
 * Written once; every executor and adapter extends it and implements {@link #client}.
 *
 * <pre>{@code
 * class MyClientConformanceTest extends ConformanceSuite {
 *     protected ClientUnderTest client(ClientSettings settings) { return new MyClientUnderTest(settings); }
 * }
 * }</pre>
 *
 * <p>Waits happen in virtual time (a {@link FakeClock} moved by a {@link FakeSleeper}), except
 * in the few scenarios about real deadlines, interrupts and cancellation, which take well under
 * a second each.
 */
public abstract class ConformanceSuite extends HostScenarios {
    // ---- every row of the guideline ----------------------------------------------------------

    static Stream<Arguments> rows() {
        int[][] table = {
            // status, requests the server sees, final status (0: the call throws)
            {200, 1, 200}, {201, 1, 201}, {204, 1, 204}, {299, 1, 299},
            {300, 1, 300}, {301, 2, 200}, {302, 2, 200}, {303, 2, 200}, {304, 1, 304}, {305, 1, 305},
            {306, 1, 306}, {307, 2, 200}, {308, 2, 200}, {399, 1, 399},
            {400, 1, 400}, {401, 1, 401}, {402, 1, 402}, {403, 1, 403}, {404, 1, 404}, {405, 1, 405},
            {406, 1, 406}, {407, 1, 407}, {408, 2, 200}, {409, 1, 409}, {410, 1, 410}, {411, 2, 200},
            {412, 1, 412}, {413, 1, 413}, {414, 1, 414}, {415, 1, 415}, {416, 1, 416}, {417, 1, 417},
            {421, 2, 200}, {422, 1, 422}, {425, 2, 200}, {426, 1, 426}, {429, 2, 200}, {451, 1, 451},
            {499, 1, 499},
            {500, 2, 200}, {501, 1, 501}, {502, 2, 200}, {503, 2, 200}, {504, 2, 200}, {505, 1, 505},
            {507, 2, 200}, {511, 1, 511}, {599, 2, 200},
        };
        List<Arguments> arguments = new ArrayList<>();
        for (int[] row : table) {
            for (Mode mode : Mode.values()) {
                arguments.add(Arguments.of(row[0], row[1], row[2], mode));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "GET answered {0}: {1} request(s), final {2} ({3})")
    @MethodSource("rows")
    void everyRowOfTheGuideline(int status, int requests, int finalStatus, Mode mode) {
        Reply first = Reply.status(status).body(status == 204 || status == 304 ? "" : "status " + status);
        if (status >= 301 && status <= 308 && status != 304 && status != 305 && status != 306) {
            first = first.header("Location", "/row/next");
        }
        a.on("/row", first, Reply.ok("done"));
        a.on("/row/next", Reply.ok("done"));

        Outcome outcome = client().send(TestRequest.get(a.uri("/row")), mode);

        assertThat(outcome.failed()).as("%s", outcome).isFalse();
        assertThat(outcome.status()).isEqualTo(finalStatus);
        assertThat(a.requestCount()).isEqualTo(requests);
        if (finalStatus == 200 && requests == 2) {
            assertThat(outcome.bodyUtf8()).isEqualTo("done");
        } else if (status != 204 && status != 304) {
            assertThat(outcome.bodyUtf8()).as("the returned error keeps its body").isEqualTo("status " + status);
        }
        assertThat(listener.decisions()).isNotEmpty();
    }

    // ---- retries, Retry-After and idempotency --------------------------------------------------

    @ParameterizedTest
    @EnumSource(Mode.class)
    void retriesBackOffExponentiallyAndTheLastFailureSaysWhatWasTried(Mode mode) {
        a.on("/down", Reply.status(503).body("down"));
        Outcome outcome = client().send(TestRequest.get(a.uri("/down")), mode);

        assertThat(a.requestCount()).isEqualTo(4);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.category()).isEqualTo(FailureCategory.EXHAUSTED);
        assertThat(outcome.status()).isEqualTo(503);
        assertThat(outcome.failure().getMessage()).contains("503 Service Unavailable").contains("4 of 4 attempts");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void retryAfterInSecondsAndAsADateIsHonoured(Mode mode) {
        long serverNow = clock.millis() / 1000 - 3600; // the server's clock is an hour behind
        a.on("/seconds", Reply.status(503).header("Retry-After", "3"), Reply.ok("ok"));
        a.on("/date", Reply.status(429).header("Date", HttpDate.format(serverNow))
                .header("Retry-After", HttpDate.format(serverNow + 5)), Reply.ok("ok"));
        ClientUnderTest client = client();

        assertThat(client.send(TestRequest.get(a.uri("/seconds")), mode).status()).isEqualTo(200);
        assertThat(client.send(TestRequest.get(a.uri("/date")), mode).status()).isEqualTo(200);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRetryAfterBeyondTheCapFailsAtOnceWithoutSleeping(Mode mode) {
        a.on("/later", Reply.status(503).header("Retry-After", "86400"));
        Outcome outcome = client().send(TestRequest.get(a.uri("/later")), mode);

        assertThat(a.requestCount()).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(outcome.category()).isEqualTo(FailureCategory.EXHAUSTED);
        assertThat(outcome.failure().getMessage()).contains("Retry-After is longer than the cap");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void invalidRetryAfterValuesFallBackToBackoff(Mode mode) {
        a.on("/odd", Reply.status(503).header("Retry-After", "-1"), Reply.status(503).header("Retry-After", "soon"),
                Reply.ok("ok"));
        assertThat(client().send(TestRequest.get(a.uri("/odd")), mode).status()).isEqualTo(200);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void postIsRetriedOnlyWithAnIdempotencyKeyOrWhenTheServerDidNotActOnIt(Mode mode) {
        byte[] order = "{\"order\":1}".getBytes(StandardCharsets.UTF_8);
        a.on("/orders", Reply.status(502), Reply.status(201));
        a.on("/keyed", Reply.status(503), Reply.status(201));
        a.on("/limited", Reply.status(429).header("Retry-After", "1"), Reply.status(201));
        ClientUnderTest client = client();

        assertThat(client.send(TestRequest.of("POST", a.uri("/orders"), order), mode).status()).isEqualTo(502);
        assertThat(a.requests("/orders")).hasSize(1);

        TestRequest keyed = TestRequest.of("POST", a.uri("/keyed"), order).header("Idempotency-Key", "\"k-1\"");
        assertThat(client.send(keyed, mode).status()).isEqualTo(201);
        assertThat(a.requests("/keyed")).extracting(r -> r.header("Idempotency-Key")).containsExactly("\"k-1\"", "\"k-1\"");

        assertThat(client.send(TestRequest.of("POST", a.uri("/limited"), order), mode).status()).isEqualTo(201);
        assertThat(a.requests("/limited")).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRetriedBodyIsByteIdentical(Mode mode) {
        byte[] binary = new byte[256 * 1024];
        new SplittableRandom(3).nextBytes(binary);
        a.on("/upload", Reply.status(503), Reply.status(500), Reply.status(204));
        a.on("/stream", Reply.status(503), Reply.status(204));
        ClientUnderTest client = client();

        assertThat(client.send(TestRequest.of("PUT", a.uri("/upload"), binary), mode).status()).isEqualTo(204);
        assertThat(client.send(TestRequest.of("PUT", a.uri("/stream"), binary).asStream(), mode).status())
                .isEqualTo(204);

        String expected = sha256(binary);
        assertThat(a.requests("/upload")).hasSize(3).allSatisfy(r -> assertThat(r.bodySha256()).isEqualTo(expected));
        assertThat(a.requests("/stream")).hasSize(2).allSatisfy(r -> assertThat(r.bodySha256()).isEqualTo(expected));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a411IsResentOnceWithAContentLength(Mode mode) {
        byte[] body = "a body of unknown length".getBytes(StandardCharsets.UTF_8);
        a.on("/length", Reply.status(411), Reply.status(201));
        Outcome outcome = client().send(TestRequest.of("POST", a.uri("/length"), body).asStream(), mode);

        assertThat(outcome.status()).isEqualTo(201);
        List<RecordedExchange> sent = a.requests("/length");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).header("Content-Length")).isNull();
        assertThat(sent.get(1).header("Content-Length")).isEqualTo(Integer.toString(body.length));
        assertThat(sent.get(1).body()).isEqualTo(body);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a413IsRetriedOnlyAfterItsRetryAfter(Mode mode) {
        a.on("/big", Reply.status(413));
        a.on("/busy", Reply.status(413).header("Retry-After", "2"), Reply.status(201));
        ClientUnderTest client = client();

        assertThat(client.send(TestRequest.of("PUT", a.uri("/big"), new byte[1024]), mode).status()).isEqualTo(413);
        assertThat(a.requests("/big")).hasSize(1);
        assertThat(client.send(TestRequest.of("PUT", a.uri("/busy"), new byte[1024]), mode).status()).isEqualTo(201);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a404IsAwaitedOnlyWhenAsked(Mode mode) {
        a.on("/cases/1", Reply.status(404), Reply.status(404), Reply.ok("case 1"));
        a.on("/cases/2", Reply.status(404));
        ClientUnderTest client = client();

        Outcome awaited = client.send(TestRequest.get(a.uri("/cases/1")).awaitResource(Duration.ofSeconds(30)), mode);
        assertThat(awaited.status()).isEqualTo(200);
        assertThat(awaited.bodyUtf8()).isEqualTo("case 1");

        assertThat(client.send(TestRequest.get(a.uri("/cases/2")), mode).status()).isEqualTo(404);
        assertThat(a.requests("/cases/2")).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRouteCanAwaitA404(Mode mode) {
        Policy routed = EXACT_POLICY.withRoute(Route.parse("GET /cases/{id}"),
                p -> p.withLimits(l -> l.withAwaitResource(Duration.ofSeconds(5))));
        a.on("/cases/9", Reply.status(404));
        Outcome outcome = open(settings().withPolicy(routed)).send(TestRequest.get(a.uri("/cases/9")), mode);

        assertThat(outcome.category()).isEqualTo(FailureCategory.EXHAUSTED);
        assertThat(outcome.failure().getMessage()).contains("did not appear within the await window");
        assertThat(a.requests("/cases/9").size()).isBetween(3, 5);
        assertThat(sleeper.total()).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    // ---- redirects -----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Mode.class)
    void redirectsRewriteMethodsOnlyAsRfc9110Allows(Mode mode) {
        byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
        a.on("/see-other", Reply.redirect(303, "/result"));
        a.on("/moved", Reply.redirect(301, "/result"));
        a.on("/temporary", Reply.redirect(307, "/result"));
        a.on("/put-found", Reply.redirect(302, "/result"));
        a.on("/result", Reply.ok("result"));
        ClientUnderTest client = client();

        client.send(TestRequest.of("POST", a.uri("/see-other"), body).header("Content-Type", "text/plain"), mode);
        client.send(TestRequest.of("POST", a.uri("/moved"), body), mode);
        client.send(TestRequest.of("POST", a.uri("/temporary"), body), mode);
        client.send(TestRequest.of("PUT", a.uri("/put-found"), body), mode);

        List<RecordedExchange> results = a.requests("/result");
        assertThat(results).extracting(RecordedExchange::method).containsExactly("GET", "GET", "POST", "PUT");
        assertThat(results.get(0).body()).isEmpty();
        assertThat(results.get(0).header("Content-Type")).as("content fields go with the body").isNull();
        assertThat(results.get(2).body()).isEqualTo(body);
        assertThat(results.get(3).body()).isEqualTo(body);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void credentialsNeverFollowARedirectToAnotherOriginAndStayDropped(Mode mode) {
        a.on("/start", Reply.redirect(302, b.uri("/away").toString()));
        b.on("/away", Reply.redirect(302, a.uri("/back").toString()));
        a.on("/back", Reply.ok("back"));
        TestRequest request = TestRequest.get(a.uri("/start")).header("Authorization", "Bearer SECRET-A")
                .header("Cookie", "sid=SECRET-C").header("X-Api-Key", "SECRET-K");

        assertThat(client().send(request, mode).status()).isEqualTo(200);

        assertThat(a.requests("/start").get(0).header("Authorization")).isEqualTo("Bearer SECRET-A");
        RecordedExchange away = b.requests("/away").get(0);
        assertThat(away.header("Authorization")).isNull();
        assertThat(away.header("Cookie")).isNull();
        assertThat(away.header("X-Api-Key")).isNull();
        assertThat(a.requests("/back").get(0).header("Authorization")).as("stripped for the rest of the chain").isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSameOriginRedirectKeepsCredentials(Mode mode) {
        a.on("/start", Reply.redirect(302, "/next"));
        a.on("/next", Reply.ok("next"));
        client().send(TestRequest.get(a.uri("/start")).header("Authorization", "Bearer SECRET-A"), mode);
        assertThat(a.requests("/next").get(0).header("Authorization")).isEqualTo("Bearer SECRET-A");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void refusedRedirectsReturnThe3xx(Mode mode) {
        a.on("/nowhere", Reply.status(302).body("no location"));
        a.on("/loop1", Reply.redirect(302, "/loop2"));
        a.on("/loop2", Reply.redirect(302, "/loop1"));
        a.on("/ftp", Reply.redirect(302, "ftp://a.test/file"));
        a.on("/pay", Reply.redirect(307, b.uri("/pay").toString()));
        ClientUnderTest client = client();

        Outcome nowhere = client.send(TestRequest.get(a.uri("/nowhere")), mode);
        assertThat(nowhere.status()).isEqualTo(302);
        assertThat(nowhere.bodyUtf8()).isEqualTo("no location");
        assertThat(client.send(TestRequest.get(a.uri("/loop1")), mode).status()).isEqualTo(302);
        assertThat(a.requests("/loop1")).hasSize(1);
        assertThat(client.send(TestRequest.get(a.uri("/ftp")), mode).status()).isEqualTo(302);
        assertThat(client.send(TestRequest.of("POST", a.uri("/pay"), new byte[] {1}), mode).status()).isEqualTo(307);
        assertThat(b.requestCount()).as("an unsafe method is not redirected to another origin").isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void httpsNeverRedirectsToHttp(Mode mode) {
        TestCertificates certificates = TestCertificates.generate();
        ScriptedServer secure = server(ScriptedServer.startTls(certificates));
        secure.on("/r", Reply.redirect(301, a.uri("/plain").toString()));
        a.on("/plain", Reply.ok("plain"));
        ClientSettings tls = new ClientSettings(EXACT_POLICY, clock, sleeper, new SplittableRandom(7), listener, null, false,
                null, certificates.clientContext());

        Outcome outcome = open(tls).send(TestRequest.get(secure.uri("/r")).header("Authorization", "Bearer SECRET-A"),
                mode);

        assertThat(outcome.status()).isEqualTo(301);
        assertThat(a.requestCount()).as("no plaintext request").isZero();
        assertThat(listener.explanations()).anyMatch(line -> line.contains("HTTPS never redirects to plain HTTP"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void tooManyRedirectsStop(Mode mode) {
        for (int i = 0; i < 12; i++) {
            a.on("/hop/" + i, Reply.redirect(302, "/hop/" + (i + 1)));
        }
        Outcome outcome = client().send(TestRequest.get(a.uri("/hop/0")), mode);
        assertThat(outcome.status()).isEqualTo(302);
        assertThat(a.requestCount()).isEqualTo(11);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void permanentRedirectsAreRememberedAndTemporaryOnesAreNot(Mode mode) throws IOException {
        a.on("/old", Reply.redirect(301, "/new"));
        a.on("/new", Reply.ok("new"));
        a.on("/tmp", Reply.redirect(302, "/new"));
        Path state = Files.createTempDirectory("statuspolicy-conformance");
        ClientUnderTest first = open(settings().withStateDirectory(state));
        first.send(TestRequest.get(a.uri("/old")), mode);
        first.send(TestRequest.get(a.uri("/old")), mode);
        first.send(TestRequest.get(a.uri("/tmp")), mode);
        first.send(TestRequest.get(a.uri("/tmp")), mode);
        assertThat(a.requests("/old")).as("the second call goes straight to the new URI").hasSize(1);
        assertThat(a.requests("/tmp")).hasSize(2);

        ClientUnderTest second = open(settings().withStateDirectory(state));
        second.send(TestRequest.get(a.uri("/old")), mode);
        assertThat(a.requests("/old")).as("remembered across clients through the state directory").hasSize(1);
        assertThat(a.requests("/new")).hasSize(5);
    }

    // ---- credentials -----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a401IsRetriedOnceWithFreshCredentialsAndNeverLoops(Mode mode) {
        TestCredentials tokens = TestCredentials.bearerTokens();
        a.on("/me", Reply.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\""), Reply.ok("me"));
        a.on("/never", Reply.status(401).body("go away"));
        ClientUnderTest client = open(settings().withCredentials(tokens));

        assertThat(client.send(TestRequest.get(a.uri("/me")), mode).bodyUtf8()).isEqualTo("me");
        assertThat(a.requests("/me")).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer T1", "Bearer T2");

        Outcome refused = client.send(TestRequest.get(a.uri("/never")), mode);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.bodyUtf8()).isEqualTo("go away");
        assertThat(a.requests("/never")).hasSize(2);
        assertThat(tokens.refreshes()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a403WithCredentialsThatCannotBeRenewedIsReturnedAtOnce(Mode mode) {
        TestCredentials fixed = TestCredentials.fixed("Bearer FIXED");
        a.on("/admin", Reply.status(403).body("forbidden"));
        Outcome outcome = open(settings().withCredentials(fixed)).send(TestRequest.get(a.uri("/admin")), mode);
        assertThat(outcome.status()).isEqualTo(403);
        assertThat(outcome.bodyUtf8()).isEqualTo("forbidden");
        assertThat(a.requests("/admin")).as("never repeated with the same credentials").hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void concurrentRefusalsShareOneRefresh(Mode mode) throws Exception {
        TestCredentials tokens = TestCredentials.bearerTokens().slowRefresh(100);
        a.on("/shared", Reply.status(401).headersDelay(Duration.ofMillis(50)), Reply.ok("ok"));
        a.otherwise(Reply.ok("ok"));
        ClientUnderTest client = open(settings().withCredentials(tokens));
        int calls = 8;
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                String path = "/shared/" + i;
                a.on(path, Reply.status(401).headersDelay(Duration.ofMillis(50)), Reply.ok("ok " + i));
                outcomes.add(pool.submit(() -> client.send(TestRequest.get(a.uri(path)), mode)));
            }
            for (Future<Outcome> outcome : outcomes) {
                assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokens.refreshes()).isEqualTo(1);
        assertThat(a.requests()).filteredOn(r -> "Bearer T2".equals(r.header("Authorization"))).hasSize(calls);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aChallengeFromAnotherOriginNeverGetsOurCredentials(Mode mode) {
        TestCredentials tokens = TestCredentials.bearerTokens();
        a.on("/r", Reply.redirect(302, b.uri("/x").toString()));
        b.on("/x", Reply.status(401).header("WWW-Authenticate", "Basic realm=\"a\""));
        Outcome outcome = open(settings().withCredentials(tokens)).send(TestRequest.get(a.uri("/r")), mode);
        assertThat(outcome.status()).isEqualTo(401);
        assertThat(b.requests("/x")).hasSize(1);
        assertThat(b.requests("/x").get(0).header("Authorization")).isNull();
        assertThat(tokens.refreshes()).isZero();
    }

    // ---- conditional requests --------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a304IsAnsweredWithTheStoredCopy(Mode mode) {
        a.on("/doc", Reply.ok("version 1").header("ETag", "\"v1\"").header("Cache-Control", "no-cache"),
                Reply.status(304).header("ETag", "\"v1\"").header("Cache-Control", "max-age=60"));
        ClientUnderTest client = open(settings().withResponseCache(true));

        Outcome first = client.send(TestRequest.get(a.uri("/doc")), mode);
        Outcome second = client.send(TestRequest.get(a.uri("/doc")), mode);

        assertThat(first.bodyUtf8()).isEqualTo("version 1");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.bodyUtf8()).isEqualTo("version 1");
        assertThat(second.header("Cache-Control")).as("freshened by the 304").isEqualTo("max-age=60");
        assertThat(a.requests("/doc").get(1).header("If-None-Match")).isEqualTo("\"v1\"");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a304ForAnotherRepresentationNeverServesTheStoredOne(Mode mode) {
        // RFC 9111 §4.3.4: a 304 naming another representation cannot freshen the stored copy. The
        // caller sent a plain GET, so a bare 304 is no answer for it either: the stale entry is
        // dropped and the request sent once more, unconditionally (review finding 15).
        a.on("/changed", Reply.ok("version 1").header("ETag", "\"v1\""),
                Reply.status(304).header("ETag", "\"v2\""),
                Reply.ok("version 2").header("ETag", "\"v2\""));
        ClientUnderTest client = open(settings().withResponseCache(true));

        client.send(TestRequest.get(a.uri("/changed")), mode);
        Outcome mismatched = client.send(TestRequest.get(a.uri("/changed")), mode);

        assertThat(mismatched.status()).as("never version 1 under version 2's name").isEqualTo(200);
        assertThat(mismatched.bodyUtf8()).isEqualTo("version 2");
        assertThat(a.requests("/changed")).hasSize(3);
        assertThat(a.requests("/changed").get(1).header("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(a.requests("/changed").get(2).header("If-None-Match")).as("resent unconditionally").isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void noStoreIsNeverStoredAndCredentialsSeparateTheCache(Mode mode) {
        a.on("/private", Reply.ok("secret").header("ETag", "\"p\"").header("Cache-Control", "no-store"),
                Reply.ok("secret again").header("ETag", "\"p\""));
        a.on("/mine", Reply.ok("user 1").header("ETag", "\"u\""), Reply.ok("user 2").header("ETag", "\"u\""));
        ClientUnderTest client = open(settings().withResponseCache(true));

        client.send(TestRequest.get(a.uri("/private")), mode);
        client.send(TestRequest.get(a.uri("/private")), mode);
        assertThat(a.requests("/private").get(1).header("If-None-Match")).isNull();

        client.send(TestRequest.get(a.uri("/mine")).header("Authorization", "Bearer U1"), mode);
        Outcome other = client.send(TestRequest.get(a.uri("/mine")).header("Authorization", "Bearer U2"), mode);
        assertThat(a.requests("/mine").get(1).header("If-None-Match")).as("another principal's copy is not used")
                .isNull();
        assertThat(other.bodyUtf8()).isEqualTo("user 2");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theCallersOwnValidatorsGetThe304Back(Mode mode) {
        a.on("/mine", Reply.status(304).header("ETag", "\"v9\""));
        a.on("/moved", Reply.redirect(302, b.uri("/elsewhere").toString()));
        b.on("/elsewhere", Reply.ok("elsewhere"));
        ClientUnderTest client = open(settings().withResponseCache(true));

        Outcome mine = client.send(TestRequest.get(a.uri("/mine")).header("If-None-Match", "\"v9\""), mode);
        assertThat(mine.status()).as("the caller's own cache is what the 304 refers to").isEqualTo(304);
        assertThat(a.requests("/mine")).hasSize(1);

        client.send(TestRequest.get(a.uri("/moved")).header("If-None-Match", "\"v9\""), mode);
        assertThat(b.requests("/elsewhere").get(0).header("If-None-Match"))
                .as("validators for one URI are not sent to another (RFC 9110 §15.4)").isNull();
    }

    // ---- transport failures ----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aResetIsRetriedForGetButNotForPost(Mode mode) {
        a.on("/flaky", Reply.status(200).fault(Fault.DISCONNECT_AFTER_REQUEST), Reply.ok("ok"));
        a.on("/order", Reply.status(201).fault(Fault.DISCONNECT_AFTER_REQUEST));
        ClientUnderTest client = client();

        assertThat(client.send(TestRequest.get(a.uri("/flaky")), mode).bodyUtf8()).isEqualTo("ok");
        Outcome post = client.send(TestRequest.of("POST", a.uri("/order"), new byte[] {1}), mode);
        assertThat(post.failed()).isTrue();
        assertThat(post.category()).isEqualTo(FailureCategory.TRANSPORT);
        assertThat(a.requests("/order")).as("never sent twice").hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aConnectionClosedBeforeTheRequestIsReadIsRetriedForGet(Mode mode) {
        a.on("/closing", Reply.status(200).fault(Fault.DISCONNECT_AT_START), Reply.ok("second try"));
        Outcome outcome = client().send(TestRequest.get(a.uri("/closing")), mode);
        assertThat(outcome.bodyUtf8()).isEqualTo("second try");
        assertThat(listener.events(io.statuspolicy.event.PolicyEvent.AttemptStarted.class)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRefusedConnectionIsRetriedThenReported(Mode mode) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Outcome outcome = client().send(TestRequest.get(URI.create("http://127.0.0.1:" + closedPort + "/x")), mode);
        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.category()).isEqualTo(FailureCategory.TRANSPORT);
        assertThat(listener.events(io.statuspolicy.event.PolicyEvent.AttemptStarted.class)).hasSize(4);
        assertThat(outcome.failure().getSuppressed()).as("earlier failures are kept").hasSize(3);
    }

    // ---- deadlines, interrupts and cancellation (real time, short) ---------------------------

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theDeadlineCoversSlowHeaders(Mode mode) {
        a.on("/slow", Reply.ok("late").headersDelay(Duration.ofSeconds(5)));
        long start = System.nanoTime();
        Outcome outcome = open(settings().withRealTime())
                .send(TestRequest.get(a.uri("/slow")).deadline(Duration.ofMillis(400)), mode);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(outcome.failed()).isTrue();
        assertThat(tookMillis).isLessThan(3000);
        assertThat(a.requestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theDeadlineCoversADrippingBody(Mode mode) {
        a.on("/drip", Reply.ok("x".repeat(100)).throttleBody(1, Duration.ofMillis(100)));
        long start = System.nanoTime();
        Outcome outcome = open(settings().withRealTime())
                .send(TestRequest.get(a.uri("/drip")).deadline(Duration.ofMillis(500)), mode);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(outcome.failed()).as("%s", outcome).isTrue();
        assertThat(tookMillis).isLessThan(3000);
    }

    @org.junit.jupiter.api.Test
    void anInterruptDuringAWaitStopsAtOnceAndKeepsTheFlag() throws Exception {
        a.on("/wait", Reply.status(503).header("Retry-After", "30"));
        ClientUnderTest client = open(settings().withRealTime());
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> outcome.complete(client.send(TestRequest.get(a.uri("/wait")), Mode.SYNC)));
        caller.start();
        a.takeRequest(Duration.ofSeconds(5));
        Thread.sleep(100);
        long start = System.nanoTime();
        caller.interrupt();
        Outcome result = outcome.get(5, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMillis).isLessThan(1000);
        assertThat(result.failed()).isTrue();
        assertThat(result.failure()).isInstanceOf(InterruptedException.class);
        assertThat(result.interruptFlagSet()).isTrue();
        Thread.sleep(200);
        assertThat(a.requestCount()).isEqualTo(1);
    }

    @org.junit.jupiter.api.Test
    void cancellingAnAsynchronousCallStopsItsRetries() throws Exception {
        a.on("/wait", Reply.status(503).header("Retry-After", "1"));
        ClientUnderTest client = open(settings().withRealTime());
        CompletableFuture<Outcome> call = client.sendAsync(TestRequest.get(a.uri("/wait")));
        a.takeRequest(Duration.ofSeconds(5));
        call.cancel(true);
        Thread.sleep(1500);
        assertThat(call).isCancelled();
        assertThat(a.requestCount()).isEqualTo(1);
    }

    // ---- observability -----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyDecisionIsReportedAndExplained(Mode mode) {
        a.on("/twice", Reply.status(503), Reply.ok("ok"));
        client().send(TestRequest.get(a.uri("/twice")), mode);
        assertThat(listener.decisions()).hasSize(2);
        assertThat(listener.decisions().get(0)).isInstanceOf(Decision.Retry.class);
        assertThat(listener.explanations().get(0))
                .isEqualTo("503 Service Unavailable: the guideline says retry (shall); attempt 2 of 4; waiting 500 ms of backoff");
        assertThat(listener.decisions().get(1)).isInstanceOf(Decision.Complete.class);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
