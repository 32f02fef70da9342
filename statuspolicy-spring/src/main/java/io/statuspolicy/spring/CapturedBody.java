package io.statuspolicy.spring;

import io.statuspolicy.engine.Attempt;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebClient request body, written once into memory before the first attempt (with the
 * WebClient's own message writers, so it is encoded as it would be sent), up to a limit:
 *
 * <ul>
 *   <li>within the limit, every attempt sends the same bytes, in the same pieces: replayable;
 *       its length is known when the writer set a {@code Content-Length} (a value, a
 *       {@code Mono}) and unknown when it did not (a {@code Flux}: sent chunked, the 411 case);</li>
 *   <li>past the limit, the bytes read so far and then the rest of the caller's publisher, on
 *       the same subscription: sent once. The engine is told it cannot be sent again, and a
 *       second use fails rather than sending anything.</li>
 * </ul>
 *
 * The headers the writer set ({@code Content-Type}, {@code Content-Length}) are kept and become
 * the call's, so the engine's per-hop rules see them.
 */
final class CapturedBody {
    static final CapturedBody NONE = new CapturedBody(false, List.of(), 0, null, new HttpHeaders());

    private final boolean present;
    private final List<byte[]> chunks;
    private final long size;
    private final BodyPrefix overflow;
    private final HttpHeaders written;
    private final AtomicBoolean sent = new AtomicBoolean();

    private CapturedBody(boolean present, List<byte[]> chunks, long size, BodyPrefix overflow, HttpHeaders written) {
        this.present = present;
        this.chunks = chunks;
        this.size = size;
        this.overflow = overflow;
        this.written = written;
    }

    /** Writes {@code request}'s body into memory, up to {@code limit} bytes; no body is {@link #NONE}. */
    static Mono<CapturedBody> capture(ClientRequest request, Supplier<List<HttpMessageWriter<?>>> writers, long limit) {
        if (request.body() == BodyInserters.empty()) {
            return Mono.just(NONE);
        }
        return Mono.defer(() -> {
            Capture target = new Capture(request, limit);
            BodyInserter.Context context = new BodyInserter.Context() {
                @Override
                public List<HttpMessageWriter<?>> messageWriters() {
                    return writers.get();
                }

                @Override
                public Optional<ServerHttpRequest> serverRequest() {
                    return Optional.empty();
                }

                @Override
                public Map<String, Object> hints() {
                    return Map.of();
                }
            };
            return request.body().insert(target, context)
                    .then(Mono.defer(target::result))
                    .doOnCancel(target::cancel)
                    .doOnError(e -> target.cancel());
        });
    }

    boolean present() {
        return present;
    }

    /** Whether every attempt can send it again. */
    boolean replayable() {
        return overflow == null;
    }

    /** Whether its length is known before it is sent (the writer set a Content-Length). */
    boolean lengthKnown() {
        return written.getContentLength() >= 0;
    }

    /** The caller's header fields, with those the writer set. */
    HttpHeaders headers() {
        return written;
    }

    /** The body's inserter for one attempt. */
    BodyInserter<?, ? super ClientHttpRequest> inserter(Attempt attempt) {
        if (!present || !attempt.hasBody()) {
            return BodyInserters.empty();
        }
        boolean withLength = attempt.body() == Attempt.BodyMode.WITH_CONTENT_LENGTH;
        return (message, context) -> {
            if (overflow != null) {
                if (!sent.compareAndSet(false, true)) {
                    return Mono.error(new IllegalStateException("the request body was read from a publisher "
                            + "larger than the capture limit and was already sent: it cannot be sent again"));
                }
                List<DataBuffer> prefix = overflow.takePieces();
                return message.writeWith(Flux.concat(Flux.fromIterable(prefix), overflow.rest()));
            }
            if (withLength) {
                message.getHeaders().setContentLength(size);
            }
            DataBufferFactory factory = message.bufferFactory();
            if (withLength || lengthKnown()) {
                byte[] whole = join();
                return message.writeWith(Mono.fromSupplier(() -> factory.wrap(whole)));
            }
            // Unknown length: a stream of pieces, as the caller's publisher was, sent chunked.
            return message.writeWith(Flux.fromIterable(chunks).map(factory::wrap));
        };
    }

    private byte[] join() {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        byte[] whole = new byte[(int) size];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, whole, at, chunk.length);
            at += chunk.length;
        }
        return whole;
    }

    /** The call is over: a body past the limit that was never sent stops its publisher. */
    void release() {
        if (overflow != null && sent.compareAndSet(false, true)) {
            overflow.cancel();
        }
    }

    /** The request the caller's inserter writes into: it keeps the headers it sets and the bytes. */
    private static final class Capture implements ClientHttpRequest {
        private final ClientRequest request;
        private final long limit;
        private final HttpHeaders headers = new HttpHeaders();
        private final MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private volatile BodyPrefix prefix;
        private volatile boolean completed;

        Capture(ClientRequest request, long limit) {
            this.request = request;
            this.limit = limit;
            request.headers().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            attributes.putAll(request.attributes());
        }

        Mono<CapturedBody> result() {
            BodyPrefix read = prefix;
            if (read == null) { // setComplete(), or an inserter that wrote nothing
                return Mono.just(new CapturedBody(true, List.of(), 0, null, headers));
            }
            if (read.ended()) {
                long size = read.size();
                return Mono.just(new CapturedBody(true, read.chunks(), size, null, headers));
            }
            return Mono.just(new CapturedBody(true, List.of(), read.size(), read, headers));
        }

        void cancel() {
            BodyPrefix read = prefix;
            if (read != null) {
                read.cancel();
            }
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return Mono.defer(() -> {
                BodyPrefix read = BodyPrefix.read(body, limit);
                prefix = read;
                return Mono.fromFuture(read.done(), true).then();
            });
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return writeWith(Flux.from(body).concatMap(Flux::from));
        }

        @Override
        public Mono<Void> setComplete() {
            completed = true;
            return Mono.empty();
        }

        @Override
        public HttpMethod getMethod() {
            return request.method();
        }

        @Override
        public URI getURI() {
            return request.url();
        }

        @Override
        public MultiValueMap<String, HttpCookie> getCookies() {
            return cookies;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getNativeRequest() {
            return (T) this;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public DataBufferFactory bufferFactory() {
            return DefaultDataBufferFactory.sharedInstance;
        }

        @Override
        public void beforeCommit(Supplier<? extends Mono<Void>> action) {
            // nothing is committed: this request is never sent
        }

        @Override
        public boolean isCommitted() {
            return completed;
        }
    }
}
