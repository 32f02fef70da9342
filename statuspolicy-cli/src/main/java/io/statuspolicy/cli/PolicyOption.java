package io.statuspolicy.cli;

import io.statuspolicy.config.PolicyFile;
import io.statuspolicy.policy.Policy;
import java.nio.file.Path;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code --policy FILE} for the commands that only read the policy. */
final class PolicyOption {
    @Option(names = "--policy", paramLabel = "FILE", description = DESCRIPTION)
    Path file;

    private static final String DESCRIPTION = "a YAML policy that overrides the guideline's defaults";

    /** The same option for a command whose model is built in code ({@link Specs}). */
    static OptionSpec option(PolicyOption target) {
        return Specs.option(target, "file", "--policy").paramLabel("FILE").description(DESCRIPTION).build();
    }

    /** The guideline, or the file's policy; a bad file is a usage error (exit 2) with the file's message. */
    Policy policy() {
        return file == null ? Policy.guideline() : PolicyFile.read(file);
    }
}
