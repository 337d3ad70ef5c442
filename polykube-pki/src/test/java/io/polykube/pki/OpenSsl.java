package io.polykube.pki;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs the real {@code openssl} binary for cross-checks. Every wait has a deadline. */
final class OpenSsl {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Result(int exitCode, String output) {
    }

    private OpenSsl() {
    }

    /** Fails with a clear message unless {@code openssl} is on the PATH. */
    static void requireInstalled() {
        try {
            Result version = run(null, Path.of("."), "version");
            if (version.exitCode() != 0) {
                throw new AssertionError("'openssl version' failed: " + version.output());
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("This test needs the openssl binary on the PATH (apt-get install openssl): "
                    + e.getMessage(), e);
        }
    }

    /** Runs openssl in {@code dir} with {@code stdin} (or none), waits for it to exit. */
    static Result run(String stdin, Path dir, String... args) {
        Process process = start(dir, args);
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("openssl " + String.join(" ", args) + " did not exit within " + TIMEOUT);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            stop(process);
        }
    }

    static Process start(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
    }

    /** Stops a process we started, by its PID: SIGTERM, then SIGKILL after a deadline. */
    static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects a process's output lines on a daemon thread so that a test can wait for one. */
    static final class Output {
        private final List<String> lines = new ArrayList<>();

        Output(Process process) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "openssl-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits until a line matches, or fails at the deadline with everything read so far. */
        String await(Predicate<String> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lines) {
                while (true) {
                    for (String line : lines) {
                        if (condition.test(line)) {
                            return line;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no expected line within " + timeout + "; output was:\n" + text());
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                }
            }
        }

        String text() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }
}
