package io.statuspolicy.decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A response's facts for tests: a status and header lines, names matched without case. */
final class TestResponse implements ResponseFacts {
    private final int status;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();

    private TestResponse(int status) {
        this.status = status;
    }

    static TestResponse status(int status) {
        return new TestResponse(status);
    }

    TestResponse header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), ignored -> new ArrayList<>()).add(value);
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}
