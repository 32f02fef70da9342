package io.statuspolicy.apache5;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;

/**
 * A classic request's entity as the engine sees it: absent, replayable, or one-shot.
 *
 * <p>A repeatable entity ({@link HttpEntity#isRepeatable()}, HttpClient's own replay test) is
 * sent again as it is. Any other is read into memory up to a limit: within it, the bytes are sent
 * as a {@link ByteArrayEntity} with the caller's framing (chunked stays chunked until a server
 * answers 411); beyond it, the request goes out once, the bytes read so far followed by the rest
 * of the stream, and is never repeated.
 */
final class ClassicBody {
    static final ClassicBody NONE = new ClassicBody(null, null, true);

    private final HttpEntity entity;
    /** The bytes, when the entity was read into memory (or for the 411 resend). */
    private byte[] bytes;
    private final boolean replayable;

    private ClassicBody(HttpEntity entity, byte[] bytes, boolean replayable) {
        this.entity = entity;
        this.bytes = bytes;
        this.replayable = replayable;
    }

    /** Looks at the entity, reading it into memory when that is what makes it replayable. */
    static ClassicBody of(HttpEntity entity, long limit) throws IOException {
        if (entity == null) {
            return NONE;
        }
        if (entity.isRepeatable()) {
            return new ClassicBody(entity, null, true);
        }
        long length = entity.getContentLength();
        if (length > limit) {
            return new ClassicBody(entity, null, false);
        }
        InputStream source;
        try {
            source = entity.getContent();
        } catch (UnsupportedOperationException e) {
            return new ClassicBody(entity, null, false); // it can only write itself: once
        }
        ByteArrayOutputStream read = new ByteArrayOutputStream((int) Math.min(Math.max(length, 8192), limit + 1));
        byte[] chunk = new byte[8192];
        int n;
        while ((n = source.read(chunk, 0, (int) Math.min(chunk.length, limit + 1 - read.size()))) > 0) {
            read.write(chunk, 0, n);
            if (read.size() > limit) {
                // Too long to keep: sent once, whole, as the caller framed it.
                InputStream whole = new SequenceInputStream(new ByteArrayInputStream(read.toByteArray()), source);
                ContentType type = entity.getContentType() == null ? null : ContentType.parse(entity.getContentType());
                return new ClassicBody(new InputStreamEntity(whole, length, type, entity.getContentEncoding()),
                        null, false);
            }
        }
        source.close();
        return new ClassicBody(entity, read.toByteArray(), true);
    }

    boolean present() {
        return entity != null;
    }

    boolean replayable() {
        return replayable;
    }

    /** Whether the first attempt announces a Content-Length (otherwise it is chunked). */
    boolean lengthKnown() {
        return entity != null && !entity.isChunked() && entity.getContentLength() >= 0;
    }

    /** The entity for the next attempt; {@code withLength} forces a Content-Length (the 411 resend). */
    HttpEntity entity(boolean withLength) throws IOException {
        if (entity == null) {
            return null;
        }
        if (withLength && bytes == null && replayable && !lengthKnown()) {
            bytes = readAll(entity); // a repeatable entity of unknown length: its bytes, once
        }
        if (bytes == null) {
            return entity;
        }
        ContentType type = entity.getContentType() == null ? null : ContentType.parse(entity.getContentType());
        boolean chunked = !withLength && !lengthKnown();
        return new ByteArrayEntity(bytes, type, entity.getContentEncoding(), chunked);
    }

    private static byte[] readAll(HttpEntity entity) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entity.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                out.write(b, off, len);
            }
        });
        return out.toByteArray();
    }
}
