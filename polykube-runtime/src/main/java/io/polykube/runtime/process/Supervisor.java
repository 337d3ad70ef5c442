package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

/**
 * Starts a graph of {@link ProcessSpec}s (in parallel where independent, each after its
 * dependencies are ready), watches them, restarts them per their {@link RestartPolicy}, and stops
 * them in reverse dependency order. Every launched process is recorded in the run directory, so a
 * later supervisor can stop what a crashed JVM left behind ({@link #reapOrphans(Path)}).
 *
 * <p>Each process writes its output (stdout and stderr) straight to its log file, so it keeps
 * running and logging if this JVM dies; the supervisor follows the file for the log tail, log-line
 * probes and a logger per process ({@code polykube.<name>}).
 *
 * <p>A supervisor owns its run directory exclusively (a lock file) until {@link #stop()}. It is
 * thread-safe. After {@code stop()} it cannot be started again.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final Path runDirectory;
    private final ProcessListener listener;
    private final boolean reapOnStart;
    private final RunDirectoryLock lock;
    private final Map<String, SupervisedProcess> processes = new LinkedHashMap<>();
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Object startLock = new Object();
    private final Thread shutdownHook;
    private final ProcessRecords records;
    private final SupervisedProcess.Shared shared;
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
        this.records = new ProcessRecords(runDirectory);
        this.shared = new SupervisedProcess.Shared(executor, scheduler, records, listener, stopped::get);
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
            List<SupervisedProcess> batch = prepare(specs);
            if (reapOnStart && !reaped) {
                reaped = true;
                ReapReport report = OrphanReaper.reap(records);
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

    private List<SupervisedProcess> prepare(List<ProcessSpec> specs) {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        synchronized (processes) {
            processes.values().forEach(m -> graph.put(m.spec.name(), m.spec.dependsOn()));
        }
        List<SupervisedProcess> batch = new ArrayList<>();
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
            batch.add(new SupervisedProcess(spec, logFile, shared));
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

    private void startBatch(List<SupervisedProcess> batch) {
        Map<String, CompletableFuture<Void>> ready = new HashMap<>();
        CompletableFuture<Void> abort = new CompletableFuture<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, SupervisedProcess> byName = new HashMap<>();
        batch.forEach(m -> byName.put(m.spec.name(), m));
        // create futures in dependency order, so a dependency's future exists before its dependents'
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        batch.forEach(m -> graph.put(m.spec.name(), batchDeps(m, byName)));
        for (List<String> level : DependencyGraph.levels(graph)) {
            for (String name : level) {
                SupervisedProcess m = byName.get(name);
                CompletableFuture<?>[] deps = graph.get(name).stream().map(ready::get).toArray(CompletableFuture[]::new);
                ready.put(name, CompletableFuture.allOf(deps).thenRunAsync(() -> {
                    try {
                        SupervisedProcess.Run run = m.launch(false);
                        m.awaitReady(run, abort);
                    } catch (SupervisedProcess.StartAborted e) {
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

    private static Set<String> batchDeps(SupervisedProcess m, Map<String, SupervisedProcess> byName) {
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
        List<SupervisedProcess> all;
        synchronized (processes) {
            all = new ArrayList<>(processes.values());
        }
        return all.stream().map(SupervisedProcess::info).toList();
    }

    /** Snapshot of one process. */
    public Optional<ProcessInfo> process(String name) {
        return Optional.ofNullable(find(name)).map(SupervisedProcess::info);
    }

    /** The last {@code lines} lines of output of the process's current (or last) run. */
    public List<String> logTail(String name, int lines) {
        return require(name).logTail(lines);
    }

    /** Stops one process (not its dependents) and does not restart it. Idempotent. */
    public void stop(String name) {
        require(name).stop(false);
    }

    /**
     * Stops one process (not its dependents) with the given grace between SIGTERM and SIGKILL instead of the spec's
     * ({@link Duration#ZERO}: SIGKILL at once, for a process whose state is thrown away), and does not restart it.
     */
    public void stop(String name, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        require(name).stop(false, grace);
    }

    /**
     * Stops one process and starts it again, waiting for its readiness probe.
     *
     * @throws ProcessStartException if it does not become ready again
     */
    public void restart(String name) {
        checkRunning();
        require(name).restart();
    }

    /**
     * Replaces a running process with a new run of its spec without a gap in which nothing listens on its ports, for a
     * process that binds them with SO_REUSEPORT: the old one is frozen (SIGSTOP), {@code beforeLaunch} runs (for example
     * to swap its data), the new one is launched, and once {@code tookOver} accepts the new pid (for example it listens
     * on its port; at most {@code takeOverTimeout}) the old one is killed and the new one probed for readiness. Clients
     * never see "connection refused", so they reconnect at once instead of backing off.
     *
     * @throws ProcessStartException if the new run does not become ready
     */
    public void replace(String name, Runnable beforeLaunch, LongPredicate tookOver, Duration takeOverTimeout) {
        checkRunning();
        Objects.requireNonNull(beforeLaunch, "beforeLaunch");
        Objects.requireNonNull(tookOver, "tookOver");
        Objects.requireNonNull(takeOverTimeout, "takeOverTimeout");
        require(name).replace(beforeLaunch, tookOver, takeOverTimeout);
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
        List<SupervisedProcess> all;
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

    private void stopAll(List<SupervisedProcess> managed, Set<String> failed) {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        Map<String, SupervisedProcess> byName = new HashMap<>();
        managed.forEach(m -> byName.put(m.spec.name(), m));
        managed.forEach(m -> graph.put(m.spec.name(), batchDeps(m, byName)));
        List<List<String>> levels = new ArrayList<>(DependencyGraph.levels(graph));
        Collections.reverse(levels);
        for (List<String> level : levels) {
            List<Thread> stoppers = new ArrayList<>();
            for (String name : level) {
                SupervisedProcess m = byName.get(name);
                Thread t = new Thread(() -> m.stop(failed.contains(name)), "polykube-stop-" + name);
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

    private SupervisedProcess find(String name) {
        synchronized (processes) {
            return processes.get(name);
        }
    }

    private SupervisedProcess require(String name) {
        SupervisedProcess m = find(name);
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
        return OrphanReaper.reapUnowned(runDirectory);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
