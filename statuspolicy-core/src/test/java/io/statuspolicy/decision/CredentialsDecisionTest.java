package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** 401, 403 and 407: one refresh, never a loop, never for another origin. */
class CredentialsDecisionTest {
    private final Fixture fixture = new Fixture();
    private final RequestFacts withSource = Fixture.get("https://a.test/r").withOriginCredentials(true);

    @Test
    void a401AsksForFreshCredentialsOnceAndStopsWhenTheyAreRefusedToo() {
        AttemptState state = fixture.decider.start(withSource);
        Decision first = fixture.decider.decide(withSource, TestResponse.status(401)
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\""), state);
        assertThat(first).isEqualTo(new Decision.RefreshCredentials(first.rule(), 401, CredentialTarget.ORIGIN));
        assertThat(first.explain()).isEqualTo("401 Unauthorized: the guideline says retry once with fresh "
                + "credentials (may); asking for fresh credentials");

        Decision second = fixture.decider.decide(withSource, TestResponse.status(401), state.after(first));
        assertThat(second).isInstanceOf(Decision.Fail.class);
        assertThat(((Decision.Fail) second).reason()).isEqualTo(FailureReason.CREDENTIALS_REFUSED_AGAIN);
        assertThat(((Decision.Fail) second).category()).isEqualTo(FailureCategory.CREDENTIALS);
    }

    @Test
    void aBearerChallengeThatBlamesScopeOrTheRequestIsNotRefreshed() {
        for (String challenge : new String[] {"Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"orders:write\"",
                "Basic realm=\"x\", Bearer error=invalid_request", "bearer ERROR = \"Insufficient_Scope\""}) {
            Decision decision = fixture.decide(withSource, TestResponse.status(403).header("WWW-Authenticate", challenge));
            assertThat(decision).as(challenge).isInstanceOf(Decision.Fail.class);
            assertThat(((Decision.Fail) decision).reason()).isEqualTo(FailureReason.CREDENTIALS_CANNOT_HELP);
            assertThat(decision.explain()).contains("Bearer error=", "fresh credentials would not help");
        }
        Decision scope401 = fixture.decide(withSource, TestResponse.status(401)
                .header("WWW-Authenticate", "Bearer error=\"insufficient_scope\""));
        assertThat(((Decision.Fail) scope401).reason()).isEqualTo(FailureReason.CREDENTIALS_CANNOT_HELP);
    }

    @Test
    void aBearerChallengeThatBlamesTheTokenOrSaysNothingIsRefreshed() {
        for (String challenge : new String[] {"Bearer error=\"invalid_token\"", "Bearer realm=\"api\"",
                "Basic realm=\"insufficient_scope\"", "Digest realm=\"x\", error=\"insufficient_scope\""}) {
            Decision decision = fixture.decide(withSource, TestResponse.status(401).header("WWW-Authenticate", challenge));
            assertThat(decision).as(challenge).isInstanceOf(Decision.RefreshCredentials.class);
        }
    }

    @Test
    void aRefreshThatBringsNothingNewEndsWithTheRefusal() {
        Decision.RefreshCredentials refresh = (Decision.RefreshCredentials) fixture.decide(withSource,
                TestResponse.status(403));
        Decision.Fail fail = fixture.decider.credentialsNotRenewed(refresh, null);
        assertThat(fail.reason()).isEqualTo(FailureReason.CREDENTIALS_NOT_RENEWED);
        assertThat(fail.status()).isEqualTo(403);
        assertThat(fail.category()).isEqualTo(FailureCategory.CREDENTIALS);
        assertThat(fail.explain()).endsWith("the credential source returned the credentials that were refused");
    }

    @Test
    void a403AfterA401RefreshIsNotRefreshedAgain() {
        AttemptState state = fixture.decider.start(withSource);
        Decision first = fixture.decider.decide(withSource, TestResponse.status(401), state);
        Decision second = fixture.decider.decide(withSource, TestResponse.status(403), state.after(first));
        assertThat(((Decision.Fail) second).reason()).isEqualTo(FailureReason.CREDENTIALS_REFUSED_AGAIN);
    }

    @Test
    void withoutACredentialSourceTheRefusalIsFinal() {
        Decision decision = fixture.decide(Fixture.get("https://a.test/r"), TestResponse.status(403));
        assertThat(((Decision.Fail) decision).reason()).isEqualTo(FailureReason.CREDENTIALS_UNAVAILABLE);
    }

    @Test
    void a407WithoutAProxyIsAPlainFailure() {
        Decision decision = fixture.decide(withSource, TestResponse.status(407));
        assertThat(((Decision.Fail) decision).reason()).isEqualTo(FailureReason.CREDENTIALS_UNAVAILABLE);
        assertThat(decision.explain()).contains("no proxy credentials configured");

        Decision proxy = fixture.decide(withSource.withProxyCredentials(true), TestResponse.status(407));
        assertThat(proxy).isEqualTo(new Decision.RefreshCredentials(proxy.rule(), 407, CredentialTarget.PROXY));
    }

    @Test
    void a401FromAnotherOriginAfterARedirectNeverCallsOurRefresh() {
        AttemptState state = fixture.decider.start(withSource);
        Decision toB = fixture.decider.decide(withSource,
                TestResponse.status(302).header("Location", "https://b.test/x"), state);
        state = state.after(toB);
        Decision challenge = fixture.decider.decide(withSource.withUri(URI.create("https://b.test/x")),
                TestResponse.status(401).header("WWW-Authenticate", "Basic realm=\"a.test\""), state);
        assertThat(((Decision.Fail) challenge).reason()).isEqualTo(FailureReason.CREDENTIALS_NOT_FOR_THIS_ORIGIN);
    }

    @Test
    void aPostRefusedFor401IsRepeatedWithFreshCredentialsButAStreamedOneIsNot() {
        RequestFacts post = Fixture.post("https://a.test/orders").withOriginCredentials(true);
        assertThat(fixture.decide(post, TestResponse.status(401))).isInstanceOf(Decision.RefreshCredentials.class);
        RequestFacts streamed = RequestFacts.of("POST", URI.create("https://a.test/orders"))
                .withBody(false, false).withOriginCredentials(true);
        assertThat(((Decision.Fail) fixture.decide(streamed, TestResponse.status(401))).reason())
                .isEqualTo(FailureReason.BODY_NOT_REPLAYABLE);
    }
}
