package io.polykube.runtime.process;

import io.polykube.runtime.probe.ProbeContext;
import io.polykube.runtime.probe.ProbeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Starts a graph of {@link ProcessSpec}s (in parallel where independent, each after its
 * dependencies are ready), watches them, restarts them per their {@link RestartPolicy}, and stops
 * them in reverse dependency order. Every launched process is recorded in the run directory, so a
 * later supervisor can stop what a crashed JVM left behind ({@link #reapOrphans(Path)}).
 *
 * <p>A supervisor owns its run directory exclusively (a lock file) until {@link #stop()}. It is
 * thread-safe. After {@code stop()} it cannot be started again.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final int TAIL_LINES = 40;
    private static final int BUFFER_LINES = 1000;
    private static final Duration MAX_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MIN_ATTEMPT_TIMEOUT = Duration.ofMillis(50);

    private final Path runDirectory;
    private final ProcessListener listener;
    private final boolean reapOnStart;
    private final RunDirectoryLock lock;
    private final Map<String, Managed> processes = new LinkedHashMap<>();
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Object startLock = new Object();
    private final Thread shutdownHook;
    private boolean reaped;

    private Supervisor(Builder b) {
        this.runDirectory = b.runDirectory.toAbsolutePath().normalize();
        this.listener = b.listener;
        this.reapOnStart = b.reapOrphansOnStart;
        this.lock = RunDirectoryLock.acquire(runDirectory);
        ThreadFactory threads = daemonThreads("polykube-supervisor");
        this.executor = Executors.newCachedThreadPool(threads);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("polykube-restart"));
        if (b.shutdownHook) {
            this.shutdownHook = new Thread(this::stopFromShutdownHook, "polykube-supervisor-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    /** A supervisor on {@code runDirectory} with no listener, orphan reaping at start and a JVM shutdown hook. */
    public static Supervisor create(Path runDirectory) {
        return builder().runDirectory(runDirectory).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The directory holding the process records (and default log files under {@code logs/}). */
    public Path runDirectory() {
        return runDirectory;
    }

    /**
     * Starts the specs: validates the whole graph first (unknown dependency, cycle, duplicate name,
     * unwritable log file: nothing is started then), reaps orphans of a crashed earlier supervisor
     * (first call), then starts each spec once its dependencies are ready, independent ones in
     * parallel. Dependencies may also name processes started by an earlier call.
     *
     * <p>Returns when all are ready. If one fails, the others of this call are stopped and the
     * failure is thrown.
     *
     * @throws ProcessStartException naming the process, what it waited for, its exit code and log tail
     * @throws ProcessException      for invalid input or a stopped supervisor
     */
    public void start(List<ProcessSpec> specs) {
        Objects.requireNonNull(specs, "specs");
        synchronized (startLock) {
            checkRunning();
            List<Managed> batch = prepare(specs);
            if (reapOnStart && !reaped) {
                reaped = true;
                ReapReport report = reap(runDirectory);
                if (!report.stopped().isEmpty()) {
                    LOG.warn("Stopped {} orphaned process(es) left in {} by an earlier supervisor: {}",
                            report.stopped().size(), runDirectory, report.stopped().stream().map(r -> r.name() + "/" + r.pid()).toList());
                }
            }
            synchronized (processes) {
                batch.forEach(m -> processes.put(m.spec.name(), m));
            }
            startBatch(batch);
        }
    }

    /** Starts one more process; its dependencies must already be known to this supervisor. */
    public void addAndStart(ProcessSpec spec) {
        start(List.of(spec));
    }

    private List<Managed> prepare(List<ProcessSpec> specs) {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        synchronized (processes) {
            processes.values().forEach(m -> graph.put(m.spec.name(), m.spec.dependsOn()));
        }
        List<Managed> batch = new ArrayList<>();
        for (ProcessSpec spec : specs) {
            Objects.requireNonNull(spec, "specs must not contain null");
            if (graph.containsKey(spec.name())) {
                throw new ProcessException("Process name '" + spec.name() + "' is used twice"
                        + " (names must be unique within a supervisor)");
            }
            graph.put(spec.name(), spec.dependsOn());
        }
        DependencyGraph.levels(graph);
        for (ProcessSpec spec : specs) {
            Path logFile = spec.logFile().orElse(runDirectory.resolve("logs").resolve(spec.name() + ".log"));
            checkWritable(spec.name(), logFile);
            batch.add(new Managed(spec, logFile));
        }
        return batch;
    }

    private static void checkWritable(String name, Path logFile) {
        try {
            Path parent = logFile.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.flush();
            }
        } catch (IOException | SecurityException e) {
            throw new ProcessException("Cannot write log file " + logFile + " of process '" + name + "': " + e
                    + "; choose a logFile in a writable directory", e);
        }
    }

    private void startBatch(List<Managed> batch) {
        Map<String, CompletableFuture<Void>> ready = new HashMap<>();
        CompletableFuture<Void> abort = new CompletableFuture<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, Managed> byName = new HashMap<>();
        batch.forEach(m -> byName.put(m.spec.name(), m));
        // create futures in dependency order, so a dependency's future exists before its dependents'
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        batch.forEach(m -> graph.put(m.spec.name(), batchDeps(m, byName)));
        for (List<String> level : DependencyGraph.levels(graph)) {
            for (String name : level) {
                Managed m = byName.get(name);
                CompletableFuture<?>[] deps = graph.get(name).stream().map(ready::get).toArray(CompletableFuture[]::new);
                ready.put(name, CompletableFuture.allOf(deps).thenRunAsync(() -> {
                    try {
                        Run run = launch(m, false);
                        awaitReady(m, run, abort);
                    } catch (StartAborted e) {
                        throw e;
                    } catch (RuntimeException e) {
                        failures.add(e);
                        abort.complete(null);
                        throw e;
                    }
                }, executor));
            }
        }
        try {
            CompletableFuture.allOf(ready.values().toArray(CompletableFuture[]::new)).handle((v, t) -> null).get();
        } catch (InterruptedException e) {
            abort.complete(null);
            Thread.currentThread().interrupt();
            failures.add(new ProcessException("Interrupted while starting " + byName.keySet()
                    + "; the processes started so far were stopped", e));
            CompletableFuture.allOf(ready.values().toArray(CompletableFuture[]::new)).handle((v, t) -> null).join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("unreachable", e);
        }
        if (failures.isEmpty()) {
            return;
        }
        Set<String> failedNames = new LinkedHashSet<>();
        for (RuntimeException f : failures) {
            if (f instanceof ProcessStartException pse) {
                failedNames.add(pse.processName());
            }
        }
        stopAll(batch, failedNames);
        synchronized (processes) {
            batch.forEach(m -> processes.remove(m.spec.name()));
        }
        RuntimeException first = failures.get(0);
        for (int i = 1; i < failures.size(); i++) {
            first.addSuppressed(failures.get(i));
        }
        throw first;
    }

    private static Set<String> batchDeps(Managed m, Map<String, Managed> byName) {
        Set<String> deps = new LinkedHashSet<>();
        for (String d : m.spec.dependsOn()) {
            if (byName.containsKey(d)) {
                deps.add(d);
            }
        }
        return deps;
    }

    /** Snapshots of all processes, in the order they were added. */
    public List<ProcessInfo> processes() {
        List<Managed> all;
        synchronized (processes) {
            all = new ArrayList<>(processes.values());
        }
        return all.stream().map(Managed::info).toList();
    }

    /** Snapshot of one process. */
    public Optional<ProcessInfo> process(String name) {
        return Optional.ofNullable(find(name)).map(Managed::info);
    }

    /** The last {@code lines} lines of output of the process's current (or last) run. */
    public List<String> logTail(String name, int lines) {
        Managed m = require(name);
        synchronized (m) {
            return m.output == null ? List.of() : m.output.tail(lines);
        }
    }

    /** Stops one process (not its dependents) and does not restart it. Idempotent. */
    public void stop(String name) {
        stopProcess(require(name), false);
    }

    /**
     * Stops one process and starts it again, waiting for its readiness probe.
     *
     * @throws ProcessStartException if it does not become ready again
     */
    public void restart(String name) {
        checkRunning();
        Managed m = require(name);
        stopProcess(m, false);
        synchronized (m) {
            m.stopRequested = false;
            m.abort = new CompletableFuture<>();
        }
        try {
            Run run = launch(m, false);
            awaitReady(m, run, new CompletableFuture<>());
        } catch (StartAborted e) {
            throw new ProcessException("Restart of '" + name + "' was aborted because the process was stopped meanwhile");
        } catch (ProcessStartException e) {
            stopProcess(m, true);
            throw e;
        }
    }

    /**
     * Stops all processes in reverse dependency order: SIGTERM, wait the spec's grace period, then
     * SIGKILL the process and all its descendants. Idempotent; releases the run directory.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down; the hook runs anyway and finds us stopped
            }
        }
        List<Managed> all;
        synchronized (processes) {
            all = new ArrayList<>(processes.values());
        }
        scheduler.shutdownNow();
        stopAll(all, Set.of());
        executor.shutdownNow();
        lock.close();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void stopFromShutdownHook() {
        if (!stopped.get()) {
            LOG.info("JVM shutting down: stopping the processes of {}", runDirectory);
            stop();
        }
    }

    private void stopAll(List<Managed> managed, Set<String> failed) {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        Map<String, Managed> byName = new HashMap<>();
        managed.forEach(m -> byName.put(m.spec.name(), m));
        managed.forEach(m -> graph.put(m.spec.name(), batchDeps(m, byName)));
        List<List<String>> levels = new ArrayList<>(DependencyGraph.levels(graph));
        Collections.reverse(levels);
        for (List<String> level : levels) {
            List<Thread> stoppers = new ArrayList<>();
            for (String name : level) {
                Managed m = byName.get(name);
                Thread t = new Thread(() -> stopProcess(m, failed.contains(name)), "polykube-stop-" + name);
                t.setDaemon(true);
                t.start();
                stoppers.add(t);
            }
            for (Thread t : stoppers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    LOG.warn("Interrupted while stopping processes of {}; some may still be stopping", runDirectory);
                    return;
                }
            }
        }
    }

    private void stopProcess(Managed m, boolean failed) {
        Process process;
        Thread pump;
        boolean wasActive;
        synchronized (m) {
            m.stopRequested = true;
            m.abort.complete(null);
            if (m.pendingRestart != null) {
                m.pendingRestart.cancel(false);
                m.pendingRestart = null;
            }
            process = m.process;
            pump = m.pump;
            wasActive = m.state != ProcessState.STOPPED && m.state != ProcessState.FAILED && m.state != ProcessState.PENDING;
            if (process != null && process.isAlive()) {
                m.state = ProcessState.STOPPING;
                wasActive = true;
            }
        }
        if (process != null && process.isAlive()) {
            LOG.info("Stopping {} (pid {}), grace {}", m.spec.name(), process.pid(), m.spec.stopGracePeriod());
            ProcessTree.terminate(process.toHandle(), m.spec.stopGracePeriod(), m.spec.name());
        }
        joinQuietly(pump);
        ProcessEvent event;
        synchronized (m) {
            if (process != null && !process.isAlive()) {
                m.lastExitCode = process.exitValue();
            }
            m.state = failed ? ProcessState.FAILED : (m.state == ProcessState.PENDING ? ProcessState.PENDING : ProcessState.STOPPED);
            deleteRecord(m.spec.name());
            event = wasActive && !failed ? event(ProcessEvent.Type.STOPPED, m, "stopped") : null;
        }
        emit(event);
    }

    /** A launched run of a process. */
    private record Run(Process process, int generation, LogBuffer output, long startNanos) {
    }

    private Run launch(Managed m, boolean restart) {
        ProcessSpec spec = m.spec;
        Run run;
        ProcessEvent event;
        synchronized (m) {
            if (m.stopRequested || stopped.get()) {
                throw new StartAborted();
            }
            ProcessBuilder pb = new ProcessBuilder(spec.command()).redirectErrorStream(true);
            pb.environment().putAll(spec.environment());
            spec.workingDirectory().ifPresent(d -> pb.directory(d.toFile()));
            OutputStream log;
            try {
                log = Files.newOutputStream(m.logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new ProcessException("Cannot write log file " + m.logFile + " of process '" + spec.name()
                        + "': " + e + "; choose a logFile in a writable directory", e);
            }
            long startNanos = System.nanoTime();
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                closeQuietly(log);
                m.state = ProcessState.FAILED;
                throw new ProcessStartException(spec.name(), "it could not be launched: " + e.getMessage(),
                        spec.readiness().description(), null, null, null, List.of(), m.logFile, e);
            }
            closeQuietly(process.getOutputStream());
            LogBuffer output = new LogBuffer(BUFFER_LINES);
            m.generation++;
            m.process = process;
            m.output = output;
            m.state = ProcessState.STARTING;
            m.startedAt = Instant.now();
            m.readyAt = null;
            writeLine(log, "--- polykube: " + (restart ? "restarted" : "started") + " pid " + process.pid() + " at "
                    + m.startedAt + ": " + String.join(" ", spec.command()) + " ---");
            recordStart(m, process);
            m.pump = startPump(spec.name(), process.getInputStream(), log, output);
            run = new Run(process, m.generation, output, startNanos);
            int generation = m.generation;
            process.onExit().thenRunAsync(() -> onExit(m, generation), executorOrCommon());
            event = event(restart ? ProcessEvent.Type.RESTARTED : ProcessEvent.Type.STARTED, m,
                    "pid " + process.pid() + (restart ? ", restart " + m.restartCount : ""));
        }
        LOG.info("Started {} (pid {}): {}", spec.name(), run.process().pid(), spec.command());
        emit(event);
        return run;
    }

    private java.util.concurrent.Executor executorOrCommon() {
        return executor.isShutdown() ? Runnable::run : executor;
    }

    private void recordStart(Managed m, Process process) {
        Optional<ProcFs.Identity> id = ProcFs.read(process.pid());
        if (id.isEmpty()) {
            return; // already exited; nothing to recover after a crash
        }
        new ProcessRecord(m.spec.name(), process.pid(), id.get().startTicks(), id.get().commandLine(), m.startedAt,
                m.spec.stopGracePeriod(), ProcessHandle.current().pid()).write(runDirectory);
    }

    private void deleteRecord(String name) {
        try {
            Files.deleteIfExists(runDirectory.resolve(name + ProcessRecord.SUFFIX));
        } catch (IOException e) {
            LOG.warn("Cannot delete process record of {} in {}: {}", name, runDirectory, e.toString());
        }
    }

    private static Thread startPump(String name, InputStream in, OutputStream log, LogBuffer output) {
        Logger processLog = LoggerFactory.getLogger("polykube." + name);
        Thread t = new Thread(() -> {
            boolean writeFailed = false;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                    processLog.info(line);
                    if (!writeFailed && !writeLine(log, line)) {
                        writeFailed = true;
                        LOG.warn("Cannot append to the log file of {}; its output goes only to the logger from now on", name);
                    }
                }
            } catch (IOException e) {
                LOG.debug("output of {} ended: {}", name, e.toString());
            } finally {
                closeQuietly(log);
            }
        }, "polykube-log-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static boolean writeLine(OutputStream out, String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitReady(Managed m, Run run, CompletableFuture<Void> batchAbort) {
        ProcessSpec spec = m.spec;
        Process p = run.process();
        CompletableFuture<Void> processAbort;
        synchronized (m) {
            processAbort = m.abort;
        }
        long deadline = run.startNanos() + spec.readinessTimeout().toNanos();
        CompletableFuture<Object> wake = CompletableFuture.anyOf(p.onExit(), batchAbort, processAbort);
        ProbeResult last = null;
        while (true) {
            if (batchAbort.isDone() || processAbort.isDone()) {
                throw new StartAborted();
            }
            if (!p.isAlive()) {
                joinQuietly(m.pump);
                int code = p.exitValue();
                failed(m, run);
                throw startFailure(m, run, "it exited with code " + code + " while being probed", code, last);
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
                synchronized (m) {
                    if (m.generation == run.generation() && p.isAlive()) {
                        m.state = ProcessState.READY;
                        m.readyAt = Instant.now();
                        event = event(ProcessEvent.Type.READY, m, last.message());
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
                failed(m, run);
                throw startFailure(m, run, "its readiness probe did not pass within " + spec.readinessTimeout()
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

    private void failed(Managed m, Run run) {
        synchronized (m) {
            if (m.generation == run.generation()) {
                m.state = ProcessState.FAILED;
            }
        }
    }

    private ProcessStartException startFailure(Managed m, Run run, String problem, Integer exitCode, ProbeResult last) {
        ProcessStartException e = new ProcessStartException(m.spec.name(), problem, m.spec.readiness().description(),
                exitCode, last == null ? null : last.message(), Duration.ofNanos(System.nanoTime() - run.startNanos()),
                run.output().tail(TAIL_LINES), m.logFile, null);
        emit(event(ProcessEvent.Type.FAILED, m, problem));
        return e;
    }

    private void onExit(Managed m, int generation) {
        List<ProcessEvent> events = new ArrayList<>();
        synchronized (m) {
            if (generation != m.generation || m.process == null) {
                return;
            }
            int code = m.process.exitValue();
            m.lastExitCode = code;
            if (m.stopRequested || m.state != ProcessState.READY) {
                return; // a stop, or the readiness loop, reports this exit
            }
            deleteRecord(m.spec.name());
            events.add(event(ProcessEvent.Type.EXITED, m, "exited with code " + code));
            LOG.warn("{} (pid {}) exited with code {} after it was ready", m.spec.name(), m.process.pid(), code);
            events.add(scheduleRestartOrFail(m, "exited with code " + code));
        }
        events.forEach(this::emit);
    }

    /** Must hold m's lock. */
    private ProcessEvent scheduleRestartOrFail(Managed m, String why) {
        RestartPolicy policy = m.spec.restartPolicy();
        if (!stopped.get() && policy.allowsRestart(m.restartCount)) {
            m.restartCount++;
            Duration backoff = policy.backoff(m.restartCount);
            m.state = ProcessState.RESTARTING;
            try {
                m.pendingRestart = scheduler.schedule(() -> executor.execute(() -> restartNow(m)),
                        backoff.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                m.state = ProcessState.STOPPED;
                return null;
            }
            LOG.warn("Restarting {} in {} (restart {} of {})", m.spec.name(), backoff, m.restartCount, policy.maxRestarts());
            return event(ProcessEvent.Type.RESTARTING, m, why + "; restart " + m.restartCount + " of "
                    + policy.maxRestarts() + " in " + backoff);
        }
        m.state = ProcessState.FAILED;
        LOG.error("{} {}; no restarts left ({} of {} used)", m.spec.name(), why, m.restartCount, policy.maxRestarts());
        return event(ProcessEvent.Type.FAILED, m, why + "; no restarts left");
    }

    private void restartNow(Managed m) {
        Run run = null;
        try {
            run = launch(m, true);
            awaitReady(m, run, new CompletableFuture<>());
        } catch (StartAborted e) {
            if (run != null && run.process().isAlive()) {
                ProcessTree.terminate(run.process().toHandle(), m.spec.stopGracePeriod(), m.spec.name());
            }
        } catch (RuntimeException e) {
            LOG.warn("Restart of {} failed: {}", m.spec.name(), e.getMessage());
            if (run != null && run.process().isAlive()) {
                ProcessTree.terminate(run.process().toHandle(), m.spec.stopGracePeriod(), m.spec.name());
            }
            ProcessEvent event;
            synchronized (m) {
                if (m.stopRequested) {
                    return;
                }
                deleteRecord(m.spec.name());
                event = scheduleRestartOrFail(m, "restart did not become ready");
            }
            emit(event);
        }
    }

    private static ProcessEvent event(ProcessEvent.Type type, Managed m, String message) {
        return new ProcessEvent(type, m.info(), message, Instant.now());
    }

    private void emit(ProcessEvent event) {
        if (event == null) {
            return;
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("ProcessListener threw on {}: {}", event, e.toString());
        }
    }

    private Managed find(String name) {
        synchronized (processes) {
            return processes.get(name);
        }
    }

    private Managed require(String name) {
        Managed m = find(name);
        if (m == null) {
            throw new ProcessException("No process named '" + name + "' in this supervisor; known: " + processNames());
        }
        return m;
    }

    private List<String> processNames() {
        synchronized (processes) {
            return List.copyOf(processes.keySet());
        }
    }

    private void checkRunning() {
        if (stopped.get()) {
            throw new ProcessException("The supervisor of " + runDirectory
                    + " was stopped; create a new Supervisor to start processes again");
        }
    }

    /**
     * Stops the processes a crashed supervisor left running in {@code runDirectory}: for each record,
     * only if pid, start time and command line all match the live process (so an unrelated process
     * that reused the pid is left alone), with SIGTERM, grace, then SIGKILL of it and its
     * descendants. All records are removed afterwards. Refused while a live supervisor owns the directory.
     */
    public static ReapReport reapOrphans(Path runDirectory) {
        if (!Files.isDirectory(runDirectory)) {
            return new ReapReport(List.of(), List.of());
        }
        RunDirectoryLock lock = RunDirectoryLock.acquire(runDirectory);
        try {
            return reap(runDirectory);
        } finally {
            lock.close();
        }
    }

    private static ReapReport reap(Path runDirectory) {
        List<ProcessRecord> stopped = new ArrayList<>();
        List<ProcessRecord> stale = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runDirectory, "*" + ProcessRecord.SUFFIX)) {
            for (Path file : files) {
                if (file.getFileName().toString().startsWith(".")) {
                    Files.deleteIfExists(file);
                    continue;
                }
                ProcessRecord record;
                try {
                    record = ProcessRecord.fromJson(Files.readString(file));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Removing unreadable process record {}: {}", file, e.toString());
                    Files.deleteIfExists(file);
                    continue;
                }
                // take the handle first: it pins the start time it saw, so a pid reused after our check is not signalled
                Optional<ProcessHandle> handle = ProcessHandle.of(record.pid());
                ProcessRecord.Match match = ProcessRecord.match(record, ProcFs.read(record.pid()));
                if (match == ProcessRecord.Match.SAME && handle.isPresent()) {
                    LOG.warn("Stopping orphan {} (pid {}) started at {} by supervisor pid {}", record.name(), record.pid(),
                            record.startedAt(), record.supervisorPid());
                    ProcessTree.terminate(handle.get(), record.stopGracePeriod(), record.name());
                    stopped.add(record);
                } else {
                    LOG.info("Removing stale record of {} (pid {}): {}", record.name(), record.pid(),
                            match == ProcessRecord.Match.GONE ? "process is gone" : "pid now belongs to another process");
                    stale.add(record);
                }
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new ProcessException("Cannot read process records in " + runDirectory + ": " + e, e);
        }
        return new ReapReport(stopped, stale);
    }

    private static void joinQuietly(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Thrown inside start tasks when the batch or the process was aborted; never escapes. */
    private static final class StartAborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartAborted() {
            super("start aborted", null, false, false);
        }
    }

    private record Context(String processName, Duration attemptTimeout, LogBuffer output) implements ProbeContext {
        @Override
        public boolean outputMatches(Pattern pattern) {
            return output.matched(pattern);
        }
    }

    /** Mutable state of one supervised process; guarded by its own monitor. */
    private static final class Managed {
        final ProcessSpec spec;
        final Path logFile;
        ProcessState state = ProcessState.PENDING;
        Process process;
        Thread pump;
        LogBuffer output;
        int generation;
        int restartCount;
        Instant startedAt;
        Instant readyAt;
        Integer lastExitCode;
        boolean stopRequested;
        CompletableFuture<Void> abort = new CompletableFuture<>();
        ScheduledFuture<?> pendingRestart;

        Managed(ProcessSpec spec, Path logFile) {
            this.spec = spec;
            this.logFile = logFile;
        }

        synchronized ProcessInfo info() {
            return new ProcessInfo(spec.name(), state,
                    process == null ? OptionalLong.empty() : OptionalLong.of(process.pid()), restartCount,
                    Optional.ofNullable(startedAt), Optional.ofNullable(readyAt),
                    lastExitCode == null ? OptionalInt.empty() : OptionalInt.of(lastExitCode), logFile);
        }
    }

    /** Builder for a {@link Supervisor}. */
    public static final class Builder {
        private Path runDirectory;
        private ProcessListener listener = ProcessListener.none();
        private boolean shutdownHook = true;
        private boolean reapOrphansOnStart = true;

        private Builder() {
        }

        /** Directory for process records and default logs; created if missing. Required. */
        public Builder runDirectory(Path runDirectory) {
            this.runDirectory = runDirectory;
            return this;
        }

        public Builder listener(ProcessListener listener) {
            this.listener = listener;
            return this;
        }

        /** Whether a JVM shutdown hook stops what is still running (default true). */
        public Builder shutdownHook(boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        /** Whether the first {@link Supervisor#start} reaps orphans of a crashed supervisor (default true). */
        public Builder reapOrphansOnStart(boolean reapOrphansOnStart) {
            this.reapOrphansOnStart = reapOrphansOnStart;
            return this;
        }

        /**
         * Creates the supervisor and takes ownership of the run directory.
         *
         * @throws ProcessException if the run directory is missing from the builder, not writable, or owned by another supervisor
         */
        public Supervisor build() {
            if (runDirectory == null) {
                throw new ProcessException("Supervisor.builder(): runDirectory is not set; call runDirectory(Path)");
            }
            Objects.requireNonNull(listener, "listener");
            return new Supervisor(this);
        }
    }
}
