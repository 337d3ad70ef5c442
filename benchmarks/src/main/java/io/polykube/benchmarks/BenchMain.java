package io.polykube.benchmarks;

import io.polykube.runtime.binaries.VersionReport;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * {@code ./polykube bench}: the measurements, an entry point of their own so that the command line never depends on the
 * tools measured side by side (kube-api-test) or on the JUnit engine. Exit codes as the command line's: 0 done, 1 the work
 * failed, 2 bad usage (the message goes to stderr with a hint).
 */
public final class BenchMain {
    static final int USAGE = 2;

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Runs with its own output and error streams (for tests that read what it prints). */
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
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setCommandName("polykube bench"); // as the launcher's verb: "Usage: polykube bench", "see: polykube bench --help"
        // --version prints what it prints on every verb of the command line
        cli.getCommandSpec().versionProvider(() -> VersionReport.lines().toArray(String[]::new));
        // the command line's messages, as its Main prints them: the problem, picocli's suggestion if any, where the usage is
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("[polykube] error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
            cmd.getErr().println("[polykube] see: " + cmd.getCommandSpec().qualifiedName() + " --help");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
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
