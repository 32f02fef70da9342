package io.statuspolicy.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code statuspolicy.*}: whether the policy is on, the team's YAML policy file, and the same
 * sections the file has ({@code limits}, {@code redirect-safety}, {@code rules}, {@code routes}),
 * in the file's shape with Spring's kebab-case names: {@code statuspolicy.limits.max-attempts=3},
 * {@code statuspolicy.rules.502.handling=fail}, {@code statuspolicy.routes[0].route=GET /cases/{id}}.
 * The properties change the file's policy (or the guideline without a file) as a second file
 * would. {@code statuspolicy.clients.<name>.*} gives one client (a Feign client's name, an HTTP
 * service group, a RestClient you name) changes of its own on top.
 *
 * <p>Durations are written as in the policy file ({@code 500ms}, {@code 2s}, {@code 1.5s},
 * {@code 2m}, {@code PT2S}); a value the policy refuses stops start-up with the property's name.
 */
@ConfigurationProperties("statuspolicy")
public class StatusPolicyProperties extends PolicySections {
    /** Whether every client Boot builds follows the policy. */
    private boolean enabled = true;

    /**
     * The policy file, as a Spring resource location ({@code classpath:statuspolicy.yaml},
     * {@code file:/etc/app/statuspolicy.yaml}); unset for the guideline as it is.
     */
    private String policyFile;

    /** Policies of named clients (Feign client names, HTTP service groups, RestClients you name). */
    private Map<String, Client> clients = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPolicyFile() {
        return policyFile;
    }

    public void setPolicyFile(String policyFile) {
        this.policyFile = policyFile;
    }

    public Map<String, Client> getClients() {
        return clients;
    }

    public void setClients(Map<String, Client> clients) {
        this.clients = clients;
    }

    /** {@code clients.<name>}: one client's own file and sections, on top of the application's policy. */
    public static class Client extends PolicySections {
        /** This client's own policy file (a Spring resource location), read on top of the application's policy. */
        private String policyFile;

        public String getPolicyFile() {
            return policyFile;
        }

        public void setPolicyFile(String policyFile) {
            this.policyFile = policyFile;
        }
    }

    /** {@code routes[i]}: requests that match {@code route} follow the sections given here. */
    public static class Route extends ScopeSections {
        /** The route, as the policy file writes it: "GET /cases/{id}", "POST,PUT //api.example.com/orders/**". */
        private String route;

        public String getRoute() {
            return route;
        }

        public void setRoute(String route) {
            this.route = route;
        }

        @Override
        Map<String, Object> tree() {
            Map<String, Object> tree = new LinkedHashMap<>();
            PolicyYaml.put(tree, "route", route);
            tree.putAll(super.tree());
            return tree;
        }
    }

    /** {@code limits (the file's limits section)}: each property left unset keeps what the policy beneath has. */
    public static class Limits {
        /** Attempts in all, the first included (at least 1). */
        private Integer maxAttempts;

        /** The delay between retries. */
        private Backoff backoff = new Backoff();

        /** The longest Retry-After honoured (a duration: 500ms, 2s, 1.5s, 2m, PT2S). */
        private String retryAfterCap;

        /** The deadline for a whole call: attempts, waits, redirects, the body (a duration). */
        private String deadline;

        /** The most redirects one call follows. */
        private Integer maxRedirects;

        /** How long a 404 counts as 'not there yet' (a duration; 0 for never). */
        private String awaitResource;

        /** The per-host retry budget. */
        private RetryBudget retryBudget = new RetryBudget();

        /** Whether a Retry-After on a 503 (or a 429) holds the origin for every call of the client. */
        private Boolean hostHolds;

        /** The per-origin circuit breaker (off in the guideline). */
        private CircuitBreaker circuitBreaker = new CircuitBreaker();

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Backoff getBackoff() {
            return backoff;
        }

        public void setBackoff(Backoff backoff) {
            this.backoff = backoff;
        }

        public String getRetryAfterCap() {
            return retryAfterCap;
        }

        public void setRetryAfterCap(String retryAfterCap) {
            this.retryAfterCap = retryAfterCap;
        }

        public String getDeadline() {
            return deadline;
        }

        public void setDeadline(String deadline) {
            this.deadline = deadline;
        }

        public Integer getMaxRedirects() {
            return maxRedirects;
        }

        public void setMaxRedirects(Integer maxRedirects) {
            this.maxRedirects = maxRedirects;
        }

        public String getAwaitResource() {
            return awaitResource;
        }

        public void setAwaitResource(String awaitResource) {
            this.awaitResource = awaitResource;
        }

        public RetryBudget getRetryBudget() {
            return retryBudget;
        }

        public void setRetryBudget(RetryBudget retryBudget) {
            this.retryBudget = retryBudget;
        }

        public Boolean getHostHolds() {
            return hostHolds;
        }

        public void setHostHolds(Boolean hostHolds) {
            this.hostHolds = hostHolds;
        }

        public CircuitBreaker getCircuitBreaker() {
            return circuitBreaker;
        }

        public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
            this.circuitBreaker = circuitBreaker;
        }

        Map<String, Object> tree() {
            Map<String, Object> tree = new LinkedHashMap<>();
            PolicyYaml.put(tree, "maxAttempts", maxAttempts);
            PolicyYaml.putSection(tree, "backoff", backoff == null ? null : backoff.tree());
            PolicyYaml.put(tree, "retryAfterCap", retryAfterCap);
            PolicyYaml.put(tree, "deadline", deadline);
            PolicyYaml.put(tree, "maxRedirects", maxRedirects);
            PolicyYaml.put(tree, "awaitResource", awaitResource);
            PolicyYaml.putSection(tree, "retryBudget", retryBudget == null ? null : retryBudget.tree());
            PolicyYaml.put(tree, "hostHolds", hostHolds);
            PolicyYaml.putSection(tree, "circuitBreaker", circuitBreaker == null ? null : circuitBreaker.tree());
            return tree;
        }
    }

    /** {@code limits.backoff}: each property left unset keeps what the policy beneath has. */
    public static class Backoff {
        /** The first delay (a duration). */
        private String initialDelay;

        /** How much each delay grows (at least 1). */
        private Double multiplier;

        /** The longest delay (a duration). */
        private String maxDelay;

        /** The random part of each delay, from 0 to 1. */
        private Double jitter;

        public String getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(String initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(Double multiplier) {
            this.multiplier = multiplier;
        }

        public String getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(String maxDelay) {
            this.maxDelay = maxDelay;
        }

        public Double getJitter() {
            return jitter;
        }

        public void setJitter(Double jitter) {
            this.jitter = jitter;
        }

        Map<String, Object> tree() {
            Map<String, Object> tree = new LinkedHashMap<>();
            PolicyYaml.put(tree, "initialDelay", initialDelay);
            PolicyYaml.put(tree, "multiplier", multiplier);
            PolicyYaml.put(tree, "maxDelay", maxDelay);
            PolicyYaml.put(tree, "jitter", jitter);
            return tree;
        }
    }

    /** {@code limits.retryBudget}: each property left unset keeps what the policy beneath has. */
    public static class RetryBudget {
        /** Whether retries per host are budgeted. */
        private Boolean enabled;

        /** Retries allowed per request (0 to 1000). */
        private Double ratio;

        /** Retries allowed whatever the traffic. */
        private Integer minRetries;

        /** The budget's window (a duration, 1s to 1h). */
        private String window;

        /** The most retries banked per request of the window (0 to 1000). */
        private Double credit;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Double getRatio() {
            return ratio;
        }

        public void setRatio(Double ratio) {
            this.ratio = ratio;
        }

        public Integer getMinRetries() {
            return minRetries;
        }

        public void setMinRetries(Integer minRetries) {
            this.minRetries = minRetries;
        }

        public String getWindow() {
            return window;
        }

        public void setWindow(String window) {
            this.window = window;
        }

        public Double getCredit() {
            return credit;
        }

        public void setCredit(Double credit) {
            this.credit = credit;
        }

        Map<String, Object> tree() {
            Map<String, Object> tree = new LinkedHashMap<>();
            PolicyYaml.put(tree, "enabled", enabled);
            PolicyYaml.put(tree, "ratio", ratio);
            PolicyYaml.put(tree, "minRetries", minRetries);
            PolicyYaml.put(tree, "window", window);
            PolicyYaml.put(tree, "credit", credit);
            return tree;
        }
    }

    /** {@code limits.circuitBreaker}: each property left unset keeps what the policy beneath has. */
    public static class CircuitBreaker {
        /** Whether an origin's circuit opens after failures in a row. */
        private Boolean enabled;

        /** Failed calls in a row that open the circuit (1 to 10000). */
        private Integer failures;

        /** How long an open circuit refuses calls before one probe (a duration). */
        private String openFor;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Integer getFailures() {
            return failures;
        }

        public void setFailures(Integer failures) {
            this.failures = failures;
        }

        public String getOpenFor() {
            return openFor;
        }

        public void setOpenFor(String openFor) {
            this.openFor = openFor;
        }

        Map<String, Object> tree() {
            Map<String, Object> tree = new LinkedHashMap<>();
            PolicyYaml.put(tree, "enabled", enabled);
            PolicyYaml.put(tree, "failures", failures);
            PolicyYaml.put(tree, "openFor", openFor);
            return tree;
        }
    }

    /** {@code redirectSafety}: each property left unset keeps what the policy beneath has. */
    public static class RedirectSafety {
        /** Whether a redirect may lead from https to http. */
        private Boolean allowHttpsToHttp;

        /** Whether a POST, PUT, PATCH or DELETE follows a redirect to another origin. */
        private Boolean followUnsafeMethodsAcrossOrigins;

        /** Which addresses a redirect may lead to: no-public-to-internal or allow-all. */
        private String targetFilter;

        public Boolean getAllowHttpsToHttp() {
            return allowHttpsToHttp;
        }

        public void setAllowHttpsToHttp(Boolean allowHttpsToHttp) {
            this.allowHttpsToHttp = allowHttpsToHttp;
        }

        public Boolean getFollowUnsafeMethodsAcrossOrigins() {
            return followUnsafeMethodsAcrossOrigins;
        }

        public void setFollowUnsafeMethodsAcrossOrigins(Boolean followUnsafeMethodsAcrossOrigins) {
            this.followUnsafeMethodsAcrossOrigins = followUnsafeMethodsAcrossOrigins;
        }

        public String getTargetFilter() {
            return targetFilter;
        }

        public void setTargetFilter(String targetFilter) {
            this.targetFilter = targetFilter;
        }

        Map<String, Object> tree() {
            Map<String, Object> tree = new LinkedHashMap<>();
            PolicyYaml.put(tree, "allowHttpsToHttp", allowHttpsToHttp);
            PolicyYaml.put(tree, "followUnsafeMethodsAcrossOrigins", followUnsafeMethodsAcrossOrigins);
            PolicyYaml.put(tree, "targetFilter", targetFilter);
            return tree;
        }
    }

    /** {@code rules.<status|class|transport>}: each property left unset keeps what the policy beneath has. */
    public static class Rule {
        /** What the client does on this status. */
        private io.statuspolicy.policy.Handling handling;

        /** How strongly the guideline asks for a retry. */
        private io.statuspolicy.policy.Grade grade;

        /** The rule's description, in English. */
        private String description;

        /** The rule's description, in Swedish. */
        private String descriptionSv;

        /** Retries allowed: a whole number, or 'policy' for as many as max-attempts allows. */
        private String maxRetries;

        /** Whether the status shows the server did not act, so even a POST may be repeated. */
        private Boolean requestNotProcessed;

        /** For a class (5xx): change only the class rule and keep the class's rows. */
        private Boolean keepRows;

        /** For transport only: the status the transport rule is keyed by (503, or a class such as 5xx). */
        private String status;

        /** true drops the status's own row, so its class rule applies (the file's "402": class-rule). */
        private Boolean classRule;

        public io.statuspolicy.policy.Handling getHandling() {
            return handling;
        }

        public void setHandling(io.statuspolicy.policy.Handling handling) {
            this.handling = handling;
        }

        public io.statuspolicy.policy.Grade getGrade() {
            return grade;
        }

        public void setGrade(io.statuspolicy.policy.Grade grade) {
            this.grade = grade;
        }

        public String getDescription() {
            return description;
        }

        public void setDescription(String description) {
            this.description = description;
        }

        public String getDescriptionSv() {
            return descriptionSv;
        }

        public void setDescriptionSv(String descriptionSv) {
            this.descriptionSv = descriptionSv;
        }

        public String getMaxRetries() {
            return maxRetries;
        }

        public void setMaxRetries(String maxRetries) {
            this.maxRetries = maxRetries;
        }

        public Boolean getRequestNotProcessed() {
            return requestNotProcessed;
        }

        public void setRequestNotProcessed(Boolean requestNotProcessed) {
            this.requestNotProcessed = requestNotProcessed;
        }

        public Boolean getKeepRows() {
            return keepRows;
        }

        public void setKeepRows(Boolean keepRows) {
            this.keepRows = keepRows;
        }

        public String getStatus() {
            return status;
        }

        public void setStatus(String status) {
            this.status = status;
        }

        public Boolean getClassRule() {
            return classRule;
        }

        public void setClassRule(Boolean classRule) {
            this.classRule = classRule;
        }

        Map<String, Object> tree() {
            Map<String, Object> tree = new LinkedHashMap<>();
            PolicyYaml.put(tree, "handling", handling);
            PolicyYaml.put(tree, "grade", grade);
            PolicyYaml.put(tree, "description", description);
            PolicyYaml.put(tree, "descriptionSv", descriptionSv);
            PolicyYaml.put(tree, "maxRetries", maxRetries);
            PolicyYaml.put(tree, "requestNotProcessed", requestNotProcessed);
            PolicyYaml.put(tree, "keepRows", keepRows);
            PolicyYaml.put(tree, "status", status);
            return tree;
        }
    }
}
