package io.statuspolicy.spring.boot;

import feign.AsyncClient;
import feign.Capability;
import feign.Client;
import feign.Request;
import feign.Retryer;
import io.statuspolicy.feign.StatusPolicyFeign;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Feign capability when some clients have policies of their own: each call goes through the
 * policy of its Feign client's name ({@code @FeignClient(name = "payments")}, the target's name),
 * or the application's. The decorated clients are made when Feign builds the client, so a
 * delegate the adapter refuses fails there, not at the first call. Public only because Feign calls
 * its {@code enrich} methods by reflection.
 */
public final class NamedFeignCapability implements Capability {
    private final StatusPolicyClients clients;
    private final Capability application;

    NamedFeignCapability(StatusPolicyClients clients) {
        this.clients = clients;
        this.application = StatusPolicyFeign.with(clients.applicationEngine()).capability();
    }

    @Override
    public Client enrich(Client client) {
        Client fallback = application.enrich(client);
        Map<String, Client> named = new LinkedHashMap<>();
        clients.names().forEach(name -> named.put(name,
                StatusPolicyFeign.with(clients.engine(name)).capability().enrich(client)));
        return new Named(named, fallback);
    }

    @Override
    public AsyncClient<Object> enrich(AsyncClient<Object> client) {
        AsyncClient<Object> fallback = application.enrich(client);
        Map<String, AsyncClient<Object>> named = new LinkedHashMap<>();
        clients.names().forEach(name -> named.put(name,
                StatusPolicyFeign.with(clients.engine(name)).capability().enrich(client)));
        return (request, options, context) -> named.getOrDefault(nameOf(request), fallback)
                .execute(request, options, context);
    }

    @Override
    public Retryer enrich(Retryer retryer) {
        return application.enrich(retryer);
    }

    /** The Feign client's name ({@code Target.name()}), or null for a request built by hand. */
    static String nameOf(Request request) {
        return request.requestTemplate() == null || request.requestTemplate().feignTarget() == null ? null
                : request.requestTemplate().feignTarget().name();
    }

    @Override
    public String toString() {
        return "StatusPolicyCapability" + clients.names();
    }

    /** Picks the decorated client by the request's Feign client name. */
    private record Named(Map<String, Client> named, Client fallback) implements Client {
        @Override
        public feign.Response execute(Request request, Request.Options options) throws IOException {
            return named.getOrDefault(nameOf(request), fallback).execute(request, options);
        }
    }
}
