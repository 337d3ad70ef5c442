package io.polykube.benchmarks;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.polykube.api.Cluster;
import io.polykube.api.images.Images;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.ComponentStatus;
import io.polykube.files.MountPoints;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a long-lived JVM accumulates ({@code ./polykube bench --endurance}): start/stop cycles of a control plane and of
 * a FULL cluster, a thousand resets of one cluster, a hundred pods on one node, and a sustained load of creates and
 * watches. For each: time, and the JVM's open files, threads and heap (after a GC) over the first and the last 20
 * iterations, and what is left on the host at the end (processes, mounts, chains, network namespaces, cgroups).
 */
final class EnduranceBench {
    private static final int WINDOW = 20;
    /** Clients creating the pods at once in the pod measurements. */
    private static final int CREATE_CLIENTS = 8;

    private final int cycles;
    private final int fullCycles;
    private final int resets;
    private final int pods;
    private final int podsPerNode;
    private final int kills;
    private final Duration load;

    EnduranceBench(int cycles, int fullCycles, int resets, int pods, int podsPerNode, int kills, Duration load) {
        this.cycles = cycles;
        this.fullCycles = fullCycles;
        this.resets = resets;
        this.pods = pods;
        this.podsPerNode = podsPerNode;
        this.kills = kills;
        this.load = load;
    }

    void run(Path dir, boolean full) throws Exception {
        cycles("control plane", spec(dir.resolve("cp"), "endure", Mode.CONTROL_PLANE), cycles);
        resets(spec(dir.resolve("resets"), "endure-reset", Mode.CONTROL_PLANE));
        load(spec(dir.resolve("load"), "endure-load", Mode.CONTROL_PLANE));
        if (!full) {
            System.out.println("[bench] endurance, FULL cycles and pods: skipped (needs root, or --control-plane-only)");
            return;
        }
        cycles("FULL", spec(dir.resolve("full"), "endure-full", Mode.FULL), fullCycles);
        pods(dir);
        new CrashKills(kills, System.nanoTime()).run(dir.resolve("kills"));
    }

    /** Only the pod measurements: {@code pods} on one node, then {@code podsPerNode} on each of 3 nodes. */
    void pods(Path dir) throws IOException {
        pods(spec(dir.resolve("pods"), "endure-pods", Mode.FULL), pods, "FULL, " + pods + " pods on one node");
        pods(ClusterSpec.builder().name("endure-nodes").directory(dir.resolve("n3")).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).nodes(n -> n.count(3).dns(false)).build(), 3 * podsPerNode,
                "FULL, " + 3 * podsPerNode + " pods on 3 nodes");
    }

    private static ClusterSpec spec(Path dir, String name, Mode mode) {
        return ClusterSpec.builder().name(name).directory(dir).mode(mode).etcd(e -> e.unsafeNoFsync(true))
                .node(n -> n.dns(false)).build();
    }

    /** {@code count} start/stop cycles in this JVM: time and the JVM's resources, first and last 20. */
    private void cycles(String what, ClusterSpec spec, int count) {
        Cluster.start(spec).close(); // first start issues the PKI: not counted
        List<Long> times = new ArrayList<>();
        List<JvmSample> samples = new ArrayList<>();
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            Cluster.start(spec).close();
            times.add((System.nanoTime() - t0) / 1_000_000);
            samples.add(JvmSample.take());
            progress(what + " start/stop cycles", i + 1, count, begin);
        }
        String title = what + ", " + count + " start/stop cycles";
        firstAndLast(title + ": start + stop", times, "ms");
        jvm(title, samples);
        host(title, spec);
    }

    /** {@link #resets} times a config map and {@code reset()} on one control plane: time, etcd's size, the JVM. */
    private void resets(ClusterSpec spec) {
        List<Long> times = new ArrayList<>();
        List<JvmSample> samples = new ArrayList<>();
        long dbBefore;
        long dbAfter;
        int restarts;
        try (Cluster cluster = Cluster.start(spec)) {
            dbBefore = etcdDbBytes(spec.directory());
            long begin = System.nanoTime();
            for (int i = 0; i < resets; i++) {
                cluster.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("endure-" + i).endMetadata().addToData("k", "v").build()).create();
                long t0 = System.nanoTime();
                cluster.reset();
                times.add((System.nanoTime() - t0) / 1_000_000);
                if (i < WINDOW || i >= resets - WINDOW) {
                    samples.add(JvmSample.take());
                }
                progress("resets", i + 1, resets, begin);
            }
            dbAfter = etcdDbBytes(spec.directory());
            restarts = cluster.status().stream().mapToInt(ComponentStatus::restarts).sum();
        }
        String title = "control plane, " + resets + " resets";
        firstAndLast(title + ": reset() after one config map", times, "ms");
        System.out.printf("[bench] %-90s %d -> %d KiB%n", title + ": etcd's database file", dbBefore / 1024, dbAfter / 1024);
        System.out.printf("[bench] %-90s %d (goal 0)%n", title + ": component restarts", restarts);
        jvm(title, samples);
    }

    /** 8 clients, each creating config maps and watching them, for {@link #load}: requests per second, p99, restarts. */
    private void load(ClusterSpec spec) throws Exception {
        int clients = 8;
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong events = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        int restarts;
        try (Cluster cluster = Cluster.start(spec)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long end = System.nanoTime() + load.toNanos();
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    try (KubernetesClient k = cluster.client(); Watch watch = k.configMaps().inNamespace("default")
                            .withLabel("client", Integer.toString(client)).watch(new Watcher<ConfigMap>() {
                                @Override
                                public void eventReceived(Action action, ConfigMap resource) {
                                    events.incrementAndGet();
                                }

                                @Override
                                public void onClose(WatcherException cause) {
                                    if (cause != null) {
                                        errors.incrementAndGet();
                                        firstError.compareAndSet(null, "watch closed: " + cause.getMessage());
                                    }
                                }
                            })) {
                        for (int i = 0; System.nanoTime() < end; i++) {
                            long t0 = System.nanoTime();
                            try {
                                k.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                                        .withName("load-" + client + "-" + i).addToLabels("client", Integer.toString(client))
                                        .endMetadata().addToData("k", "v").build()).create();
                                latencies.add((System.nanoTime() - t0) / 1_000);
                            } catch (RuntimeException e) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, "create: " + e.getMessage());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(load.toSeconds() + 120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            restarts = cluster.status().stream().mapToInt(ComponentStatus::restarts).sum();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        String title = "control plane, " + clients + " clients creating and watching for " + load.toSeconds() + " s";
        System.out.printf("[bench] %-90s %d creates/s, p50 %.1f ms, p99 %.1f ms, %d watch events, %d errors%n", title,
                sorted.size() / Math.max(1, load.toSeconds()), BenchCommand.percentile(sorted, 50) / 1000.0,
                BenchCommand.percentile(sorted, 99) / 1000.0, events.get(), errors.get());
        if (firstError.get() != null) {
            System.out.printf("[bench] %-90s %s%n", title + ": the first error", firstError.get());
        }
        System.out.printf("[bench] %-90s %d (goal 0)%n", title + ": component restarts", restarts);
    }

    /** {@code pods} pods on a FULL cluster: time to all Running, per pod, memory per pod, and how many ran on each node. */
    private static void pods(ClusterSpec spec, int pods, String title) throws IOException {
        int memoryCgroupsBefore = memoryCgroups();
        try (Cluster cluster = Cluster.start(spec)) {
            Path tar = Images.fromFiles("polykube.local/endure-sleeper:1").file(Path.of("/bin/busybox"), "/bin/busybox", 0755)
                    .entrypoint("/bin/busybox", "sleep", "3600").writeTo(spec.directory().resolve("endure-sleeper.tar"));
            cluster.images().load(tar);
            long availableBefore = memAvailableKib();
            long running;
            long millis;
            long createMillis;
            long busyBefore;
            long jvmCpuBefore;
            try (RunningPods watch = new RunningPods(cluster.client(), "default")) {
                busyBefore = busyCpuTicks();
                jvmCpuBefore = jvmCpuNanos();
                long t0 = System.nanoTime();
                createAll(cluster.client(), pods);
                createMillis = (System.nanoTime() - t0) / 1_000_000;
                running = watch.await(pods, Duration.ofMinutes(10));
                millis = (System.nanoTime() - t0) / 1_000_000;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the pods", e);
            }
            long cpuMillisPerPod = (busyCpuTicks() - busyBefore) * 10 / Math.max(1, pods);
            long jvmCpuMillisPerPod = (jvmCpuNanos() - jvmCpuBefore) / 1_000_000 / Math.max(1, pods);
            long perPodKib = (availableBefore - memAvailableKib()) / Math.max(1, pods);
            Map<String, Long> perNode = new TreeMap<>(cluster.client().pods().inNamespace("default").list()
                    .getItems().stream().filter(p -> p.getSpec().getNodeName() != null).collect(Collectors
                            .groupingBy(p -> p.getSpec().getNodeName(), Collectors.counting())));
            System.out.printf("[bench] %-90s %d of %d Running in %d ms (all created in %d ms): %.3f s per pod (goal <= 0.15), "
                    + "host CPU %d ms per pod on %d cores (this JVM's %d ms included), about %d MiB per pod, per node %s%n",
                    title, running, pods, millis, createMillis, millis / 1000.0 / pods, cpuMillisPerPod,
                    Runtime.getRuntime().availableProcessors(), jvmCpuMillisPerPod, perPodKib / 1024, perNode);
        }
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (memoryCgroups() > memoryCgroupsBefore && System.nanoTime() < settle) {
            sleep(100);
        }
        System.out.printf("[bench] %-90s %d (goal 0)%n", title + ": memory cgroups the kernel still holds after the stop (dying)",
                Math.max(0, memoryCgroups() - memoryCgroupsBefore));
    }

    /** Creates pods {@code p-0..} from {@link #CREATE_CLIENTS} threads, as a workload's controllers would, not one by one. */
    private static void createAll(KubernetesClient client, int pods) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(CREATE_CLIENTS);
        try {
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < pods; i++) {
                String name = "p-" + i;
                creates.add(pool.submit(() -> client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                        .withName(name).endMetadata().withNewSpec().addNewContainer().withName("main")
                        .withImage("polykube.local/endure-sleeper:1").withImagePullPolicy("Never").endContainer()
                        .withTerminationGracePeriodSeconds(0L).endSpec().build()).create()));
            }
            for (Future<?> create : creates) {
                create.get();
            }
        } catch (ExecutionException e) {
            throw new IOException("cannot create a pod: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void firstAndLast(String what, List<Long> values, String unit) {
        System.out.printf("[bench] %-90s first %d: median %d %s, last %d: median %d %s%n", what, window(values, true).size(),
                BenchCommand.median(window(values, true)), unit, window(values, false).size(),
                BenchCommand.median(window(values, false)), unit);
    }

    private static void jvm(String title, List<JvmSample> samples) {
        List<JvmSample> first = window(samples, true);
        List<JvmSample> last = window(samples, false);
        System.out.printf("[bench] %-90s open files %.0f -> %.0f, threads %.0f -> %.0f, heap %.0f -> %.0f MiB (first %d vs last %d)%n",
                title + ": the JVM", avg(first, s -> s.openFiles), avg(last, s -> s.openFiles), avg(first, s -> s.threads),
                avg(last, s -> s.threads), avg(first, s -> s.heapMib), avg(last, s -> s.heapMib), first.size(), last.size());
    }

    static void host(String title, ClusterSpec spec) {
        long processes = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
        int mounts;
        try {
            mounts = MountPoints.under(spec.directory()).size();
        } catch (IOException e) {
            mounts = -1;
        }
        String chains = run("iptables", "-w", "5", "-S");
        long polykubeChains = chains.lines().filter(l -> l.startsWith("-N POLYKUBE-" + spec.name().toUpperCase())).count();
        long netns = run("ip", "netns", "list").lines().filter(l -> l.startsWith("polykube-" + spec.name())).count();
        long cgroups;
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            cgroups = controllers.filter(Files::isDirectory).flatMap(c -> {
                try (Stream<Path> children = Files.list(c)) {
                    return children.filter(p -> p.getFileName().toString().startsWith("polykube." + spec.name())
                            || p.getFileName().toString().equals("kubepods")).toList().stream();
                } catch (IOException e) {
                    return Stream.empty();
                }
            }).count();
        } catch (IOException e) {
            cgroups = -1;
        }
        System.out.printf("[bench] %-90s %d processes, %d mounts, %d chains, %d netns, %d cgroups (goal 0 each)%n",
                title + ": left on the host", processes, mounts, polykubeChains, netns, cgroups);
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static <T> List<T> window(List<T> values, boolean first) {
        int n = Math.min(WINDOW, values.size());
        return first ? values.subList(0, n) : values.subList(values.size() - n, values.size());
    }

    private static double avg(List<JvmSample> samples, java.util.function.ToDoubleFunction<JvmSample> f) {
        return samples.stream().mapToDouble(f).average().orElse(0);
    }

    private static long etcdDbBytes(Path clusterDir) {
        Path db = clusterDir.resolve("etcd").resolve("member").resolve("snap").resolve("db");
        try {
            return Files.size(db);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The CPU time this JVM has used so far, all its threads (the bench's own client and its compilers). */
    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The v1 memory cgroups the kernel holds, dying ones included (the third column of /proc/cgroups). */
    private static int memoryCgroups() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cgroups"))) {
            String[] f = line.split("\\s+");
            if (f[0].equals("memory")) {
                return Integer.parseInt(f[2]);
            }
        }
        return 0;
    }

    /** The host's busy CPU time so far (all but idle and iowait in /proc/stat), in clock ticks (USER_HZ, 100 per second). */
    private static long busyCpuTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < cpu.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(cpu[i]);
            }
        }
        return busy;
    }

    private static long memAvailableKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return 0;
    }

    private static void progress(String what, int done, int total, long beginNanos) {
        if (done % Math.max(1, total / 10) == 0) {
            System.out.printf("[bench] %s: %d/%d, %.0f s%n", what, done, total, (System.nanoTime() - beginNanos) / 1e9);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The JVM's open files, live threads and heap in use after a GC. */
    private record JvmSample(long openFiles, int threads, double heapMib) {
        static JvmSample take() {
            System.gc();
            long files;
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                files = fds.count();
            } catch (IOException e) {
                files = -1;
            }
            return new JvmSample(files, ManagementFactory.getThreadMXBean().getThreadCount(),
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
        }
    }
}
