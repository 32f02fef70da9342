package io.statuspolicy.spring.boot;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Boot's request factory builders follow redirects unless {@code spring.http.clients.redirects}
 * says otherwise; with the policy on, the policy decides every redirect (303 to GET, credentials
 * dropped on another origin, loops, redirect memory), so a factory that follows first would hide
 * them from it. This post-processor makes {@code dont-follow} the default (the lowest-precedence
 * property source: anything the application sets wins), and {@link #check} refuses to start when
 * the application turned following back on while the policy is active.
 */
public class RedirectsOff implements EnvironmentPostProcessor, Ordered {
    static final String REDIRECTS = "spring.http.clients.redirects";
    static final String SOURCE = "statuspolicy-defaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("statuspolicy.enabled", Boolean.class, true)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(REDIRECTS, "dont-follow")));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Fails start-up, naming the property, unless the factories Boot builds follow no redirect. */
    static void check(Environment environment) {
        String value = environment.getProperty(REDIRECTS);
        String normalised = value == null ? null : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!"dont-follow".equals(normalised)) {
            throw new IllegalStateException(REDIRECTS + " is " + (value == null ? "not set (Boot then follows redirects)"
                    : "'" + value + "'") + ": with statuspolicy active the policy decides every redirect, so the request "
                    + "factory must not follow them itself; set " + REDIRECTS + "=dont-follow (the statuspolicy starter's "
                    + "default), or statuspolicy.enabled=false");
        }
    }
}
