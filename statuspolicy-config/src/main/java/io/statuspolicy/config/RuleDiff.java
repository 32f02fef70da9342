package io.statuspolicy.config;

import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Provenance;
import io.statuspolicy.policy.Rule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code rules} section that turns one policy's rules into another's, in the order the reader
 * applies them: class entries (each a {@link Policy#withClass}), then status entries, then the
 * transport rule.
 *
 * <p>For each class the writer picks the shortest of three ways to reach the target: no class
 * entry (the class rule is unchanged), a class entry ({@code withClass}: the rows follow the
 * class rule, then the rows that differ are written), or a class entry with
 * {@code keepRows: true} (only the class rule changes).
 */
final class RuleDiff {

    private RuleDiff() {
    }

    /** The entries of the rules section, key to value text; empty when the rules are the same. */
    static Map<String, String> rules(Policy from, Policy to) {
        Map<String, String> out = new LinkedHashMap<>();
        Policy current = from;
        for (int c = 1; c <= 5; c++) {
            Rule before = current.classRule(c);
            Rule target = to.classRule(c);
            // Three ways to reach the target class rule; take the one that writes least.
            Map<String, String> fields = fields(before, target, false);
            Policy viaClass = current.withClass(target);
            int costViaClass = cost(fields) + rowsCost(viaClass, to, c);
            Policy viaRule = current.withRule(target);
            int costViaRule = cost(fields) + 1 + rowsCost(viaRule, to, c);
            int costUnchanged = before.equals(target) ? rowsCost(current, to, c) : Integer.MAX_VALUE;
            if (costUnchanged <= Math.min(costViaClass, costViaRule)) {
                continue;
            }
            if (costViaClass <= costViaRule) {
                out.put(c + "xx", YamlText.flow(fields));
                current = viaClass;
            } else {
                Map<String, String> withFlag = new LinkedHashMap<>(fields);
                withFlag.put(PolicyReader.KEEP_ROWS, "true");
                out.put(c + "xx", YamlText.flow(withFlag));
                current = viaRule;
            }
        }
        for (int status = 100; status <= 599; status++) {
            String entry = rowEntry(current, to, status);
            if (entry != null) {
                out.put(YamlText.quote(Integer.toString(status)), entry);
            }
        }
        if (!current.transportFailureRule().equals(to.transportFailureRule())) {
            out.put(PolicyReader.TRANSPORT,
                    YamlText.flow(fields(current.transportFailureRule(), to.transportFailureRule(), true)));
        }
        return out;
    }

    /** The value that turns {@code current}'s rule for the status into {@code to}'s, or null if none is needed. */
    private static String rowEntry(Policy current, Policy to, int status) {
        if (!to.hasRow(status)) {
            return current.hasRow(status) ? PolicyReader.CLASS_RULE : null;
        }
        Rule target = to.rule(status);
        if (current.hasRow(status)) {
            Rule start = current.rule(status);
            return start.equals(target) ? null : YamlText.flow(fields(start, target, false));
        }
        // A new row starts as the class rule keyed to this status; "{}" alone adds exactly that.
        return YamlText.flow(fields(current.classRule(status / 100).forStatus(status, false), target, false));
    }

    private static int rowsCost(Policy current, Policy to, int statusClass) {
        int total = 0;
        for (int status = statusClass * 100; status < statusClass * 100 + 100; status++) {
            String entry = rowEntry(current, to, status);
            if (entry != null) {
                Rule start = current.hasRow(status) ? current.rule(status)
                        : current.classRule(statusClass).forStatus(status, false);
                total += to.hasRow(status) ? cost(fields(start, to.rule(status), false)) : 1;
            }
        }
        return total;
    }

    private static int cost(Map<String, String> fields) {
        return 1 + fields.size();
    }

    /**
     * The rule fields that turn {@code from} into {@code to}, as the reader applies them: any
     * change makes a rule {@link Provenance#USER}, so provenance is written only when the result
     * would otherwise come out different.
     */
    static Map<String, String> fields(Rule from, Rule to, boolean withStatus) {
        Map<String, String> out = new LinkedHashMap<>();
        if (from.status() != to.status() || from.wholeClass() != to.wholeClass()) {
            if (!withStatus) {
                throw new IllegalStateException("only the transport rule can change its status: " + from + " " + to);
            }
            out.put("status", YamlText.quote(to.key()));
        }
        if (from.handling() != to.handling()) {
            out.put("handling", to.handling().name());
        }
        if (from.grade() != to.grade()) {
            out.put("grade", to.grade().name());
        }
        if (!from.description().equals(to.description())) {
            out.put("description", YamlText.quote(to.description()));
        }
        if (!Objects.equals(from.descriptionSv(), to.descriptionSv())) {
            out.put("descriptionSv", to.descriptionSv() == null ? "null" : YamlText.quote(to.descriptionSv()));
        }
        if (from.maxRetries() != to.maxRetries()) {
            out.put("maxRetries", to.maxRetries() == Rule.POLICY_LIMIT ? PolicyReader.POLICY_LIMIT
                    : Integer.toString(to.maxRetries()));
        }
        if (from.requestNotProcessed() != to.requestNotProcessed()) {
            out.put("requestNotProcessed", Boolean.toString(to.requestNotProcessed()));
        }
        if (!from.reference().equals(to.reference())) {
            out.put("reference", YamlText.quote(to.reference()));
        }
        Provenance result = out.isEmpty() ? from.provenance() : Provenance.USER;
        if (result != to.provenance()) {
            out.put("provenance", to.provenance().name());
        }
        return out;
    }
}
