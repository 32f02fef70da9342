package io.statuspolicy.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The YAML side of reading a policy file: composes the text into SnakeYAML Engine nodes (each
 * with its line and column), walks mappings and scalars, and turns every problem into a
 * {@link PolicyFileException} at the node responsible. It knows nothing about policies; that is
 * {@link PolicyReader}'s part.
 *
 * <p>One instance per source; not thread-safe.
 */
final class NodeReader {

    private final String source;

    NodeReader(String source) {
        this.source = source;
    }

    Optional<Node> compose(String yaml) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false) // composing does not check; entries() does, with positions
                .setParseComments(false)
                .setUseMarks(true)
                .build();
        try {
            return new Compose(settings).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw new PolicyFileException(source, mark.map(m -> m.getLine() + 1).orElse(0),
                    mark.map(m -> m.getColumn() + 1).orElse(0), "", "valid YAML",
                    "a syntax error: " + problem, e);
        } catch (ReaderException e) {
            int[] where = lineAndColumn(yaml, e.getPosition());
            throw new PolicyFileException(source, where[0], where[1], "", "valid YAML",
                    String.format("a character YAML does not allow (U+%04X)", e.getCodePoint()), e);
        } catch (RuntimeException e) {
            // The engine's other exceptions carry no position (e.g. a document over the size limit).
            throw new PolicyFileException(source, 0, 0, "", "valid YAML", "an error: " + e.getMessage(), e);
        }
    }

    /** The 1-based line and column of a code point index in the text. */
    private static int[] lineAndColumn(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int index = 0;
        for (int i = 0; i < text.length() && index < codePointIndex; index++) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    // ---------------------------------------------------------------- mappings and scalars

    /**
     * One key and its value.
     *
     * @param name  the key's text
     * @param path  the dotted path to it, for messages
     * @param key   the key node
     * @param value the value node
     */
    record Entry(String name, String path, Node key, Node value) {
    }

    /**
     * The entries of a mapping, in file order. A missing value ({@code limits:} alone) counts as
     * an empty mapping. Duplicate keys are refused, and so are keys not in {@code allowed} (when
     * it is not null).
     */
    Map<String, Entry> entries(Node node, String path, List<String> allowed) {
        Map<String, Entry> result = new LinkedHashMap<>();
        if (isNull(node)) {
            return result;
        }
        if (!(node instanceof MappingNode mapping)) {
            String expected = allowed == null ? "a mapping" : "a mapping with the keys " + String.join(", ", allowed);
            throw error(node, path, expected, describe(node), null);
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey) || isNull(keyNode)) {
                throw error(keyNode, path, "a key that is plain text", describe(keyNode), null);
            }
            String name = scalarKey.getValue();
            String keyPath = path.isEmpty() ? name : path + "." + name;
            Entry previous = result.get(name);
            if (previous != null) {
                throw error(keyNode, keyPath, "each key once (" + quote(name) + " is already at line "
                        + line(previous.key()) + ", column " + column(previous.key()) + ")",
                        "a second " + quote(name), null);
            }
            if (allowed != null && !allowed.contains(name)) {
                throw error(keyNode, keyPath, "one of the keys " + String.join(", ", allowed), quote(name), null);
            }
            result.put(name, new Entry(name, keyPath, keyNode, tuple.getValueNode()));
        }
        return result;
    }

    /** The text of a scalar value; a list, a mapping or nothing is an error. */
    String scalar(Entry entry, String expected) {
        if (!(entry.value() instanceof ScalarNode scalar) || isNull(scalar)) {
            throw error(entry.value(), entry.path(), expected, describe(entry.value()), null);
        }
        return scalar.getValue();
    }

    int wholeNumber(Entry entry, String expected) {
        String text = scalar(entry, expected);
        if (text.matches("[-+]?[0-9]{1,10}")) {
            long value = Long.parseLong(text);
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw error(entry.value(), entry.path(), expected, describe(entry.value()), null);
    }

    double number(Entry entry, String expected) {
        String text = scalar(entry, expected);
        if (text.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value)) {
                return value;
            }
        }
        throw error(entry.value(), entry.path(), expected, describe(entry.value()), null);
    }

    boolean bool(Entry entry) {
        String text = scalar(entry, "true or false");
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw error(entry.value(), entry.path(), "true or false", describe(entry.value()), null);
    }

    Duration duration(Entry entry) {
        String text = scalar(entry, Durations.EXPECTED);
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(entry.value(), entry.path(), e.getMessage(), describe(entry.value()), e);
        }
    }

    /** An enum constant, named in any case and with '-' or spaces for '_'. */
    <E extends Enum<E>> E enumValue(Entry entry, Class<E> type) {
        String expected = "one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .collect(Collectors.joining(", "));
        String name = scalar(entry, expected).strip().replace('-', '_').replace(' ', '_')
                .toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw error(entry.value(), entry.path(), expected, describe(entry.value()), null);
    }

    // ---------------------------------------------------------------- errors

    PolicyFileException error(Node at, String key, String expected, String found, Throwable cause) {
        return new PolicyFileException(source, line(at), column(at), key, expected, found, cause);
    }

    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    static int column(Node node) {
        return node.getStartMark().map(m -> m.getColumn() + 1).orElse(0);
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.isPlain() && Tag.NULL.equals(scalar.getTag());
    }

    /** How a node reads in "found ...": its quoted text, or what kind of node it is. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "nothing";
        }
        return quote(((ScalarNode) node).getValue());
    }

    /** Text in double quotes for a message, shortened when long, with line breaks made visible. */
    static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                + '"';
    }
}
