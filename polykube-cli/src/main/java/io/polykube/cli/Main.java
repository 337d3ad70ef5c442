package io.polykube.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./polykube}: the command line for people. Exit codes: 0 done, 1 the work failed, 2 bad usage (unknown verb or
 * option, bad value: the message goes to stderr with a hint), 3 {@code status} of a cluster that is not running.
 */
@Command(name = "polykube", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "A real single-node Kubernetes cluster from the host's binaries.",
        subcommands = {QuickstartCommand.class, UpCommand.class, DownCommand.class, StatusCommand.class, ListCommand.class, DeleteCommand.class, ExportLogsCommand.class,
                KubeconfigCommand.class, LoadCommand.class, SuperviseCommand.class, ConformanceCommand.class,
                CompletionCommand.class})
public final class Main {
    static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs with its own output and error streams (for tests that read what a verb prints). */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // --help/-h and --version on every verb. Not through ScopeType.INHERIT: that asks the version provider (which runs
        // the binaries) once per verb while the command line is built.
        VersionInfo version = new VersionInfo();
        for (CommandLine verb : cli.getSubcommands().values()) {
            verb.getCommandSpec().mixinStandardHelpOptions(true);
            verb.getCommandSpec().versionProvider(version);
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // an unknown verb or option, a missing value: the problem, picocli's suggestion if any, and where the usage is
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("[polykube] error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
            cmd.getErr().println("[polykube] see: " + cmd.getCommandSpec().qualifiedName() + " --help");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) { // bad input found by a verb or a spec's build(): usage
                cmd.getErr().println("[polykube] error: " + e.getMessage());
                cmd.getErr().println("[polykube] see: " + cmd.getCommandSpec().qualifiedName() + " --help");
                return USAGE;
            }
            cmd.getErr().println("[polykube] error: " + e.getMessage());
            return 1;
        });
        return cli;
    }
}
