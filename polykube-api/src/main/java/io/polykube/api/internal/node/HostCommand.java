package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds a host tool (containerd, runc, nsenter) and runs one (ip, iptables, ctr, umount, runc) with a deadline. */
final class HostCommand {
    private static final long TIMEOUT_SECONDS = 60;

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
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new PolykubeException("cannot run '" + String.join(" ", command) + "' (" + e.getMessage()
                    + "): install it (./polykube setup; Debian: iproute2, iptables)", e);
        }
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new PolykubeException("'" + String.join(" ", command) + "' did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(List.copyOf(command), p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            p.destroyForcibly();
            throw new PolykubeException("cannot read the output of '" + String.join(" ", command) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
    }
}
