package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Grade;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.HttpStatus;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Provenance;
import io.statuspolicy.policy.Rule;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Walks the whole guideline, row by row: the rule the policy holds for each status (handling,
 * grade, where it comes from) and what the decision function does with it for an idempotent
 * GET and for a POST without an Idempotency-Key. The expected values are transcribed from
 * GUIDELINE.md, not read from the code's table.
 *
 * <p>Every request carries fresh-able origin and proxy credentials, cache validators backed by
 * a stored copy, and a replayable body (POST); every 3xx carries {@code Location: /next}.
 */
class GuidelineTableTest {

    @ParameterizedTest(name = "{0}: {1} ({2}, {3}) GET -> {4}, POST -> {5}")
    @CsvSource(delimiter = '|', textBlock = """
            100 | INFORMATIONAL                | NOT_APPLICABLE | GUIDELINE | COMPLETE | COMPLETE
            103 | INFORMATIONAL                | NOT_APPLICABLE | GUIDELINE | COMPLETE | COMPLETE
            200 | SUCCEED                      | NOT_APPLICABLE | GUIDELINE | COMPLETE | COMPLETE
            201 | SUCCEED                      | NOT_APPLICABLE | GUIDELINE | COMPLETE | COMPLETE
            204 | SUCCEED                      | NOT_APPLICABLE | GUIDELINE | COMPLETE | COMPLETE
            299 | SUCCEED                      | NOT_APPLICABLE | GUIDELINE | COMPLETE | COMPLETE
            300 | NOT_USED                     | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_USED | FAIL NOT_USED
            301 | REDIRECT_PERMANENT           | NOT_APPLICABLE | GUIDELINE | FOLLOW GET permanent | FOLLOW GET permanent
            302 | REDIRECT_TEMPORARY           | NOT_APPLICABLE | GUIDELINE | FOLLOW GET temporary | FOLLOW GET temporary
            303 | REDIRECT_SEE_OTHER           | NOT_APPLICABLE | GUIDELINE | FOLLOW GET temporary | FOLLOW GET temporary
            304 | USE_CACHED_COPY              | NOT_APPLICABLE | GUIDELINE | CACHED | CACHED
            305 | NOT_USED                     | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_USED | FAIL NOT_USED
            306 | NOT_USED                     | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_USED | FAIL NOT_USED
            307 | REDIRECT_TEMPORARY           | NOT_APPLICABLE | GUIDELINE | FOLLOW GET temporary | FOLLOW POST temporary
            308 | REDIRECT_PERMANENT           | NOT_APPLICABLE | RFC       | FOLLOW GET permanent | FOLLOW POST permanent
            399 | NOT_USED                     | MUST_NOT_RETRY | RFC       | FAIL NOT_USED | FAIL NOT_USED
            400 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            401 | REFRESH_CREDENTIALS          | MAY_RETRY      | GUIDELINE | REFRESH ORIGIN | REFRESH ORIGIN
            402 | NOT_USED                     | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_USED | FAIL NOT_USED
            403 | REFRESH_CREDENTIALS          | MAY_RETRY      | GUIDELINE | REFRESH ORIGIN | REFRESH ORIGIN
            404 | AWAIT_RESOURCE               | MAY_RETRY      | GUIDELINE | FAIL NOT_AWAITED | FAIL NOT_AWAITED
            405 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            406 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            407 | REFRESH_PROXY_CREDENTIALS    | MAY_RETRY      | GUIDELINE | REFRESH PROXY | REFRESH PROXY
            408 | RETRY                        | SHALL_RETRY    | GUIDELINE | RETRY | RETRY
            409 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            410 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            411 | RESEND_WITH_CONTENT_LENGTH   | MAY_RETRY      | GUIDELINE | RESEND | RESEND
            412 | NOT_USED                     | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_USED | FAIL NOT_USED
            413 | RETRY_ONLY_AFTER_RETRY_AFTER | MAY_RETRY      | GUIDELINE | FAIL NO_RETRY_AFTER | FAIL NO_RETRY_AFTER
            414 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            415 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            416 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            417 | NOT_USED                     | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_USED | FAIL NOT_USED
            418 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            421 | RETRY                        | MAY_RETRY      | RFC       | RETRY | RETRY
            422 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            423 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            424 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            425 | RETRY                        | MAY_RETRY      | RFC       | RETRY | RETRY
            426 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            428 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            429 | RETRY                        | MAY_RETRY      | RFC       | RETRY | RETRY
            431 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            451 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            499 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            500 | RETRY                        | SHALL_RETRY    | GUIDELINE | RETRY | FAIL NOT_IDEMPOTENT
            501 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            502 | RETRY                        | MAY_RETRY      | GUIDELINE | RETRY | FAIL NOT_IDEMPOTENT
            503 | RETRY                        | SHALL_RETRY    | GUIDELINE | RETRY | FAIL NOT_IDEMPOTENT
            504 | RETRY                        | MAY_RETRY      | GUIDELINE | RETRY | FAIL NOT_IDEMPOTENT
            505 | FAIL                         | MUST_NOT_RETRY | GUIDELINE | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            506 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            507 | RETRY                        | MAY_RETRY      | RFC       | RETRY | FAIL NOT_IDEMPOTENT
            508 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            510 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            511 | FAIL                         | MUST_NOT_RETRY | RFC       | FAIL NOT_RETRYABLE | FAIL NOT_RETRYABLE
            599 | RETRY                        | SHALL_RETRY    | RFC       | RETRY | FAIL NOT_IDEMPOTENT
            """)
    void everyRowOfTheGuideline(int status, Handling handling, Grade grade, Provenance provenance, String forGet,
            String forPost) {
        Rule rule = Policy.guideline().rule(status);
        assertThat(rule.handling()).as("handling of %d", status).isEqualTo(handling);
        assertThat(rule.grade()).as("grade of %d", status).isEqualTo(grade);
        assertThat(rule.provenance()).as("provenance of %d", status).isEqualTo(provenance);
        assertThat(rule.description()).isNotBlank();
        assertThat(rule.descriptionSv()).isNotBlank();

        assertThat(summary(decide(status, request("GET")))).as("GET %d", status).isEqualTo(forGet);
        assertThat(summary(decide(status, request("POST")))).as("POST %d", status).isEqualTo(forPost);
    }

    @Test
    void everyRegisteredStatusHasARowAndEveryRowIsInTheTable() {
        Set<Integer> rows = new HashSet<>();
        for (Rule rule : Policy.guideline().rows()) {
            rows.add(rule.status());
        }
        for (int status = 300; status <= 599; status++) {
            boolean registered = HttpStatus.isRegistered(status) && !HttpStatus.reasonPhrase(status).equals("(Unused)");
            if (registered) {
                assertThat(rows).as("registered status %d has a row", status).contains(status);
            }
        }
        assertThat(rows).contains(306); // the guideline lists it, although it is unused
    }

    @Test
    void unknownStatusesAreHandledLikeTheX00OfTheirClass() {
        Policy policy = Policy.guideline();
        assertThat(policy.rule(299).handling()).isEqualTo(policy.rule(200).handling());
        assertThat(policy.rule(499).handling()).isEqualTo(policy.rule(400).handling());
        assertThat(policy.rule(599).handling()).isEqualTo(policy.rule(500).handling());
        assertThat(policy.rule(599).wholeClass()).isTrue();
        assertThat(new Fixture().decide(Fixture.get("https://a.test/x"), TestResponse.status(599)).explain())
                .startsWith("599 (unlisted, handled as 5xx): RFC 9110 §15 says retry (shall); attempt 2 of 4");
    }

    private static RequestFacts request(String method) {
        RequestFacts facts = RequestFacts.of(method, java.net.URI.create("https://a.test/cases/1"))
                .withOriginCredentials(true)
                .withProxyCredentials(true)
                .withConditional(Conditional.BY_CACHE, true);
        return method.equals("POST") ? facts.withBody(true, false) : facts;
    }

    private static Decision decide(int status, RequestFacts request) {
        TestResponse response = TestResponse.status(status);
        if (status >= 300 && status < 400) {
            response.header("Location", "/next");
        }
        return new Fixture().decide(request, response);
    }

    /** A short, comparable summary of a decision. */
    static String summary(Decision decision) {
        if (decision instanceof Decision.Complete) {
            return "COMPLETE";
        }
        if (decision instanceof Decision.FollowRedirect follow) {
            return "FOLLOW " + follow.method() + (follow.permanent() ? " permanent" : " temporary");
        }
        if (decision instanceof Decision.UseCachedCopy) {
            return "CACHED";
        }
        if (decision instanceof Decision.Retry) {
            return "RETRY";
        }
        if (decision instanceof Decision.RefreshCredentials refresh) {
            return "REFRESH " + refresh.target();
        }
        if (decision instanceof Decision.ResendWithContentLength) {
            return "RESEND";
        }
        return "FAIL " + ((Decision.Fail) decision).reason();
    }
}
