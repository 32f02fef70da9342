package io.statuspolicy.benchmarks.overhead;

import java.net.http.HttpResponse;

/** The one retry predicate every contender uses: 429 and 503 are retried as results. */
final class Statuses {
    private Statuses() {
    }

    static boolean retryable(HttpResponse<?> response) {
        int status = response.statusCode();
        return status == 429 || status == 503;
    }
}
