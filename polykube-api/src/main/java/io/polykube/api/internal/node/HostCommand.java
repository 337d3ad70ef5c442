package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import io.polykube.runtime.command.BoundedCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Finds a host tool (containerd, runc, nsenter) and runs one (ip, iptables, ctr, umount, runc) with a deadline. */
final class HostCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The result of one run: exit code and combined output. */
    record Result(List<String> command, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** Throws with the command and its output unless it exited with 0. */
        Result orThrow(String what) {
            if (!ok()) {
                throw new PolykubeException("cannot " + what + ": '" + String.join(" ", command) + "' exited with " + exitCode
                        + (output.isBlank() ? "" : ": " + output.strip()));
            }
            return this;
        }
    }

    private HostCommand() {
    }

    /** The first executable {@code name} on the PATH, then in the usual system directories. */
    static Path which(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new PolykubeException(name + " is not installed (not on the PATH): run ./polykube setup, which installs the host tools "
                + "polykube needs (Debian: iptables, iproute2, conntrack, util-linux)");
    }

    static Result run(String... command) {
        return run(List.of(command));
    }

    static Result run(List<String> command) {
        return run(TIMEOUT, command);
    }

    /** Runs {@code command}; one still running after {@code timeout} is killed with its children, and that is an error. */
    static Result run(Duration timeout, List<String> command) {
        BoundedCommand.Outcome outcome;
        try {
            outcome = BoundedCommand.of(command).timeout(timeout).run();
        } catch (IOException e) {
            throw new PolykubeException("cannot run '" + String.join(" ", command) + "' (" + e.getMessage()
                    + "): install it (./polykube setup; Debian: iproute2, iptables)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
        if (outcome.timedOut()) {
            throw new PolykubeException("'" + outcome.commandLine() + "' " + outcome.describeEnd()
                    + (outcome.output().isBlank() ? "" : " after printing: " + outcome.output().strip())
                    + "; a host command that hangs (an unmount of a busy volume, a stuck runc) needs a look at the host");
        }
        return new Result(List.copyOf(command), outcome.exitCode(), outcome.output());
    }
}
