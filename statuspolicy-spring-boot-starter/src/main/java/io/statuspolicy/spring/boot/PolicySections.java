package io.statuspolicy.spring.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sections of a whole policy, as in the policy file: a scope's sections plus {@code routes}.
 * The application's ({@code statuspolicy.*}) and each named client's ({@code statuspolicy.clients.<name>.*}).
 */
public class PolicySections extends ScopeSections {
    /** Route scopes, in order (the first that matches a request wins), after the file's routes. */
    private List<StatusPolicyProperties.Route> routes = new ArrayList<>();

    public List<StatusPolicyProperties.Route> getRoutes() {
        return routes;
    }

    public void setRoutes(List<StatusPolicyProperties.Route> routes) {
        this.routes = routes;
    }

    @Override
    Map<String, Object> tree() {
        return PolicyYaml.sections(getLimits(), getRedirectSafety(), getRules(), routes);
    }
}
