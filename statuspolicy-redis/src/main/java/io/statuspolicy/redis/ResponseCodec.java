package io.statuspolicy.redis;

import io.statuspolicy.engine.CachedResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CachedResponse} as a Redis value: its storage time in decimal digits and a line feed
 * (the version the scripts compare), then a format byte, the status, the URI, the header fields
 * and the body. A value that does not read back is treated as absent, never as an error.
 */
final class ResponseCodec {
    private static final int FORMAT = 1;
    /** Bounds on what a value read from Redis may claim, so a poisoned entry cannot exhaust memory. */
    private static final int MAX_FIELDS = 1000;

    private ResponseCodec() {
    }

    static byte[] encode(CachedResponse response) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + response.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write((response.storedAtMillis() + "\n").getBytes(StandardCharsets.US_ASCII));
            out.writeByte(FORMAT);
            out.writeShort(response.status());
            writeText(out, response.uri().toString());
            out.writeInt(response.headers().size());
            for (Map.Entry<String, List<String>> field : response.headers().entrySet()) {
                writeText(out, field.getKey());
                out.writeInt(field.getValue().size());
                for (String value : field.getValue()) {
                    writeText(out, value);
                }
            }
            byte[] body = response.body();
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** The response, or null when {@code value} is not one this format reads. */
    static CachedResponse decode(byte[] value, int maxBytes) {
        if (value == null || value.length > maxBytes) {
            return null;
        }
        int newline = indexOf(value, (byte) '\n');
        if (newline <= 0 || newline > 19) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, newline + 1,
                value.length - newline - 1))) {
            long storedAt = Long.parseLong(new String(value, 0, newline, StandardCharsets.US_ASCII));
            if (in.readByte() != FORMAT) {
                return null;
            }
            int status = in.readShort();
            URI uri = URI.create(readText(in, value.length));
            int fields = in.readInt();
            if (fields < 0 || fields > MAX_FIELDS) {
                return null;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 0; i < fields; i++) {
                String name = readText(in, value.length);
                int count = in.readInt();
                if (count < 0 || count > MAX_FIELDS) {
                    return null;
                }
                List<String> values = new ArrayList<>(count);
                for (int j = 0; j < count; j++) {
                    values.add(readText(in, value.length));
                }
                headers.put(name, values);
            }
            int length = in.readInt();
            if (length < 0 || length > value.length) {
                return null;
            }
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                return null;
            }
            return new CachedResponse(uri, status, headers, body, storedAt);
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(DataInputStream in, int bound) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > bound) {
            throw new IOException("a text of " + length + " bytes in a value of " + bound);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("truncated");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < Math.min(bytes.length, 21); i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
