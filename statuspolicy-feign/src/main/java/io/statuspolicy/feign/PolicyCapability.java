package io.statuspolicy.feign;

import feign.AsyncClient;
import feign.Capability;
import feign.Client;
import feign.Retryer;

/**
 * Decorates the client and the async client, and replaces the retryer with
 * {@link Retryer#NEVER_RETRY}, whatever was configured: the policy owns retries (Feign's default
 * retryer would re-run a whole policy call up to five times). Made by
 * {@link StatusPolicyFeign#capability()}; public only because Feign calls its {@code enrich}
 * methods by reflection.
 */
public final class PolicyCapability implements Capability {
    private final StatusPolicyFeign settings;

    PolicyCapability(StatusPolicyFeign settings) {
        this.settings = settings;
    }

    @Override
    public Client enrich(Client client) {
        return client instanceof PolicyFeignClient ? client : settings.client(client);
    }

    @Override
    public AsyncClient<Object> enrich(AsyncClient<Object> client) {
        return client instanceof PolicyAsyncFeignClient ? client : settings.asyncClient(client);
    }

    @Override
    public Retryer enrich(Retryer retryer) {
        return Retryer.NEVER_RETRY;
    }

    @Override
    public String toString() {
        return "StatusPolicyCapability[" + settings + "]";
    }
}
