package io.statuspolicy.cli;

import io.statuspolicy.jdk.PolicyHttpClient;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code statuspolicy} command: a curl-like client that follows the guideline
 * ({@code request}), a tour of every guideline row against a local server ({@code demo}), and
 * the policy in words ({@code explain}, {@code table}).
 *
 * <p>Exit codes are a contract, listed in {@link ExitCodes} and in {@code --help}.
 */
public final class StatusPolicyCli implements Runnable {

    /** The commands, in the order {@code --help} lists them ({@code help} comes last). */
    private static final List<String> COMMANDS = List.of("request", "demo", "explain", "table");

    private CommandSpec spec;

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
        CommandLine line = commandLine(args);
        line.setOut(out);
        line.setErr(err);
        return line.execute(args);
    }

    /** The whole command tree with the exit codes and the error handlers of the contract. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command tree for {@code given} arguments. When they start with a command's name, only
     * that command is built below the top level: picocli sets up a model, a parser and its type
     * converters for every command it is given, which for the whole tree cost a request about
     * 7 ms (issue 13). Anything else ({@code --help}, {@code help}, no command, an unknown one)
     * gets all of them. The top level, {@code request} and {@code table} are modelled in code
     * ({@link Specs}); {@code demo} and {@code explain} by their annotations.
     */
    static CommandLine commandLine(String[] given) {
        StatusPolicyCli top = new StatusPolicyCli();
        top.spec = Specs.command(top, "statuspolicy");
        top.spec.versionProvider(new Version());
        top.spec.usageMessage().description("HTTP calls that follow one written guideline for every status.")
                .footerHeading("%nExit codes:%n").footer(ExitCodes.HELP_TABLE);
        Specs.addHelpOptions(top.spec);
        CommandLine line = new CommandLine(top.spec);
        String first = given.length > 0 ? given[0] : "";
        boolean one = COMMANDS.contains(first);
        for (String name : COMMANDS) {
            if (!one || name.equals(first)) {
                line.addSubcommand(name, command(name));
            }
        }
        if (!one) {
            line.addSubcommand("help", new CommandLine.HelpCommand());
        }
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
            CommandSpec spec = sub.getCommandSpec();
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

    /** A command's picocli model (built in code) or its annotated object. */
    private static Object command(String name) {
        return switch (name) {
            case "request" -> RequestCommand.spec(new RequestCommand());
            case "demo" -> new DemoCommand();
            case "explain" -> new ExplainCommand();
            case "table" -> TableCommand.spec(new TableCommand());
            default -> throw new IllegalArgumentException(name);
        };
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
