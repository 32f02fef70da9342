package io.statuspolicy.spring.boot;

import io.statuspolicy.config.PolicyFile;
import io.statuspolicy.config.PolicyFileException;
import io.statuspolicy.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The {@code statuspolicy.*} sections read as a policy file: the bound properties become the
 * file's tree (only what is set, every scalar quoted), that tree is read by statuspolicy-config
 * over the policy beneath, and an error in it is reported under the property's own name
 * ({@code statuspolicy.limits.max-attempts}), with the value and the policy's reason.
 */
final class PolicyYaml {
    static final String CLASS_RULE = "class-rule";

    private PolicyYaml() {
    }

    /**
     * {@code base} changed by the sections bound under {@code prefix} ({@code statuspolicy} or
     * {@code statuspolicy.clients.payments}).
     */
    static Policy read(Map<String, Object> tree, String prefix, Policy base) {
        if (tree.isEmpty()) {
            return base;
        }
        try {
            return PolicyFile.read(emit(tree), prefix, base);
        } catch (PolicyFileException e) {
            String name = e.key().isEmpty() ? prefix : prefix + "." + kebab(e.key());
            throw new InvalidConfigurationPropertyValueException(name, unquote(e.found()),
                    "expected " + e.expected());
        }
    }

    static void put(Map<String, Object> tree, String key, Object value) {
        if (value != null) {
            tree.put(key, value instanceof Enum<?> constant ? constant.name() : value.toString());
        }
    }

    static void putSection(Map<String, Object> tree, String key, Map<String, Object> section) {
        if (section != null && !section.isEmpty()) {
            tree.put(key, section);
        }
    }

    static Map<String, Object> sections(StatusPolicyProperties.Limits limits,
            StatusPolicyProperties.RedirectSafety safety, Map<String, StatusPolicyProperties.Rule> rules,
            List<StatusPolicyProperties.Route> routes) {
        Map<String, Object> tree = new LinkedHashMap<>();
        putSection(tree, "limits", limits == null ? null : limits.tree());
        putSection(tree, "redirectSafety", safety == null ? null : safety.tree());
        if (rules != null && !rules.isEmpty()) {
            Map<String, Object> ruleTree = new LinkedHashMap<>();
            rules.forEach((key, rule) -> {
                Map<String, Object> fields = rule == null ? Map.of() : rule.tree();
                if (rule != null && Boolean.TRUE.equals(rule.getClassRule())) {
                    if (!fields.isEmpty()) {
                        throw new InvalidConfigurationPropertyValueException("statuspolicy.rules." + key + ".class-rule",
                                "true", "class-rule drops the row, so the rule's other properties ("
                                + String.join(", ", fields.keySet().stream().map(PolicyYaml::kebab).toList())
                                + ") cannot be given with it");
                    }
                    ruleTree.put(key, CLASS_RULE);
                } else {
                    ruleTree.put(key, fields);
                }
            });
            tree.put("rules", ruleTree);
        }
        if (routes != null && !routes.isEmpty()) {
            List<Object> list = new ArrayList<>();
            routes.forEach(route -> list.add(route == null ? Map.of() : route.tree()));
            tree.put("routes", list);
        }
        return tree;
    }

    /** The tree as YAML flow text: every key and scalar double-quoted, so nothing is read as YAML syntax. */
    static String emit(Object node) {
        StringBuilder out = new StringBuilder();
        emit(node, out);
        return out.append('\n').toString();
    }

    private static void emit(Object node, StringBuilder out) {
        if (node instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                quote(entry.getKey().toString(), out);
                out.append(": ");
                emit(entry.getValue(), out);
            }
            out.append('}');
        } else if (node instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                emit(list.get(i), out);
            }
            out.append(']');
        } else {
            quote(String.valueOf(node), out);
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** {@code limits.maxAttempts} as Spring names it: {@code limits.max-attempts}. */
    static String kebab(String path) {
        StringBuilder out = new StringBuilder(path.length() + 8);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String unquote(String found) {
        if (found != null && found.length() >= 2 && found.startsWith("\"") && found.endsWith("\"")) {
            return found.substring(1, found.length() - 1);
        }
        return found;
    }
}
