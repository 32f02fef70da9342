package io.statuspolicy.apache5;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.Outcome;
import io.statuspolicy.testing.conformance.TestRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/** What the classic and the async conformance clients share: the engine from the settings, options, outcomes. */
final class TestSupport {
    private TestSupport() {
    }

    static PolicyEngine engine(ClientSettings settings) {
        return settings.engine().build();
    }

    static CallOptions options(TestRequest request) {
        return request.options();
    }

    static Outcome outcome(HttpResponse response, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            headers.computeIfAbsent(header.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(header.getValue());
        }
        return Outcome.response(response.getCode(), headers, body == null ? new byte[0] : body);
    }

    static Outcome failure(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof PolicyException policy) {
            return Outcome.failure(policy, policy.category(), policy.lastStatus(), false);
        }
        return Outcome.failure(cause, null, 0, false);
    }
}
