package io.statuspolicy.apache5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.Fault;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.cache.CachingHttpAsyncClients;
import org.apache.hc.client5.http.impl.cache.CachingHttpClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the HttpClient 5 adapter does that the client-neutral conformance suite cannot see: the
 * client's own retries, redirects and challenge loop are off, what cannot be switched off is
 * refused, and no connection stays leased. Real servers on loopback, virtual time.
 */
class Apache5AdapterTest {
    private final ScriptedServer server = ScriptedServer.start();
    private final ScriptedServer other = ScriptedServer.start();
    private final FakeClock clock = new FakeClock();

    @AfterEach
    void stop() {
        server.close();
        other.close();
    }

    private PolicyEngine.Builder engine() {
        return PolicyEngine.builder().clock(clock).sleeper(new FakeSleeper(clock));
    }

    /** A policy that never makes a second attempt, so every further request would be HttpClient's own. */
    private PolicyEngine oneAttempt() {
        return engine().policy(Policy.guideline().withLimits(l -> l.withMaxAttempts(1))).build();
    }

    private static BasicCredentialsProvider basicCredentialsForAnyHost() {
        BasicCredentialsProvider provider = new BasicCredentialsProvider();
        provider.setCredentials(new AuthScope(null, -1), new UsernamePasswordCredentials("user", "pw".toCharArray()));
        return provider;
    }

    // ---- the client's own retries are off ------------------------------------------------------

    @Test
    void a429ToAPostIsSentOnceThroughTheClassicClientWhoseOwnRetryWouldResendIt() throws Exception {
        server.on("/orders", Reply.status(429).header("Retry-After", "0"), Reply.status(201));
        try (CloseableHttpClient bare = HttpClients.custom().build()) {
            bare.execute(post("/orders"), (ClassicHttpResponse response) -> response.getCode());
        }
        assertThat(server.requests("/orders")).as("HttpClient's DefaultHttpRequestRetryStrategy resends it").hasSize(2);

        server.on("/policy", Reply.status(429).header("Retry-After", "0"), Reply.status(201));
        try (CloseableHttpClient client = StatusPolicyApache5.of(oneAttempt()).install(HttpClients.custom()).build()) {
            assertThatThrownBy(() -> client.execute(post("/policy"), (ClassicHttpResponse response) -> response.getCode()))
                    .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.lastStatus()).isEqualTo(429));
        }
        assertThat(server.requests("/policy")).as("only the policy may repeat it, and it does not").hasSize(1);
    }

    @Test
    void a429ToAPostIsSentOnceThroughTheAsyncClient() throws Exception {
        server.on("/policy", Reply.status(429).header("Retry-After", "0"), Reply.status(201));
        try (CloseableHttpAsyncClient client = StatusPolicyApache5.of(oneAttempt())
                .install(HttpAsyncClients.custom()).build()) {
            client.start();
            SimpleHttpRequest request = SimpleRequestBuilder.post(server.uri("/policy"))
                    .setBody("{}", org.apache.hc.core5.http.ContentType.APPLICATION_JSON).build();
            assertThatThrownBy(() -> client.execute(request, null).get()).cause()
                    .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.lastStatus()).isEqualTo(429));
        }
        assertThat(server.requests("/policy")).hasSize(1);
    }

    // ---- cookies stay with their origin --------------------------------------------------------

    private static org.apache.hc.client5.http.cookie.BasicCookieStore jarWithASessionFor127() {
        org.apache.hc.client5.http.cookie.BasicCookieStore jar = new org.apache.hc.client5.http.cookie.BasicCookieStore();
        org.apache.hc.client5.http.impl.cookie.BasicClientCookie sid =
                new org.apache.hc.client5.http.impl.cookie.BasicClientCookie("sid", "SECRET");
        sid.setDomain("127.0.0.1");
        sid.setPath("/");
        sid.setAttribute(org.apache.hc.client5.http.cookie.Cookie.DOMAIN_ATTR, "127.0.0.1");
        jar.addCookie(sid);
        return jar;
    }

    private void scriptAToBToA() {
        server.on("/start", Reply.redirect(302, other.uri("/elsewhere").toString()));
        other.on("/elsewhere", Reply.redirect(302, server.uri("/home").toString()).header("Set-Cookie", "b=planted; Path=/"));
        server.on("/home", Reply.ok("home"));
    }

    private void assertCookiesStayedWithTheirOrigin(org.apache.hc.client5.http.cookie.BasicCookieStore jar) {
        assertThat(server.requests("/start").get(0).header("Cookie")).isEqualTo("sid=SECRET");
        assertThat(other.requests("/elsewhere").get(0).header("Cookie"))
                .as("another origin (same host, another port) gets none").isNull();
        assertThat(server.requests("/home").get(0).header("Cookie")).isEqualTo("sid=SECRET");
        assertThat(jar.getCookies()).extracting(org.apache.hc.client5.http.cookie.Cookie::getName)
                .as("what the other origin set is not kept in the caller's store").containsExactly("sid");
    }

    @Test
    void theClassicClientsCookiesNeverFollowARedirectToAnotherOrigin() throws Exception {
        scriptAToBToA();
        org.apache.hc.client5.http.cookie.BasicCookieStore jar = jarWithASessionFor127();
        try (CloseableHttpClient client = StatusPolicyApache5.of(engine().build())
                .install(HttpClients.custom().setDefaultCookieStore(jar)).build()) {
            String body = client.execute(new HttpGet(server.uri("/start")),
                    (ClassicHttpResponse response) -> EntityUtils.toString(response.getEntity()));
            assertThat(body).isEqualTo("home");
        }
        assertCookiesStayedWithTheirOrigin(jar);
    }

    @Test
    void theAsyncClientsCookiesNeverFollowARedirectToAnotherOrigin() throws Exception {
        scriptAToBToA();
        org.apache.hc.client5.http.cookie.BasicCookieStore jar = jarWithASessionFor127();
        try (CloseableHttpAsyncClient client = StatusPolicyApache5.of(engine().build())
                .install(HttpAsyncClients.custom().setDefaultCookieStore(jar)).build()) {
            client.start();
            SimpleHttpResponse response = client.execute(SimpleRequestBuilder.get(server.uri("/start")).build(), null)
                    .get();
            assertThat(response.getBodyText()).isEqualTo("home");
        }
        assertCookiesStayedWithTheirOrigin(jar);
    }


    // ---- the client's challenge loop is off ----------------------------------------------------

    @Test
    void a401WithACredentialsProviderOnTheClassicClientIsDecidedByThePolicyAlone() throws Exception {
        server.on("/me", Reply.status(401).header("WWW-Authenticate", "Basic realm=\"r\"").body("who?"),
                Reply.ok("me"));
        try (CloseableHttpClient client = StatusPolicyApache5.of(engine().build())
                .install(HttpClients.custom().setDefaultCredentialsProvider(basicCredentialsForAnyHost())).build()) {
            int status = client.execute(new HttpGet(server.uri("/me")), (ClassicHttpResponse response) -> response.getCode());
            assertThat(status).as("no CredentialSource: the refusal is the answer").isEqualTo(401);
        }
        assertThat(server.requests("/me")).hasSize(1);
        assertThat(server.requests("/me").get(0).header("Authorization")).isNull();

        server.on("/token", Reply.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\""),
                Reply.ok("me"));
        PolicyEngine withSource = engine().credentials(tokens()).build();
        try (CloseableHttpClient client = StatusPolicyApache5.of(withSource)
                .install(HttpClients.custom().setDefaultCredentialsProvider(basicCredentialsForAnyHost())).build()) {
            String body = client.execute(new HttpGet(server.uri("/token")),
                    (ClassicHttpResponse response) -> EntityUtils.toString(response.getEntity()));
            assertThat(body).isEqualTo("me");
        }
        assertThat(server.requests("/token")).extracting(r -> r.header("Authorization"))
                .as("the policy's refresh, never HttpClient's Basic").containsExactly("Bearer T1", "Bearer T2");
    }

    @Test
    void a401WithACredentialsProviderOnTheAsyncClientIsDecidedByThePolicyAlone() throws Exception {
        server.on("/me", Reply.status(401).header("WWW-Authenticate", "Basic realm=\"r\""), Reply.ok("me"));
        try (CloseableHttpAsyncClient client = StatusPolicyApache5.of(engine().build())
                .install(HttpAsyncClients.custom().setDefaultCredentialsProvider(basicCredentialsForAnyHost())).build()) {
            client.start();
            assertThat(client.execute(SimpleRequestBuilder.get(server.uri("/me")).build(), null).get().getCode())
                    .isEqualTo(401);
        }
        assertThat(server.requests("/me")).hasSize(1);
        assertThat(server.requests("/me").get(0).header("Authorization")).isNull();
    }

    private static CredentialSource tokens() {
        return new CredentialSource() {
            private int issued = 1;

            @Override
            public synchronized String current(URI uri) {
                return "Bearer T" + issued;
            }

            @Override
            public synchronized String refresh(URI uri, String refused) {
                issued++;
                return "Bearer T" + issued;
            }
        };
    }

    // ---- what cannot be switched off is refused --------------------------------------------------

    @Test
    void aRequestConfigThatFollowsRedirectsIsRefusedNamingTheSetting() throws Exception {
        server.on("/r", Reply.redirect(302, "/next"));
        try (CloseableHttpClient client = StatusPolicyApache5.of(engine().build()).install(HttpClients.custom()).build()) {
            HttpGet get = new HttpGet(server.uri("/r"));
            get.setConfig(RequestConfig.custom().setRedirectsEnabled(true).setAuthenticationEnabled(false).build());
            assertThatThrownBy(() -> client.execute(get, (ClassicHttpResponse response) -> response.getCode()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("redirectsEnabled=true").hasMessageContaining("setRedirectsEnabled(false)");
        }
        // A default RequestConfig set on the builder after install, left at HttpClient's defaults.
        try (CloseableHttpClient client = StatusPolicyApache5.of(engine().build()).install(HttpClients.custom())
                .setDefaultRequestConfig(RequestConfig.custom().build()).build()) {
            assertThatThrownBy(() -> client.execute(new HttpGet(server.uri("/r")), (ClassicHttpResponse response) -> response.getCode()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("authenticationEnabled=true");
        }
        try (CloseableHttpAsyncClient client = StatusPolicyApache5.of(engine().build())
                .install(HttpAsyncClients.custom()).build()) {
            client.start();
            SimpleHttpRequest get = SimpleRequestBuilder.get(server.uri("/r")).build();
            get.setConfig(RequestConfig.custom().setRedirectsEnabled(true).setAuthenticationEnabled(false).build());
            assertThatThrownBy(() -> client.execute(get, null).get())
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("redirectsEnabled=true");
        }
        assertThat(server.requestCount()).as("nothing was sent").isZero();
    }

    @Test
    void aCachingBuilderIsRefused() {
        StatusPolicyApache5 adapter = StatusPolicyApache5.of(engine().build());
        assertThatThrownBy(() -> adapter.install(CachingHttpClients.custom()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CachingHttpClientBuilder").hasMessageContaining("ResponseStore");
        assertThatThrownBy(() -> adapter.install(CachingHttpAsyncClients.custom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("httpclient5-cache");
    }

    // ---- connections -------------------------------------------------------------------------

    @Test
    void noConnectionStaysLeasedInTheClassicPool() throws Exception {
        script();
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create().build();
        try (CloseableHttpClient client = StatusPolicyApache5.of(engine().build())
                .install(HttpClients.custom().setConnectionManager(pool)).build()) {
            assertThat(text(client, "/retry"))
                    .isEqualTo("ok");
            assertThat(text(client, "/away"))
                    .isEqualTo("elsewhere");
            assertThat(text(client, "/cut"))
                    .isEqualTo("whole");
            assertThatThrownBy(() -> client.execute(new HttpGet(server.uri("/down")), (ClassicHttpResponse r) -> r.getCode()))
                    .isInstanceOf(io.statuspolicy.engine.PolicyException.class);
            assertThat(text(client, "/big").length())
                    .isEqualTo(300_000);
            // A streamed body the caller closes half-read.
            try (var response = client.executeOpen(null, new HttpGet(server.uri("/big")), null)) {
                InputStream body = response.getEntity().getContent();
                assertThat(body.readNBytes(1000)).hasSize(1000);
            }
            assertThat(pool.getTotalStats().getLeased()).isZero();
        }
        assertThat(server.awaitNoBodyInProgress(Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void noConnectionStaysLeasedInTheAsyncPool() throws Exception {
        script();
        PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create().build();
        try (CloseableHttpAsyncClient client = StatusPolicyApache5.of(engine().build())
                .install(HttpAsyncClients.custom().setConnectionManager(pool)).build()) {
            client.start();
            assertThat(get(client, "/retry").getBodyText()).isEqualTo("ok");
            assertThat(get(client, "/away").getBodyText()).isEqualTo("elsewhere");
            assertThat(get(client, "/cut").getBodyText()).isEqualTo("whole");
            assertThatThrownBy(() -> get(client, "/down")).hasCauseInstanceOf(io.statuspolicy.engine.PolicyException.class);
            assertThat(get(client, "/big").getBodyBytes()).hasSize(300_000);
            Future<SimpleHttpResponse> cancelled = client.execute(SimpleRequestBuilder.get(server.uri("/slow")).build(),
                    null);
            while (!server.takeRequest(Duration.ofSeconds(5)).path().startsWith("/slow")) {
                // the requests before it
            }
            cancelled.cancel(true);
            assertThat(leasedSoon(pool::getTotalStats)).as("released once the cancel has gone through").isZero();
        }
        assertThat(server.awaitNoBodyInProgress(Duration.ofSeconds(3))).isTrue();
    }

    /** The leased count, once it is zero or after a second (a cancel reaches the I/O thread asynchronously). */
    private static int leasedSoon(java.util.function.Supplier<org.apache.hc.core5.pool.PoolStats> stats)
            throws InterruptedException {
        long until = System.nanoTime() + 1_000_000_000L;
        while (stats.get().getLeased() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return stats.get().getLeased();
    }

    private void script() {
        server.on("/retry", Reply.status(503).body("x".repeat(30_000)), Reply.ok("ok"));
        server.on("/away", Reply.redirect(302, other.uri("/there").toString()));
        other.on("/there", Reply.ok("elsewhere"));
        server.on("/cut", Reply.ok("y".repeat(4096)).fault(Fault.DISCONNECT_DURING_BODY), Reply.ok("whole"));
        server.on("/down", Reply.status(503).body("z".repeat(100_000)));
        server.on("/big", Reply.ok("b".repeat(300_000)));
        server.on("/slow", Reply.ok("s".repeat(100_000)).throttleBody(1000, Duration.ofMillis(100)));
    }

    private String text(CloseableHttpClient client, String path) throws java.io.IOException {
        return client.execute(new HttpGet(server.uri(path)), (ClassicHttpResponse r) -> EntityUtils.toString(r.getEntity()));
    }

    private SimpleHttpResponse get(CloseableHttpAsyncClient client, String path) throws Exception {
        return client.execute(SimpleRequestBuilder.get(server.uri(path)).build(), null).get();
    }

    private ClassicHttpRequest post(String path) {
        HttpPost post = new HttpPost(server.uri(path));
        post.setEntity(new StringEntity("{\"order\":1}", StandardCharsets.UTF_8));
        return post;
    }
}
