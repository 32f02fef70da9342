package io.statuspolicy.spring.boot;

import org.springframework.core.Ordered;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Puts a group's own policy ({@code statuspolicy.clients.<group>}) on the RestClient of each HTTP
 * service group that has one, in place of the application's. Runs last, after Boot's configurers
 * (the customizers' one has order 0), so the group's interceptor is the one that stays.
 */
final class ServiceGroupPolicies implements RestClientHttpServiceGroupConfigurer {
    private final StatusPolicyClients clients;

    ServiceGroupPolicies(StatusPolicyClients clients) {
        this.clients = clients;
    }

    @Override
    public void configureGroups(HttpServiceGroupConfigurer.Groups<RestClient.Builder> groups) {
        groups.filter(group -> clients.hasOwnPolicy(group.name()))
                .forEachClient((group, builder) -> clients.install(group.name(), builder));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
