package io.statuspolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Broken policy files: each must fail with the right position, key, expectation and finding. */
class PolicyFileErrorsTest {

    /**
     * One broken file.
     *
     * @param name     what is wrong
     * @param yaml     the file
     * @param line     1-based
     * @param column   1-based
     * @param key      the dotted path
     * @param expected a part of {@link PolicyFileException#expected()}
     * @param found    {@link PolicyFileException#found()} exactly, or a part of it for syntax errors
     */
    record Case(String name, String yaml, int line, int column, String key, String expected, String found) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("bad YAML syntax", "limits:\n  maxAttempts: 3\n    deadline: 2m\n",
                        3, 13, "", "valid YAML", "mapping values are not allowed here"),
                new Case("control character", "limits:\n  maxAttempts: \u0001\n",
                        2, 16, "", "valid YAML", "a character YAML does not allow (U+0001)"),
                new Case("unclosed flow mapping", "limits:\n  backoff: { jitter: 0.1\nrules: {}\n",
                        3, 6, "", "valid YAML", "a syntax error"),
                new Case("unknown top-level key", "limitz:\n  maxAttempts: 3\n",
                        1, 1, "limitz", "one of the keys limits, redirectSafety, rules, routes, redis", "\"limitz\""),
                new Case("unknown limits key", "limits:\n  maxAtempts: 3\n",
                        2, 3, "limits.maxAtempts", "maxAttempts, backoff, retryAfterCap", "\"maxAtempts\""),
                new Case("unknown rule field", "rules:\n  \"404\": { grad: SHALL_RETRY }\n",
                        2, 12, "rules.404.grad", "one of the keys handling, grade, description", "\"grad\""),
                new Case("list where a number belongs", "limits:\n  maxAttempts: [1, 2]\n",
                        2, 16, "limits.maxAttempts", "a whole number >= 1", "a list"),
                new Case("word where a number belongs", "limits:\n  maxAttempts: three\n",
                        2, 16, "limits.maxAttempts", "a whole number >= 1", "\"three\""),
                new Case("scalar where a section belongs", "limits: 5\n",
                        1, 9, "limits", "a mapping with the keys maxAttempts", "\"5\""),
                new Case("missing value", "limits:\n  deadline:\n",
                        2, 12, "limits.deadline", "a duration such as 500ms", "nothing"),
                new Case("negative duration", "limits:\n  deadline: -5s\n",
                        2, 13, "limits.deadline", "a duration that is not negative", "\"-5s\""),
                new Case("bad duration text", "limits:\n  retryAfterCap: 5 sec\n",
                        2, 18, "limits.retryAfterCap", "a duration such as 500ms, 2s", "\"5 sec\""),
                new Case("zero deadline, refused by the core", "limits:\n  deadline: 0s\n",
                        2, 13, "limits.deadline", "deadline must be positive", "\"0s\""),
                new Case("multiplier 0.5", "limits:\n  backoff: { multiplier: 0.5 }\n",
                        2, 26, "limits.backoff.multiplier", "backoff multiplier must be a finite number >= 1",
                        "\"0.5\""),
                new Case("jitter 2", "limits:\n  backoff:\n    jitter: 2\n",
                        3, 13, "limits.backoff.jitter", "backoff jitter must be between 0 and 1", "\"2\""),
                new Case("maxDelay below initialDelay", "limits:\n  backoff: { initialDelay: 2s, maxDelay: 1s }\n",
                        2, 42, "limits.backoff.maxDelay", "must not be below initialDelay", "\"1s\""),
                new Case("budget window too short", "limits:\n  retryBudget: { window: 10ms }\n",
                        2, 26, "limits.retryBudget.window", "window must be between 1 s and 1 h", "\"10ms\""),
                new Case("budget credit negative", "limits:\n  retryBudget: { credit: -1 }\n",
                        2, 26, "limits.retryBudget.credit", "credit must be between 0 and 1000", "\"-1\""),
                new Case("breaker failures 0", "limits:\n  circuitBreaker: { failures: 0 }\n",
                        2, 31, "limits.circuitBreaker.failures", "failures must be between 1 and 10000", "\"0\""),
                new Case("breaker openFor 2h", "limits:\n  circuitBreaker: { openFor: 2h }\n",
                        2, 30, "limits.circuitBreaker.openFor", "openFor must be between 1 ms and 1 h", "\"2h\""),
                new Case("hostHolds not a boolean", "limits:\n  hostHolds: sometimes\n",
                        2, 14, "limits.hostHolds", "true or false", "\"sometimes\""),
                new Case("not a boolean", "redirectSafety:\n  allowHttpsToHttp: yes\n",
                        2, 21, "redirectSafety.allowHttpsToHttp", "true or false", "\"yes\""),
                new Case("status 600", "rules:\n  \"600\": { handling: FAIL }\n",
                        2, 3, "rules.600", "a status from 100 to 599, a class from 1xx to 5xx, or transport",
                        "\"600\""),
                new Case("status abc", "rules:\n  abc: { handling: FAIL }\n",
                        2, 3, "rules.abc", "a status from 100 to 599", "\"abc\""),
                new Case("unknown handling", "rules:\n  \"503\": { handling: RETRY_FOREVER }\n",
                        2, 22, "rules.503.handling", "one of INFORMATIONAL, SUCCEED,", "\"RETRY_FOREVER\""),
                new Case("keepRows on a status", "rules:\n  \"404\": { keepRows: true }\n",
                        2, 12, "rules.404.keepRows", "one of the keys handling, grade", "\"keepRows\""),
                new Case("keepRows not a boolean", "rules:\n  4xx: { keepRows: sometimes }\n",
                        2, 20, "rules.4xx.keepRows", "true or false", "\"sometimes\""),
                new Case("negative maxRetries", "rules:\n  \"429\": { maxRetries: -1 }\n",
                        2, 24, "rules.429.maxRetries", "a whole number >= 0 or policy", "\"-1\""),
                new Case("blank description, refused by the core", "rules:\n  \"404\": { description: \"  \" }\n",
                        2, 25, "rules.404.description", "needs an English description", "\"  \""),
                new Case("misspelt class-rule", "rules:\n  \"402\": classrule\n",
                        2, 10, "rules.402", "or class-rule", "\"classrule\""),
                new Case("bad route text", "routes:\n  - route: \"cases\"\n",
                        2, 12, "routes[0].route", "must look like \"GET /cases/{id}\"", "\"cases\""),
                new Case("route without route", "routes:\n  - route: GET /a\n  - limits: { maxAttempts: 2 }\n",
                        3, 5, "routes[1].route", "a route such as \"GET /cases/{id}\"", "nothing"),
                new Case("error inside a route's rules",
                        "routes:\n  - route: GET /x\n    rules:\n      \"404\": { grade: sometimes }\n",
                        4, 23, "routes[0].rules.404.grade", "one of SHALL_RETRY, MAY_RETRY", "\"sometimes\""),
                new Case("routes not a list", "routes:\n  route: GET /x\n",
                        2, 3, "routes", "a list of routes", "a mapping"),
                new Case("duplicate key", "limits:\n  maxAttempts: 3\n  maxAttempts: 4\n",
                        3, 3, "limits.maxAttempts", "each key once (\"maxAttempts\" is already at line 2, column 3)",
                        "a second \"maxAttempts\""),
                new Case("duplicate status with and without quotes", "rules:\n  404: {}\n  \"404\": {}\n",
                        3, 3, "rules.404", "each key once", "a second \"404\""),
                new Case("top-level list", "- limits\n- rules\n",
                        1, 1, "", "a mapping with the keys limits, redirectSafety, rules, routes, redis", "a list"),
                new Case("top-level text", "just some words\n",
                        1, 1, "", "a mapping with the keys limits", "\"just some words\""),
                new Case("two documents", "limits: {}\n---\nrules: {}\n",
                        2, 1, "", "valid YAML", "a syntax error"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBrokenFileNamesWhereAndWhat(Case c) {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> PolicyFile.read(c.yaml(), "policy.yaml"));

        assertThat(e).as("%s must fail", c.name()).isNotNull();
        assertThat(e.source()).isEqualTo("policy.yaml");
        assertThat(e.line()).as("line").isEqualTo(c.line());
        assertThat(e.column()).as("column").isEqualTo(c.column());
        assertThat(e.key()).as("key").isEqualTo(c.key());
        assertThat(e.expected()).as("expected").contains(c.expected());
        assertThat(e.found()).as("found").contains(c.found());
        String where = "policy.yaml:" + c.line() + ":" + c.column() + ": ";
        assertThat(e.getMessage()).startsWith(where + (c.key().isEmpty() ? "" : c.key() + ": ") + "expected ")
                .contains(e.expected()).contains(c.expected())
                .endsWith(", found " + e.found());
    }

    @Test
    void theMessageReadsLikeACompilerError() {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class, () -> PolicyFile.read("""
                # our policy
                limits:
                  maxAttempts: three
                """, "policy.yaml"));
        assertThat(e.getMessage())
                .isEqualTo("policy.yaml:3:16: limits.maxAttempts: expected a whole number >= 1, found \"three\"");
    }

    @Test
    void aCoreRefusalKeepsTheCoreMessageAsExpectedAndTheCoreExceptionAsCause() {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> PolicyFile.read("limits:\n  maxAttempts: 0\n", "p.yaml"));
        assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.expected()).isEqualTo(e.getCause().getMessage());
        assertThat(e.getMessage()).isEqualTo("p.yaml:2:16: limits.maxAttempts: expected "
                + e.getCause().getMessage() + ", found \"0\"");
    }

    @Test
    void aSyntaxErrorKeepsTheEngineExceptionOnlyAsCause() {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> PolicyFile.read("rules: [\n", "<stdin>"));
        assertThat(e.source()).isEqualTo("<stdin>");
        assertThat(e.getCause()).isInstanceOf(org.snakeyaml.engine.v2.exceptions.YamlEngineException.class);
        assertThat(e.getMessage()).startsWith("<stdin>:" + e.line() + ":" + e.column() + ": expected valid YAML");
    }
}
