package io.statuspolicy.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code statuspolicy.*}: whether the policy is on, and where its YAML file is (the
 * statuspolicy-config format). Without a file the organisation's guideline applies as it is.
 */
@ConfigurationProperties("statuspolicy")
public class StatusPolicyProperties {
    /** Whether every client Boot builds follows the policy. */
    private boolean enabled = true;

    /**
     * The policy file, as a Spring resource location ({@code classpath:statuspolicy.yaml},
     * {@code file:/etc/app/statuspolicy.yaml}); unset for the guideline as it is.
     */
    private String policyFile;

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
}
