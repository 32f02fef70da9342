package io.statuspolicy.apache5;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;

/**
 * An async request's entity producer as the engine sees it. A repeatable producer
 * ({@link AsyncEntityProducer#isRepeatable()}) is reset with {@code releaseResources()} before it
 * is sent again, as HttpClient's own retry and redirect execs do; any other is one-shot (reading
 * an async producer ahead would mean consuming it). For the 411 resend a repeatable producer of
 * unknown length is read into memory once and sent as bytes with a {@code Content-Length}.
 */
final class AsyncBody {
    private final AsyncEntityProducer producer;
    private boolean sent;
    private byte[] bytes;

    AsyncBody(AsyncEntityProducer producer) {
        this.producer = producer;
    }

    boolean present() {
        return producer != null;
    }

    boolean replayable() {
        return producer != null && producer.isRepeatable();
    }

    boolean lengthKnown() {
        return producer != null && !producer.isChunked() && producer.getContentLength() >= 0;
    }

    /** The producer for the next attempt; {@code withLength} forces a Content-Length (the 411 resend). */
    AsyncEntityProducer producer(boolean withLength) throws IOException {
        if (producer == null) {
            return null;
        }
        if (withLength && !lengthKnown() && replayable()) {
            if (bytes == null) {
                bytes = drain();
            }
            return new BasicAsyncEntityProducer(bytes, contentType());
        }
        if (sent && producer.isRepeatable()) {
            producer.releaseResources(); // rewinds a repeatable producer
        }
        sent = true;
        return producer;
    }

    /** Reads a repeatable producer to its end, once, where it produces without waiting for data. */
    private byte[] drain() throws IOException {
        producer.releaseResources();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean[] ended = new boolean[1];
        DataStreamChannel collect = new DataStreamChannel() {
            @Override
            public void requestOutput() {
            }

            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                byte[] chunk = new byte[n];
                src.get(chunk);
                out.write(chunk, 0, n);
                return n;
            }

            @Override
            public void endStream(List<? extends Header> trailers) {
                ended[0] = true;
            }

            @Override
            public void endStream() {
                ended[0] = true;
            }
        };
        int idle = 0;
        while (!ended[0]) {
            int before = out.size();
            producer.produce(collect);
            idle = out.size() == before ? idle + 1 : 0;
            if (idle > 2) {
                throw new IOException("the request body producer does not produce its content at once, so it "
                        + "cannot be resent with a Content-Length");
            }
        }
        producer.releaseResources();
        return out.toByteArray();
    }

    private ContentType contentType() {
        try {
            return producer.getContentType() == null ? null : ContentType.parse(producer.getContentType());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
