package io.statuspolicy.apache5;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.engine.RedirectStore;
import io.statuspolicy.engine.ResponseStore;
import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.Outcome;
import io.statuspolicy.testing.conformance.TestCredentials;
import io.statuspolicy.testing.conformance.TestRequest;
import java.net.URI;
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
        PolicyEngine.Builder builder = PolicyEngine.builder()
                .policy(settings.policy())
                .clock(settings.clock())
                .sleeper(settings.sleeper())
                .random(settings.random());
        if (settings.listener() != null) {
            builder.listener(settings.listener());
        }
        if (settings.credentials() != null) {
            builder.credentials(adapt(settings.credentials()));
        }
        if (settings.stateDirectory() != null) {
            builder.redirectStore(RedirectStore.file(settings.stateDirectory().resolve("redirects.properties"), 1000));
            builder.responseStore(ResponseStore.directory(settings.stateDirectory().resolve("responses"), 1 << 26));
        } else if (settings.responseCache()) {
            builder.responseStore(ResponseStore.inMemory(1 << 24));
        }
        return builder.build();
    }

    private static CredentialSource adapt(TestCredentials credentials) {
        return new CredentialSource() {
            @Override
            public String current(URI uri) {
                return credentials.current();
            }

            @Override
            public String refresh(URI uri, String refused) {
                return credentials.refresh(refused);
            }
        };
    }

    static CallOptions options(TestRequest request) {
        CallOptions options = CallOptions.DEFAULT.withRetrySafe(request.retrySafe());
        if (request.awaitResource() != null) {
            options = options.withAwaitResource(request.awaitResource());
        }
        if (request.deadline() != null) {
            options = options.withDeadline(request.deadline());
        }
        return options;
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
