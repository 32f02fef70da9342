package io.statuspolicy.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.statuspolicy.config.RedisSettings;
import io.statuspolicy.engine.CircuitStore;
import io.statuspolicy.engine.HoldStore;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.RedirectStore;
import io.statuspolicy.engine.ResponseStore;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Host holds, learned redirects, stored responses and (on request) open circuits shared by a fleet
 * through one Redis (issue 12). Each store is a local in-memory mirror that every call reads and
 * writes; Redis is written behind it without waiting, and the other instances' mirrors are
 * updated through pub/sub, so a 503's {@code Retry-After} one instance receives holds the whole
 * fleet off within milliseconds.
 *
 * <pre>{@code
 * RedisStores redis = RedisStores.builder().uri("redis://redis.internal:6379").policy(policy)
 *         .listener(listener).build();
 * PolicyHttpClient client = PolicyHttpClient.builder().policy(policy)
 *         .holdStore(redis.holdStore()).redirectStore(redis.redirectStore())
 *         .responseStore(redis.responseStore()).build();
 * }</pre>
 *
 * <p><b>Redis is an optimisation, never a dependency.</b> No call waits on Redis longer than the
 * command timeout (default 50 ms), and only a local miss of the response store waits at all;
 * commands are rejected, not queued, while disconnected; after a failure Redis is skipped for
 * {@code skipFor} (default 30 s) and calls go on with the instance's own state; a
 * {@code StoreDegraded} event says so once per outage, a {@code StoreRecovered} when it ends. A
 * hold or an open circuit read from Redis is capped by the policy's {@code retryAfterCap} (or
 * {@code circuitBreaker.openFor}), so a poisoned entry cannot stall calls longer than the policy
 * allows. Key names are digests (no URI, no credential); every key has a TTL.
 *
 * <p>Retry budgets and the probe slot after a hold stay per instance. Thread-safe; one instance per
 * application; {@link #close()} it at shutdown.
 */
public final class RedisStores implements AutoCloseable {
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final CompletableFuture<Object> SKIPPED = CompletableFuture.failedFuture(
            new IllegalStateException("redis is skipped after a failure"));

    private final RedisClient client;
    private final boolean ownsClient;
    private final ClientResources ownResources;
    private final RedisURI uri;
    private final Keys keys;
    private final long timeoutMillis;
    private final long retryConnectMillis;
    private final Clock clock;
    private final Set<RedisSettings.Shared> share;
    private final StoreGuard guard;
    private final String sender = UUID.randomUUID().toString().substring(0, 8);
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, byte[]> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile boolean closed;

    private final RedisHoldStore holds;
    private final RedisRedirectStore redirects;
    private final RedisResponseStore responses;
    private final RedisCircuitStore circuits;

    private RedisStores(Builder builder) {
        this.uri = builder.uri;
        this.keys = new Keys(builder.keyPrefix);
        this.timeoutMillis = builder.commandTimeout.toMillis();
        this.clock = builder.clock;
        this.share = Set.copyOf(builder.share);
        this.retryConnectMillis = Math.max(100, Math.min(builder.skipFor.toMillis(), 2_000));
        this.guard = new StoreGuard("redis " + uri.getHost() + ":" + uri.getPort(), builder.skipFor.toMillis(),
                builder.listener, clock, this::resync);
        if (builder.client != null) {
            this.client = builder.client;
            this.ownsClient = false;
            this.ownResources = null;
        } else {
            ClientResources resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                    .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
                            TimeUnit.MILLISECONDS))
                    .build();
            this.ownResources = resources;
            this.client = RedisClient.create(resources);
            this.client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(10_000)
                    .timeoutOptions(TimeoutOptions.enabled(builder.commandTimeout))
                    .socketOptions(SocketOptions.builder().connectTimeout(builder.connectTimeout).build())
                    .build());
            this.ownsClient = true;
        }
        long maxHold = builder.policy.limits().retryAfterCap().toMillis();
        long maxOpen = builder.policy.limits().circuitBreaker().openFor().toMillis();
        this.holds = new RedisHoldStore(this, maxHold, builder.mirrorKeys);
        this.redirects = new RedisRedirectStore(this, builder.mirrorKeys);
        this.responses = new RedisResponseStore(this, builder.mirrorBytes, builder.maxEntryBytes,
                builder.responseTtl.toMillis(), builder.mirrorKeys);
        this.circuits = new RedisCircuitStore(this, maxOpen, builder.mirrorKeys);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "statuspolicy-redis-connect");
            thread.setDaemon(true);
            return thread;
        });
        connectSoon(0);
    }

    /** A builder with the defaults of {@link RedisSettings}; set {@link Builder#uri} or {@link Builder#client}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Stores as the policy file's {@code redis:} section says, for {@code policy} (whose
     * {@code retryAfterCap} caps the holds read from Redis), telling {@code listener} of outages.
     */
    public static RedisStores create(RedisSettings settings, Policy policy, PolicyListener listener) {
        return builder().settings(settings).policy(policy).listener(listener).build();
    }

    /** The shared host holds (503 per origin, 429 per origin and principal). */
    public HoldStore holdStore() {
        return holds;
    }

    /** The shared learned redirects (301, 308), keyed by URI and principal. */
    public RedirectStore redirectStore() {
        return redirects;
    }

    /** The shared stored responses (for conditional requests), keyed by URI and principal. */
    public ResponseStore responseStore() {
        return responses;
    }

    /** The shared open state of circuit breakers. */
    public CircuitStore circuitStore() {
        return circuits;
    }

    /** Which state {@link #applyTo} shares. */
    public Set<RedisSettings.Shared> shared() {
        return share;
    }

    /** Sets on {@code builder} the stores of the shared state ({@link Builder#share}); returns it. */
    public PolicyEngine.Builder applyTo(PolicyEngine.Builder builder) {
        if (share.contains(RedisSettings.Shared.HOLDS)) {
            builder.holdStore(holds);
        }
        if (share.contains(RedisSettings.Shared.REDIRECTS)) {
            builder.redirectStore(redirects);
        }
        if (share.contains(RedisSettings.Shared.RESPONSES)) {
            builder.responseStore(responses);
        }
        if (share.contains(RedisSettings.Shared.CIRCUITS)) {
            builder.circuitStore(circuits);
        }
        return builder;
    }

    /** Whether both connections (commands and pub/sub) are up and Redis is not being skipped. */
    public boolean connected() {
        StatefulRedisConnection<String, byte[]> c = commands;
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        return c != null && c.isOpen() && p != null && p.isOpen() && !guard.degraded();
    }

    /** Whether the stores made a Lettuce client of their own (false when given one with {@link Builder#client}). */
    public boolean ownsClient() {
        return ownsClient;
    }

    /** Whether Redis is being skipped after a failure (calls use local state only). */
    public boolean degraded() {
        return guard.degraded();
    }

    /** Closes the connections (and the client, unless it was given by {@link Builder#client}). */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        closeQuietly(pubsub);
        closeQuietly(commands);
        if (ownsClient) {
            try {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                ownResources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | java.util.concurrent.ExecutionException
                    | java.util.concurrent.TimeoutException ignored) {
                // shutting down
            }
        }
    }

    @Override
    public String toString() {
        return "RedisStores[" + guard.name() + ", share=" + share + (connected() ? "" : ", not connected") + "]";
    }

    // ---- for the stores ------------------------------------------------------------------

    Keys keys() {
        return keys;
    }

    Clock clock() {
        return clock;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    /** Whether a command would be sent now (connected, not skipped). */
    boolean usable() {
        StatefulRedisConnection<String, byte[]> c = commands;
        return c != null && guard.allows();
    }

    /**
     * Sends a command without waiting: the future fails at once when Redis is skipped or not
     * connected, and within the command timeout otherwise. Every outcome feeds the guard.
     */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> run(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        if (closed || !guard.allows()) {
            return (CompletableFuture<T>) SKIPPED;
        }
        StatefulRedisConnection<String, byte[]> c = commands;
        if (c == null || !c.isOpen()) {
            guard.failed(new IllegalStateException("not connected to " + uri.getHost() + ":" + uri.getPort()));
            connectSoon(0);
            return (CompletableFuture<T>) SKIPPED;
        }
        CompletableFuture<T> future;
        try {
            future = command.apply(c.async()).toCompletableFuture();
        } catch (RuntimeException e) {
            guard.failed(e);
            return CompletableFuture.failedFuture(e);
        }
        return future.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
            if (failure == null) {
                guard.succeeded();
            } else {
                guard.failed(failure);
            }
        });
    }

    /** Writes {@code value} under {@code key} unless Redis has a newer or equal version; publishes {@code message}. */
    void setIfNewer(String key, long version, byte[] value, long ttlMillis, String message) {
        run(c -> c.eval(Scripts.SET_IF_NEWER, ScriptOutputType.INTEGER, new String[] {key},
                bytes(Long.toString(version)), value, bytes(Long.toString(Math.max(1, ttlMillis))),
                bytes(keys.channel()), bytes(sender + " " + message)));
    }

    /** Deletes {@code key} unless Redis has a version newer than {@code version}; publishes {@code message}. */
    void deleteIfNotNewer(String key, long version, String message) {
        run(c -> c.eval(Scripts.DELETE_IF_NOT_NEWER, ScriptOutputType.INTEGER, new String[] {key},
                bytes(Long.toString(version)), bytes(keys.channel()), bytes(sender + " " + message)));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- connections, pub/sub and resynchronisation -------------------------------------------

    /** Connects in the background (never on a call's thread), retrying until both connections are up. */
    private void connectSoon(long delayMillis) {
        if (closed || !connecting.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            connecting.set(false);
        }
    }

    private void connect() {
        try {
            if (commands == null) {
                StatefulRedisConnection<String, byte[]> c = client.connect(CODEC, uri);
                c.setTimeout(Duration.ofMillis(timeoutMillis));
                commands = c;
            }
            if (pubsub == null) {
                StatefulRedisPubSubConnection<String, String> p = client.connectPubSub(StringCodec.UTF8, uri);
                p.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        receive(message);
                    }

                    @Override
                    public void subscribed(String channel, long count) {
                        resync(); // on the first subscription and again after every reconnect
                    }
                });
                p.async().subscribe(keys.channel());
                pubsub = p;
            }
            connecting.set(false);
            guard.succeeded();
        } catch (RuntimeException e) {
            guard.failed(e);
            connecting.set(false);
            connectSoon(retryConnectMillis);
        }
    }

    /** A message from another instance: {@code sender kind digest fields...}. */
    private void receive(String message) {
        try {
            String[] words = message.split(" ");
            if (words.length < 3 || words[0].equals(sender)) {
                return;
            }
            long now = clock.millis();
            switch (words[1]) {
                case "hold", "release" -> holds.received(words, now);
                case "redir", "forget" -> redirects.received(words, now);
                case "resp" -> responses.received(words);
                case "cb" -> circuits.received(words, now);
                default -> {
                    // a message of a later version: ignored
                }
            }
        } catch (RuntimeException malformed) {
            // another instance's message never breaks this one
        }
    }

    /**
     * After (re)subscribing or an outage: what this instance may have missed. Holds and open
     * circuits are read back with SCAN (they gate every call); redirects and responses are read on
     * the next local miss, once the miss memory is cleared.
     */
    private void resync() {
        redirects.outageEnded();
        responses.outageEnded();
        if (share.contains(RedisSettings.Shared.HOLDS)) {
            scan(keys.pattern("hold"), ScanCursor.INITIAL, 0, (key, value) -> holds.loaded(key, value));
        }
        if (share.contains(RedisSettings.Shared.CIRCUITS)) {
            scan(keys.pattern("cb"), ScanCursor.INITIAL, 0, (key, value) -> circuits.loaded(key, value));
        }
    }

    private void scan(String pattern, ScanCursor cursor, int round,
            java.util.function.BiConsumer<String, byte[]> apply) {
        if (round > 100) {
            return; // 100 x 500 keys: more than any mirror keeps
        }
        CompletableFuture<KeyScanCursor<String>> page = run(c -> c.scan(cursor, ScanArgs.Builder.matches(pattern)
                .limit(500)));
        page.thenAccept(found -> {
            for (String key : found.getKeys()) {
                run(c -> c.get(key)).thenAccept(value -> {
                    if (value != null) {
                        apply.accept(key, value);
                    }
                });
            }
            if (!found.isFinished()) {
                scan(pattern, found, round + 1, apply);
            }
        });
    }

    private static void closeQuietly(io.lettuce.core.api.StatefulConnection<?, ?> connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // closing
            }
        }
    }

    /**
     * Builds {@link RedisStores}. Defaults as {@link RedisSettings#of}: prefix {@code statuspolicy:},
     * 50 ms command timeout, 1 s connect timeout, 30 s skip after a failure, holds, redirects and
     * responses shared, responses kept 1 h in Redis and shared up to 256 KiB; mirrors of 10 000 keys
     * and 16 MiB of bodies; the guideline's caps; {@link PolicyEngine#monotonicClock()}, which must
     * be the engine's clock too. Not thread-safe.
     */
    public static final class Builder {
        private RedisURI uri;
        private RedisClient client;
        private String keyPrefix = RedisSettings.DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = RedisSettings.DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = RedisSettings.DEFAULT_CONNECT_TIMEOUT;
        private Duration skipFor = RedisSettings.DEFAULT_SKIP_FOR;
        private Set<RedisSettings.Shared> share = RedisSettings.DEFAULT_SHARE;
        private Duration responseTtl = RedisSettings.DEFAULT_RESPONSE_TTL;
        private int maxEntryBytes = RedisSettings.DEFAULT_MAX_ENTRY_BYTES;
        private long mirrorBytes = 16L * 1024 * 1024;
        private int mirrorKeys = 10_000;
        private Policy policy = Policy.guideline();
        private PolicyListener listener = PolicyListener.NONE;
        private Clock clock = PolicyEngine.monotonicClock();

        private Builder() {
        }

        /** Everything the settings say (the URI included). */
        public Builder settings(RedisSettings value) {
            uri(value.uri());
            keyPrefix = value.keyPrefix();
            commandTimeout = value.commandTimeout();
            connectTimeout = value.connectTimeout();
            skipFor = value.skipFor();
            share = value.share();
            responseTtl = value.responseTtl();
            maxEntryBytes = value.maxEntryBytes();
            return this;
        }

        /** The server, {@code redis://[[user]:password@]host[:port][/database]}. */
        public Builder uri(String value) {
            try {
                this.uri = RedisURI.create(Objects.requireNonNull(value, "uri"));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a Redis URI (redis://host:6379): "
                        + value.replaceFirst("^([A-Za-z-]+://)[^@/]*@", "$1***@"), e);
            }
            return this;
        }

        /** The server, as Lettuce's URI. */
        public Builder uri(RedisURI value) {
            this.uri = Objects.requireNonNull(value, "uri");
            return this;
        }

        /**
         * An application's own Lettuce client to connect with (not closed by {@link #close()}); its
         * options apply, so give it {@code DisconnectedBehavior.REJECT_COMMANDS} if you can. The
         * stores' own bound on every command applies either way.
         */
        public Builder client(RedisClient value) {
            this.client = Objects.requireNonNull(value, "client");
            return this;
        }

        public Builder keyPrefix(String value) {
            this.keyPrefix = Objects.requireNonNull(value, "keyPrefix");
            return this;
        }

        public Builder commandTimeout(Duration value) {
            this.commandTimeout = Objects.requireNonNull(value, "commandTimeout");
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Objects.requireNonNull(value, "connectTimeout");
            return this;
        }

        public Builder skipFor(Duration value) {
            this.skipFor = Objects.requireNonNull(value, "skipFor");
            return this;
        }

        /** Which state {@link RedisStores#applyTo} shares. */
        public Builder share(Set<RedisSettings.Shared> value) {
            this.share = value.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(value));
            return this;
        }

        public Builder responseTtl(Duration value) {
            this.responseTtl = Objects.requireNonNull(value, "responseTtl");
            return this;
        }

        public Builder maxEntryBytes(int value) {
            this.maxEntryBytes = value;
            return this;
        }

        /** The most bytes of response bodies the local mirror keeps (default 16 MiB). */
        public Builder mirrorBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("mirrorBytes must be at least 1, was " + value);
            }
            this.mirrorBytes = value;
            return this;
        }

        /** The most keys each local mirror keeps (default 10 000). */
        public Builder mirrorKeys(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("mirrorKeys must be at least 1, was " + value);
            }
            this.mirrorKeys = value;
            return this;
        }

        /** The policy whose {@code retryAfterCap} and {@code circuitBreaker.openFor} cap what is read. */
        public Builder policy(Policy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** Told of outages ({@code storeDegraded}, {@code storeRecovered}). */
        public Builder listener(PolicyListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** The engine's clock (holds and expiries are on it). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Builds the stores and starts connecting in the background: this never waits for Redis,
         * and succeeds while Redis is down (the stores are local until it answers).
         *
         * @throws IllegalArgumentException when a setting is out of range (the message names it)
         */
        public RedisStores build() {
            if (uri == null) {
                throw new IllegalArgumentException("no Redis URI: set uri(\"redis://host:6379\")");
            }
            // RedisSettings validates every bound with a message naming the setting.
            new RedisSettings(uri.toURI().toString(), keyPrefix, commandTimeout, connectTimeout, skipFor, share,
                    responseTtl, maxEntryBytes);
            return new RedisStores(this);
        }
    }
}
