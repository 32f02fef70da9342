package io.statuspolicy.apache5;

import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.RawLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpMessage;

/** Header fields between HttpClient's messages and the engine's maps, both ways. */
final class Messages {
    /** HttpClient frames the body itself from the entity; a caller's copy of these would clash. */
    private static final java.util.Set<String> FRAMING = java.util.Set.of("content-length", "transfer-encoding");

    private Messages() {
    }

    /**
     * {@code URIUtils.extractHost(uri)}, without the {@code URIBuilder} it makes (which splits and
     * decodes the whole path: 18 % of the classic 200 path, asked twice per call) when the URI's
     * host is a plain name or IPv4 address; a bracketed IPv6 literal, or a host java.net.URI could
     * not read (an underscore in it, say), goes to {@code extractHost}. {@code MessagesTest}
     * compares the two.
     */
    static HttpHost hostOf(java.net.URI uri) {
        String host = uri.getHost();
        if (host == null || host.isBlank() || host.charAt(0) == '[') {
            return org.apache.hc.client5.http.utils.URIUtils.extractHost(uri);
        }
        try {
            return new HttpHost(uri.getScheme(), host, uri.getPort());
        } catch (IllegalArgumentException invalid) {
            return null; // as extractHost: no valid host
        }
    }

    /** The caller's fields, looked up by any case of their names (as {@code CallSpec} asks). */
    static Map<String, List<String>> requestFields(HttpMessage request) {
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : request.getHeaders()) {
            fields.computeIfAbsent(header.getName(), name -> new ArrayList<>(1)).add(header.getValue());
        }
        return fields;
    }

    /** Sets exactly the attempt's fields on {@code request}, but the framing ones HttpClient computes. */
    static void copyFields(Attempt attempt, HttpMessage request) {
        for (Map.Entry<String, List<String>> field : attempt.headers().entrySet()) {
            if (FRAMING.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : field.getValue()) {
                request.addHeader(field.getKey(), value);
            }
        }
    }

    /** A response's fields, names as received, in order. */
    static Map<String, List<String>> responseFields(HttpMessage response) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            String name = header.getName();
            List<String> values = null;
            for (Map.Entry<String, List<String>> entry : fields.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    values = entry.getValue();
                    break;
                }
            }
            if (values == null) {
                values = new ArrayList<>(1);
                fields.put(name, values);
            }
            values.add(header.getValue());
        }
        return Collections.unmodifiableMap(fields);
    }

    /** Every value of one field, any case of its name; a raw UTF-8 {@code Location} percent-encoded. */
    static List<String> values(HttpMessage response, String name) {
        Header[] headers = response.getHeaders(name);
        if (headers.length == 0) {
            return List.of();
        }
        List<String> values = new ArrayList<>(headers.length);
        boolean location = name.equalsIgnoreCase("Location");
        for (Header header : headers) {
            values.add(location ? RawLocation.encode(header.getValue()) : header.getValue());
        }
        return values;
    }

    /** Sets stored fields on a synthetic response. */
    static void setFields(HttpMessage message, Map<String, List<String>> fields) {
        fields.forEach((name, values) -> values.forEach(value -> message.addHeader(name, value)));
    }

    /** The content type a stored response names, or null. */
    static ContentType contentType(Map<String, List<String>> fields) {
        for (Map.Entry<String, List<String>> entry : fields.entrySet()) {
            if (entry.getKey().equalsIgnoreCase("Content-Type") && !entry.getValue().isEmpty()) {
                try {
                    return ContentType.parse(entry.getValue().get(0));
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
