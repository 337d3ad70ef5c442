package io.polykube.runtime.probe;


import io.polykube.runtime.ProcessException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return ProbeResult.notReady("cannot run " + command + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(process.getInputStream(), out), "polykube-probe-command");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(context.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return ProbeResult.notReady(command + " did not finish within " + context.attemptTimeout());
            }
            reader.join(1000);
            String output;
            synchronized (out) {
                output = out.toString(StandardCharsets.UTF_8).strip();
            }
            if (output.length() > 200) {
                output = output.substring(0, 200) + "...";
            }
            int code = process.exitValue();
            return code == 0
                    ? ProbeResult.ready(command + " exited with 0")
                    : ProbeResult.notReady(command + " exited with " + code + (output.isEmpty() ? "" : ": " + output));
        } catch (IOException e) {
            return ProbeResult.notReady("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return ProbeResult.notReady(command + " interrupted");
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    if (out.size() < 64 * 1024) {
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    @Override
    public String description() {
        return "command " + command + " exits with 0";
    }
}
