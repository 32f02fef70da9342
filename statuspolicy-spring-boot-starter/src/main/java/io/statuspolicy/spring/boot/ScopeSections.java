package io.statuspolicy.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The sections a route scope has, as in the policy file: {@code limits}, {@code redirect-safety}
 * and {@code rules}. Extended by {@link PolicySections} (which adds {@code routes}) and by a route.
 */
public class ScopeSections {
    /** Limits: attempts, backoff, Retry-After cap, deadline, redirects, budget, holds, breaker. */
    @NestedConfigurationProperty
    private StatusPolicyProperties.Limits limits = new StatusPolicyProperties.Limits();

    /** Which redirects the policy follows. */
    @NestedConfigurationProperty
    private StatusPolicyProperties.RedirectSafety redirectSafety = new StatusPolicyProperties.RedirectSafety();

    /** Rules by status ("503"), class ("5xx") or "transport", each changing the fields it names. */
    private Map<String, StatusPolicyProperties.Rule> rules = new LinkedHashMap<>();

    public StatusPolicyProperties.Limits getLimits() {
        return limits;
    }

    public void setLimits(StatusPolicyProperties.Limits limits) {
        this.limits = limits;
    }

    public StatusPolicyProperties.RedirectSafety getRedirectSafety() {
        return redirectSafety;
    }

    public void setRedirectSafety(StatusPolicyProperties.RedirectSafety redirectSafety) {
        this.redirectSafety = redirectSafety;
    }

    public Map<String, StatusPolicyProperties.Rule> getRules() {
        return rules;
    }

    public void setRules(Map<String, StatusPolicyProperties.Rule> rules) {
        this.rules = rules;
    }

    /** The sections as a policy-file tree (only what is set), for {@link PolicyYaml}. */
    Map<String, Object> tree() {
        return PolicyYaml.sections(limits, redirectSafety, rules, null);
    }
}
