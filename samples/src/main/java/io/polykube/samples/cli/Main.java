package io.polykube.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./polykube}: the command line for people. */
@Command(name = "polykube", mixinStandardHelpOptions = true,
        description = "A real single-node Kubernetes cluster from the host's binaries.",
        subcommands = {QuickstartCommand.class, UpCommand.class, DownCommand.class, StatusCommand.class, KubeconfigCommand.class,
                LoadCommand.class, SuperviseCommand.class,
                BenchCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("[polykube] error: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
