package io.polykube.runtime.probe;


import io.polykube.runtime.ProcessException;
import io.polykube.runtime.command.BoundedCommand;
import java.io.IOException;
import java.util.List;

/** Runs a command; ready when it exits with 0. The command is killed if it overruns the attempt timeout. */
final class CommandProbe implements Probe {
    private final List<String> command;

    CommandProbe(List<String> command) {
        if (command == null || command.isEmpty()) {
            throw new ProcessException("Probe.command needs a non-empty command");
        }
        this.command = List.copyOf(command);
    }

    @Override
    public ProbeResult check(ProbeContext context) {
        BoundedCommand.Outcome outcome;
        try {
            outcome = BoundedCommand.of(command).timeout(context.attemptTimeout()).outputLimit(64 * 1024).run();
        } catch (IOException e) {
            return ProbeResult.notReady("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.notReady(command + " interrupted");
        }
        if (outcome.timedOut()) {
            return ProbeResult.notReady(command + " did not finish within " + context.attemptTimeout());
        }
        String output = outcome.output().strip();
        if (output.length() > 200) {
            output = output.substring(0, 200) + "...";
        }
        return outcome.succeeded()
                ? ProbeResult.ready(command + " exited with 0")
                : ProbeResult.notReady(command + " exited with " + outcome.exitCode() + (output.isEmpty() ? "" : ": " + output));
    }

    @Override
    public String description() {
        return "command " + command + " exits with 0";
    }
}
