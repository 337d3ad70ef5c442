package io.polykube.runtime.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a short host command (ip, umount, runc, ldd, {@code --version}) to its end, with a deadline that really fires:
 * its output is read by a thread of its own, so a command that hangs (an {@code umount} stuck in the kernel) is killed
 * at the deadline with its descendants, and one that exits but leaves a child holding its output open does not block
 * the caller either. Standard input is closed; standard error is merged into the output, of which the first
 * {@link Builder#outputLimit} bytes are kept (the rest is read and dropped, so the command never blocks on a full pipe).
 */
public final class BoundedCommand {
    /** How long the output may still flow once the command has exited (a child may hold the pipe open forever). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    private final List<String> command;
    private final Consumer<Map<String, String>> environment;
    private final Duration timeout;
    private final int outputLimit;

    private BoundedCommand(Builder b) {
        this.command = b.command;
        this.environment = b.environment;
        this.timeout = b.timeout;
        this.outputLimit = b.outputLimit;
    }

    /** A command to run: the executable, then its arguments. */
    public static Builder of(List<String> command) {
        return new Builder(command);
    }

    /** As {@link #of(List)}. */
    public static Builder of(String... command) {
        return new Builder(List.of(command));
    }

    /**
     * Runs the command and waits for it, at most the timeout; a command still running then is killed with its
     * descendants and comes back {@linkplain Outcome#timedOut() timed out}.
     *
     * @throws IOException          if it cannot be started (missing, not executable)
     * @throws InterruptedException if interrupted while waiting; the command is killed first
     */
    public Outcome run() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        environment.accept(builder.environment());
        Process process = builder.start();
        process.getOutputStream().close();
        Capture capture = new Capture(process.getInputStream(), outputLimit);
        Thread reader = new Thread(capture, "polykube-command-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
            }
            reader.join(OUTPUT_GRACE.toMillis());
            return new Outcome(command, finished ? process.exitValue() : -1, capture.text(), !finished, timeout);
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** What a run came to: its exit code (-1 when it timed out) and its output (standard error merged in). */
    public record Outcome(List<String> command, int exitCode, String output, boolean timedOut, Duration timeout) {
        /** Whether it finished in time with exit code 0. */
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** The command as one line, for messages. */
        public String commandLine() {
            return String.join(" ", command);
        }

        /** "did not finish within 60 s" or "exited with 2", for messages. */
        public String describeEnd() {
            if (!timedOut) {
                return "exited with " + exitCode;
            }
            long millis = timeout.toMillis();
            return "did not finish within " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms") + " (killed)";
        }
    }

    /** Reads the whole output, keeping its first bytes. */
    private static final class Capture implements Runnable {
        private final InputStream in;
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Capture(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        int room = limit - kept.size();
                        if (room > 0) {
                            kept.write(buffer, 0, Math.min(n, room));
                        }
                    }
                }
            } catch (IOException ignored) {
                // the pipe closed: the command and its children are gone
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** Builder for a {@link BoundedCommand}; validates at {@link #build()}. */
    public static final class Builder {
        private final List<String> command;
        private Consumer<Map<String, String>> environment = env -> { };
        private Duration timeout = Duration.ofSeconds(60);
        private int outputLimit = 1024 * 1024;

        private Builder(List<String> command) {
            this.command = command == null ? List.of() : List.copyOf(command);
        }

        /** Adjusts the environment the command gets (a copy of this process's, by default unchanged). */
        public Builder environment(Consumer<Map<String, String>> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** How long the command may run before it is killed (default 60 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** How many bytes of output are kept (default 1 MiB). */
        public Builder outputLimit(int bytes) {
            this.outputLimit = bytes;
            return this;
        }

        public BoundedCommand build() {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("BoundedCommand needs a command: the executable, then its arguments");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("BoundedCommand.timeout must be positive, got " + timeout);
            }
            if (outputLimit < 0) {
                throw new IllegalArgumentException("BoundedCommand.outputLimit must be >= 0, got " + outputLimit);
            }
            return new BoundedCommand(this);
        }

        /** Builds and runs it: {@link BoundedCommand#run()}. */
        public Outcome run() throws IOException, InterruptedException {
            return build().run();
        }
    }
}
