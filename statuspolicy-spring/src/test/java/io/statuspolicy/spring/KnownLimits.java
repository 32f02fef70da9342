package io.statuspolicy.spring;

import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Conformance scenarios a Spring interceptor cannot pass, each with the reason, so the rest of the suite
 * runs and the README's list of limits is the tested one. Keys are a scenario's method name, or
 * its method name and a text of its display name ("everyRowOfTheGuideline/answered 407").
 */
final class KnownLimits implements ExecutionCondition {
    private final Map<String, String> limits;

    KnownLimits(Map<String, String> limits) {
        this.limits = limits;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("not a scenario");
        }
        String method = context.getRequiredTestMethod().getName();
        for (Map.Entry<String, String> limit : limits.entrySet()) {
            String[] key = limit.getKey().split("/", 2);
            if (key[0].equals(method) && (key.length == 1 || context.getDisplayName().contains(key[1]))) {
                return ConditionEvaluationResult.disabled(limit.getValue());
            }
        }
        return ConditionEvaluationResult.enabled("conforms");
    }
}
