package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import io.polykube.runtime.probe.ProbeContext;
import io.polykube.runtime.probe.ProbeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;

/**
 * The lifecycle of one supervised process: launch (its output appended straight to its log file,
 * so it never depends on this JVM to keep running), readiness, restart per its policy, stop.
 * Mutable state guarded by this object's monitor.
 */
final class SupervisedProcess {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    static final int TAIL_LINES = 40;
    private static final int BUFFER_LINES = 1000;
    private static final Duration MAX_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MIN_ATTEMPT_TIMEOUT = Duration.ofMillis(50);
    private static final Duration TAIL_INTERVAL = Duration.ofMillis(100);
    private static final File DEV_NULL = new File("/dev/null");

    /** What the processes of one supervisor share. */
    record Shared(ExecutorService executor, ScheduledExecutorService scheduler, ProcessRecords records,
                  ProcessListener listener, BooleanSupplier supervisorStopped) {
    }

    /** A launched run of a process. */
    record Run(Process process, int generation, LogTailer output, long startNanos) {
    }

    /** Thrown inside start tasks when the batch or the process was aborted; never escapes the supervisor. */
    static final class StartAborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartAborted() {
            super("start aborted", null, false, false);
        }
    }

    final ProcessSpec spec;
    final Path logFile;
    private final Shared shared;
    private final Logger processLog;
    private ProcessState state = ProcessState.PENDING;
    private Process process;
    private LogTailer output;
    private ScheduledFuture<?> tailing;
    private int generation;
    private int restartCount;
    private Instant startedAt;
    private Instant readyAt;
    private Integer lastExitCode;
    private boolean stopRequested;
    private CompletableFuture<Void> abort = new CompletableFuture<>();
    private ScheduledFuture<?> pendingRestart;

    SupervisedProcess(ProcessSpec spec, Path logFile, Shared shared) {
        this.spec = spec;
        this.logFile = logFile;
        this.shared = shared;
        this.processLog = LoggerFactory.getLogger("polykube." + spec.name());
    }

    String name() {
        return spec.name();
    }

    synchronized ProcessInfo info() {
        return new ProcessInfo(spec.name(), state,
                process == null ? OptionalLong.empty() : OptionalLong.of(process.pid()), restartCount,
                Optional.ofNullable(startedAt), Optional.ofNullable(readyAt),
                lastExitCode == null ? OptionalInt.empty() : OptionalInt.of(lastExitCode), logFile);
    }

    /** The last lines of output of the current (or last) run. */
    List<String> logTail(int lines) {
        LogTailer tailer;
        synchronized (this) {
            tailer = output;
        }
        if (tailer == null) {
            return List.of();
        }
        tailer.poll();
        return tailer.output().tail(lines);
    }

    /** Launches the process; its output is appended to the log file by the process itself. */
    Run launch(boolean restart) {
        Run run;
        ProcessEvent event;
        synchronized (this) {
            if (stopRequested || shared.supervisorStopped().getAsBoolean()) {
                throw new StartAborted();
            }
            ProcessBuilder pb = new ProcessBuilder(spec.command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
            pb.environment().putAll(spec.environment());
            spec.workingDirectory().ifPresent(d -> pb.directory(d.toFile()));
            Instant now = Instant.now();
            long offset = appendHeader("--- polykube: " + (restart ? "restarting" : "starting") + " at " + now + ": "
                    + String.join(" ", spec.command()) + " ---");
            long startNanos = System.nanoTime();
            Process started;
            try {
                started = pb.start();
            } catch (IOException e) {
                state = ProcessState.FAILED;
                throw new ProcessStartException(spec.name(), "it could not be launched: " + e.getMessage(),
                        spec.readiness().description(), null, null, null, List.of(), logFile, e);
            }
            stopTailing();
            LogTailer tailer = new LogTailer(logFile, offset, new LogBuffer(BUFFER_LINES), processLog);
            generation++;
            process = started;
            output = tailer;
            state = ProcessState.STARTING;
            startedAt = now;
            readyAt = null;
            shared.records().recordStart(spec.name(), started, spec.command(), startedAt, spec.stopGracePeriod());
            tailing = scheduleTailing(tailer);
            run = new Run(started, generation, tailer, startNanos);
            int gen = generation;
            started.onExit().thenRunAsync(() -> onExit(gen), executorOrCaller());
            event = event(restart ? ProcessEvent.Type.RESTARTED : ProcessEvent.Type.STARTED,
                    "pid " + started.pid() + (restart ? ", restart " + restartCount : ""));
        }
        LOG.info("Started {} (pid {}): {}", spec.name(), run.process().pid(), spec.command());
        emit(event);
        return run;
    }

    /** Appends a line to the log file and returns the file's size after it. */
    private long appendHeader(String line) {
        try {
            Files.writeString(logFile, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return Files.size(logFile);
        } catch (IOException e) {
            throw new ProcessException("Cannot write log file " + logFile + " of process '" + spec.name()
                    + "': " + e + "; choose a logFile in a writable directory", e);
        }
    }

    private ScheduledFuture<?> scheduleTailing(LogTailer tailer) {
        try {
            return shared.scheduler().scheduleWithFixedDelay(tailer::poll, TAIL_INTERVAL.toNanos(),
                    TAIL_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null; // the supervisor is stopping; output is read on demand
        }
    }

    /** Must hold the monitor. Stops the timer of the previous run and reads what it left. */
    private void stopTailing() {
        if (tailing != null) {
            tailing.cancel(false);
            tailing = null;
        }
        if (output != null) {
            output.drainAndClose();
        }
    }

    private Executor executorOrCaller() {
        return shared.executor().isShutdown() ? Runnable::run : shared.executor();
    }

    /** Polls the readiness probe until it passes, the process exits, the deadline passes or a start is aborted. */
    void awaitReady(Run run, CompletableFuture<Void> batchAbort) {
        Process p = run.process();
        CompletableFuture<Void> processAbort;
        synchronized (this) {
            processAbort = abort;
        }
        long deadline = run.startNanos() + spec.readinessTimeout().toNanos();
        CompletableFuture<Object> wake = CompletableFuture.anyOf(p.onExit(), batchAbort, processAbort);
        ProbeResult last = null;
        while (true) {
            if (batchAbort.isDone() || processAbort.isDone()) {
                throw new StartAborted();
            }
            if (!p.isAlive()) {
                run.output().poll();
                int code = p.exitValue();
                failed(run);
                throw startFailure(run, "it exited with code " + code + " while being probed", code, last);
            }
            long remaining = deadline - System.nanoTime();
            Duration attempt = Duration.ofNanos(Math.max(MIN_ATTEMPT_TIMEOUT.toNanos(),
                    Math.min(remaining, MAX_ATTEMPT_TIMEOUT.toNanos())));
            try {
                last = spec.readiness().check(new Context(spec.name(), attempt, run.output()));
            } catch (RuntimeException e) {
                last = ProbeResult.notReady("probe threw " + e);
            }
            if (last.ready()) {
                ProcessEvent event = null;
                synchronized (this) {
                    if (generation == run.generation() && p.isAlive()) {
                        state = ProcessState.READY;
                        readyAt = Instant.now();
                        event = event(ProcessEvent.Type.READY, last.message());
                    }
                }
                if (event != null) {
                    LOG.info("{} is ready after {} ms: {}", spec.name(),
                            (System.nanoTime() - run.startNanos()) / 1_000_000, last.message());
                    emit(event);
                    return;
                }
                continue; // it died right after the probe passed: report the exit
            }
            remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                failed(run);
                throw startFailure(run, "its readiness probe did not pass within " + spec.readinessTimeout()
                        + " (pid " + p.pid() + " was still running and is stopped)", null, last);
            }
            try {
                wake.get(Math.min(remaining, spec.probeInterval().toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartAborted();
            }
        }
    }

    private synchronized void failed(Run run) {
        if (generation == run.generation()) {
            state = ProcessState.FAILED;
        }
    }

    private ProcessStartException startFailure(Run run, String problem, Integer exitCode, ProbeResult last) {
        ProcessStartException e = new ProcessStartException(spec.name(), problem, spec.readiness().description(),
                exitCode, last == null ? null : last.message(), Duration.ofNanos(System.nanoTime() - run.startNanos()),
                run.output().output().tail(TAIL_LINES), logFile, null);
        emit(event(ProcessEvent.Type.FAILED, problem));
        return e;
    }

    /**
     * Stops the process (not its dependents) and cancels a pending restart: SIGTERM, grace, SIGKILL
     * of it and its descendants. {@code failed} marks it FAILED instead of STOPPED.
     */
    void stop(boolean failed) {
        stop(failed, spec.stopGracePeriod());
    }

    /** {@link #stop(boolean)} with another grace period; zero sends SIGKILL at once. */
    void stop(boolean failed, Duration grace) {
        Process current;
        boolean wasActive;
        synchronized (this) {
            stopRequested = true;
            abort.complete(null);
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
                pendingRestart = null;
            }
            current = process;
            wasActive = state != ProcessState.STOPPED && state != ProcessState.FAILED && state != ProcessState.PENDING;
            if (current != null && current.isAlive()) {
                state = ProcessState.STOPPING;
                wasActive = true;
            }
        }
        if (current != null && current.isAlive()) {
            LOG.info("Stopping {} (pid {}), grace {}", spec.name(), current.pid(), grace);
            ProcessTree.terminate(current.toHandle(), grace, spec.name());
            awaitReaped(current); // terminate() counts a zombie as gone; a caller of stop() must not see it alive
        }
        ProcessEvent event;
        synchronized (this) {
            if (current != null && !current.isAlive()) {
                lastExitCode = current.exitValue();
            }
            if (current == process) {
                stopTailing();
            }
            state = failed ? ProcessState.FAILED : (state == ProcessState.PENDING ? ProcessState.PENDING : ProcessState.STOPPED);
            shared.records().delete(spec.name());
            event = wasActive && !failed ? event(ProcessEvent.Type.STOPPED, "stopped") : null;
        }
        emit(event);
    }

    /** Waits (briefly) until the JVM has reaped {@code exited}, our child, so no handle to it reports it alive. */
    private static void awaitReaped(Process exited) {
        try {
            exited.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Replaces the running process with a new run without a moment in which nothing listens on its ports: freezes the old
     * one (SIGSTOP), runs {@code beforeLaunch}, launches the new one, waits until {@code tookOver} says the new one has
     * taken over (bound its ports, which needs SO_REUSEPORT on both), kills the old one and waits for readiness.
     */
    void replace(Runnable beforeLaunch, LongPredicate tookOver, Duration takeOverTimeout) {
        Process old;
        synchronized (this) {
            old = process;
        }
        if (old == null || !old.isAlive()) {
            throw new ProcessException("Cannot replace '" + spec.name() + "': it is not running; use restart");
        }
        signal(old.pid(), "STOP");
        awaitStopped(old.pid(), Duration.ofSeconds(2));
        Run run;
        try {
            beforeLaunch.run();
            run = launch(false);
        } catch (RuntimeException e) {
            signal(old.pid(), "CONT");
            throw e;
        }
        long deadline = System.nanoTime() + takeOverTimeout.toNanos();
        while (run.process().isAlive() && !tookOver.test(run.process().pid()) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ProcessTree.terminate(old.toHandle(), Duration.ZERO, spec.name());
        try {
            awaitReady(run, new CompletableFuture<>());
        } catch (StartAborted e) {
            throw new ProcessException("Replacing '" + spec.name() + "' was aborted because the process was stopped meanwhile");
        } catch (ProcessStartException e) {
            stop(true);
            throw e;
        }
    }

    /**
     * Waits until the kernel shows {@code pid} stopped ({@code T} in {@code /proc/<pid>/stat}): SIGSTOP is delivered
     * asynchronously, and on a busy host the process may run on for a moment after {@code kill} returned.
     */
    private void awaitStopped(long pid, Duration timeout) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                String text = Files.readString(stat, StandardCharsets.US_ASCII);
                int afterName = text.lastIndexOf(')');
                char state = afterName > 0 && afterName + 2 < text.length() ? text.charAt(afterName + 2) : '?';
                if (state == 'T' || state == 't' || state == 'Z') {
                    return;
                }
                Thread.sleep(1);
            } catch (IOException e) {
                return; // gone: nothing runs on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("'{}' (pid {}) did not show as stopped within {} of SIGSTOP; replacing it anyway", spec.name(), pid, timeout);
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("/bin/kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new ProcessException("Cannot send SIG" + signal + " to pid " + pid + " (/bin/kill failed)");
            }
        } catch (IOException e) {
            throw new ProcessException("Cannot send SIG" + signal + " to pid " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException("Interrupted while sending SIG" + signal + " to pid " + pid, e);
        }
    }

    /** Stops the process and launches it again, waiting for readiness. */
    void restart() {
        stop(false);
        synchronized (this) {
            stopRequested = false;
            abort = new CompletableFuture<>();
        }
        try {
            Run run = launch(false);
            awaitReady(run, new CompletableFuture<>());
        } catch (StartAborted e) {
            throw new ProcessException("Restart of '" + spec.name() + "' was aborted because the process was stopped meanwhile");
        } catch (ProcessStartException e) {
            stop(true);
            throw e;
        }
    }

    private void onExit(int exitedGeneration) {
        List<ProcessEvent> events = new ArrayList<>();
        synchronized (this) {
            if (exitedGeneration != generation || process == null) {
                return;
            }
            int code = process.exitValue();
            lastExitCode = code;
            if (stopRequested || state != ProcessState.READY) {
                return; // a stop, or the readiness loop, reports this exit
            }
            stopTailing();
            shared.records().delete(spec.name());
            events.add(event(ProcessEvent.Type.EXITED, "exited with code " + code));
            LOG.warn("{} (pid {}) exited with code {} after it was ready", spec.name(), process.pid(), code);
            events.add(scheduleRestartOrFail("exited with code " + code));
        }
        events.forEach(this::emit);
    }

    /** Must hold the monitor. */
    private ProcessEvent scheduleRestartOrFail(String why) {
        RestartPolicy policy = spec.restartPolicy();
        if (!shared.supervisorStopped().getAsBoolean() && policy.allowsRestart(restartCount)) {
            restartCount++;
            Duration backoff = policy.backoff(restartCount);
            state = ProcessState.RESTARTING;
            try {
                pendingRestart = shared.scheduler().schedule(() -> shared.executor().execute(this::restartNow),
                        backoff.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                state = ProcessState.STOPPED;
                return null;
            }
            LOG.warn("Restarting {} in {} (restart {} of {})", spec.name(), backoff, restartCount, policy.maxRestarts());
            return event(ProcessEvent.Type.RESTARTING, why + "; restart " + restartCount + " of "
                    + policy.maxRestarts() + " in " + backoff);
        }
        state = ProcessState.FAILED;
        LOG.error("{} {}; no restarts left ({} of {} used)", spec.name(), why, restartCount, policy.maxRestarts());
        return event(ProcessEvent.Type.FAILED, why + "; no restarts left");
    }

    private void restartNow() {
        Run run = null;
        try {
            run = launch(true);
            awaitReady(run, new CompletableFuture<>());
        } catch (StartAborted e) {
            if (run != null && run.process().isAlive()) {
                ProcessTree.terminate(run.process().toHandle(), spec.stopGracePeriod(), spec.name());
            }
        } catch (RuntimeException e) {
            LOG.warn("Restart of {} failed: {}", spec.name(), e.getMessage());
            if (run != null && run.process().isAlive()) {
                ProcessTree.terminate(run.process().toHandle(), spec.stopGracePeriod(), spec.name());
            }
            ProcessEvent event;
            synchronized (this) {
                if (stopRequested) {
                    return;
                }
                shared.records().delete(spec.name());
                event = scheduleRestartOrFail("restart did not become ready");
            }
            emit(event);
        }
    }

    private ProcessEvent event(ProcessEvent.Type type, String message) {
        return new ProcessEvent(type, info(), message, Instant.now());
    }

    private void emit(ProcessEvent event) {
        if (event == null) {
            return;
        }
        try {
            shared.listener().onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("ProcessListener threw on {}: {}", event, e.toString());
        }
    }

    private record Context(String processName, Duration attemptTimeout, LogTailer output) implements ProbeContext {
        @Override
        public boolean outputMatches(Pattern pattern) {
            output.poll();
            return output.output().matched(pattern);
        }
    }
}
