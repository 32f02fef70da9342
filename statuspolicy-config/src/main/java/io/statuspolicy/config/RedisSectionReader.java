package io.statuspolicy.config;

import static io.statuspolicy.config.NodeReader.describe;
import static io.statuspolicy.config.NodeReader.isNull;

import io.statuspolicy.config.NodeReader.Entry;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the {@code redis:} section of a policy file into {@link RedisSettings}; every refused
 * value is a {@link PolicyFileException} at the node that gave it, as for the policy's own
 * sections. One instance reads one text; not thread-safe.
 */
final class RedisSectionReader {
    static final List<String> REDIS_KEYS = List.of("uri", "keyPrefix", "commandTimeout", "connectTimeout", "skipFor",
            "share", "responseTtl", "maxEntryBytes");
    private static final String SHARE_EXPECTED = "a list of holds, redirects, responses, circuits";

    private final NodeReader nodes;

    private RedisSectionReader(String source) {
        this.nodes = new NodeReader(source);
    }

    static Optional<RedisSettings> read(String yaml, String source) {
        return new RedisSectionReader(source).readDocument(yaml);
    }

    private Optional<RedisSettings> readDocument(String yaml) {
        Optional<Node> root = nodes.compose(yaml);
        if (root.isEmpty() || isNull(root.get())) {
            return Optional.empty();
        }
        Entry section = nodes.entries(root.get(), "", PolicyReader.TOP_KEYS).get("redis");
        if (section == null || isNull(section.value())) {
            return Optional.empty();
        }
        Map<String, Entry> entries = nodes.entries(section.value(), section.path(), REDIS_KEYS);
        Entry uri = entries.get("uri");
        if (uri == null) {
            throw nodes.error(section.value(), section.path() + ".uri", "a uri such as redis://host:6379",
                    "no uri", null);
        }
        RedisSettings settings = checked(uri, () -> RedisSettings.of(nodes.scalar(uri, "a uri such as redis://host:6379")));
        for (Entry entry : entries.values()) {
            RedisSettings current = settings;
            settings = switch (entry.name()) {
                case "uri" -> current;
                case "keyPrefix" -> checked(entry, () -> current.withKeyPrefix(nodes.scalar(entry, "a key prefix")));
                case "commandTimeout" -> checked(entry, () -> current.withCommandTimeout(nodes.duration(entry)));
                case "skipFor" -> checked(entry, () -> current.withSkipFor(nodes.duration(entry)));
                case "connectTimeout" -> checked(entry, () -> new RedisSettings(current.uri(), current.keyPrefix(),
                        current.commandTimeout(), nodes.duration(entry), current.skipFor(), current.share(),
                        current.responseTtl(), current.maxEntryBytes()));
                case "responseTtl" -> checked(entry, () -> new RedisSettings(current.uri(), current.keyPrefix(),
                        current.commandTimeout(), current.connectTimeout(), current.skipFor(), current.share(),
                        nodes.duration(entry), current.maxEntryBytes()));
                case "maxEntryBytes" -> checked(entry, () -> new RedisSettings(current.uri(), current.keyPrefix(),
                        current.commandTimeout(), current.connectTimeout(), current.skipFor(), current.share(),
                        current.responseTtl(), nodes.wholeNumber(entry, "a whole number of bytes from 0 to 67108864")));
                case "share" -> current.withShare(share(entry));
                default -> throw new IllegalStateException(entry.name()); // entries() allowed only REDIS_KEYS
            };
        }
        return Optional.of(settings);
    }

    private Set<RedisSettings.Shared> share(Entry entry) {
        if (!(entry.value() instanceof SequenceNode list)) {
            throw nodes.error(entry.value(), entry.path(), SHARE_EXPECTED, describe(entry.value()), null);
        }
        Set<RedisSettings.Shared> shared = EnumSet.noneOf(RedisSettings.Shared.class);
        for (Node item : list.getValue()) {
            String name = item instanceof ScalarNode scalar && !isNull(item) ? scalar.getValue() : null;
            RedisSettings.Shared state = null;
            if (name != null) {
                try {
                    state = RedisSettings.Shared.valueOf(name.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException unknown) {
                    state = null;
                }
            }
            if (state == null) {
                throw nodes.error(item, entry.path(), SHARE_EXPECTED, describe(item), null);
            }
            shared.add(state);
        }
        return shared;
    }

    /** The value {@code make} builds, or the error at {@code entry} when RedisSettings refuses it. */
    private RedisSettings checked(Entry entry, java.util.function.Supplier<RedisSettings> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException refused) {
            throw nodes.error(entry.value(), entry.path(), refused.getMessage(), describe(entry.value()), refused);
        }
    }
}
