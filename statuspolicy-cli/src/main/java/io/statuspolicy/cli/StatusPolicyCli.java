package io.statuspolicy.cli;

import io.statuspolicy.jdk.PolicyHttpClient;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code statuspolicy} command: a curl-like client that follows the guideline
 * ({@code request}), a tour of every guideline row against a local server ({@code demo}), and
 * the policy in words ({@code explain}, {@code table}).
 *
 * <p>Exit codes are a contract, listed in {@link ExitCodes} and in {@code --help}.
 */
@Command(name = "statuspolicy",
        mixinStandardHelpOptions = true,
        versionProvider = StatusPolicyCli.Version.class,
        description = "HTTP calls that follow one written guideline for every status.",
        subcommands = {RequestCommand.class, DemoCommand.class, ExplainCommand.class, TableCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {ExitCodes.HELP_TABLE})
public final class StatusPolicyCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with {@code out} and {@code err} for picocli's own messages (usage,
     * help) and returns the exit code; the commands write bodies and diagnostics to the process's
     * standard streams.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // This JVM sends only through statuspolicy: the JDK client's own retries would double
        // the attempts the policy allows (RFC 9110 §9.2.2).
        PolicyHttpClient.disableJdkRetries();
        CommandLine line = commandLine();
        line.setOut(out);
        line.setErr(err);
        return line.execute(args);
    }

    /** The command tree with the exit codes and the error handlers of the contract. */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new StatusPolicyCli());
        // -H @FILE and -d @FILE are ours: picocli must not read @FILE as a file of arguments.
        line.setExpandAtFiles(false);
        line.setExitCodeExceptionMapper(ExitCodes::of);
        line.setParameterExceptionHandler((ex, args) -> {
            CommandLine command = ex.getCommandLine();
            String unmatched = ex instanceof CommandLine.UnmatchedArgumentException u
                    ? CurlOptions.unmatched(u.getUnmatched()) : null;
            command.getErr().println("statuspolicy: " + (unmatched != null ? unmatched : ex.getMessage()));
            command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        line.setExecutionExceptionHandler((ex, command, parseResult) -> {
            int code = ExitCodes.of(ex);
            boolean silenced = command.getCommand() instanceof RequestCommand request && request.silent
                    && !request.showError && code != ExitCodes.USAGE;
            if (!silenced) {
                command.getErr().println("statuspolicy: " + ExitCodes.describe(ex));
            }
            return code;
        });
        line.getCommandSpec().usageMessage().width(100).autoWidth(true);
        for (CommandLine sub : line.getSubcommands().values()) {
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            // Each subcommand's help lists its own exit codes; -V works everywhere.
            String codes = switch (sub.getCommandName()) {
                case "request" -> ExitCodes.HELP_TABLE;
                case "demo" -> DemoCommand.EXIT_CODES;
                case "explain" -> ExplainCommand.EXIT_CODES;
                case "table" -> TableCommand.EXIT_CODES;
                default -> null;
            };
            if (codes != null) {
                spec.usageMessage().footerHeading("%nExit codes:%n").footer(codes);
            }
            spec.usageMessage().width(100).autoWidth(true);
            spec.versionProvider(new Version());
        }
        return line;
    }

    @Override
    public void run() {
        // No subcommand: show the usage, and say it is a usage error.
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = StatusPolicyCli.class.getPackage().getImplementationVersion();
            return new String[] {"statuspolicy " + (version == null ? "(development build)" : version),
                    "Java " + System.getProperty("java.version")};
        }
    }
}
